using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary><see cref="MemoryMap.AsStream"/>: a <see cref="Stream"/> sharing the map's cursor.</summary>
public class StreamTests
{
    [Fact]
    public void ReadsWritesAndSeeksLikeAFixedSizeStream()
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();

        Assert.True(stream.CanRead);
        Assert.True(stream.CanWrite);
        Assert.True(stream.CanSeek);
        Assert.Equal(100, stream.Length);
        Assert.Equal(0, stream.Position);

        byte[] buffer = new byte[10];
        Assert.Equal(4, stream.Read(buffer, 3, 4));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3, 0, 0, 0 }, buffer);
        Assert.Equal(4, stream.Position);

        Span<byte> span = stackalloc byte[3];
        Assert.Equal(3, stream.Read(span));
        Assert.Equal(new byte[] { 4, 5, 6 }, span.ToArray());
        Assert.Equal(7, stream.ReadByte());

        Assert.Equal(50, stream.Seek(50, SeekOrigin.Begin));
        Assert.Equal(45, stream.Seek(-5, SeekOrigin.Current));
        Assert.Equal(98, stream.Seek(-2, SeekOrigin.End));
        Assert.Equal(100, stream.Seek(0, SeekOrigin.End));
        stream.Position = 20;
        Assert.Equal(20, stream.Position);

        stream.Write("abc"u8.ToArray(), 0, 3);
        stream.Write("de"u8);
        stream.WriteByte((byte)'f');
        Assert.Equal(26, stream.Position);
        stream.Flush();

        Assert.Equal("abcdef"u8.ToArray(), map[20..26]);
        Assert.Equal("abcdef"u8.ToArray(), file.ReadAll()[20..26]);
        Assert.Equal(19, file.ReadAll()[19]);
        Assert.Equal(26, file.ReadAll()[26]);
    }

    [Fact]
    public void ReadNearTheEndIsShortAndAtTheEndIsEmpty()
    {
        using var file = FeatureTempFile.WithPattern(10);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
        using Stream stream = map.AsStream();
        stream.Position = 7;
        byte[] buffer = new byte[10];
        Assert.Equal(3, stream.Read(buffer, 0, 10));
        Assert.Equal(0, stream.Read(buffer, 0, 10));
        Assert.Equal(0, stream.Read(buffer.AsSpan()));
        Assert.Equal(-1, stream.ReadByte());
        Assert.Equal(10, stream.Position);
    }

    [Fact]
    public void ReadByteReturnsMinusOneAtTheEndNotAnException()
    {
        using var file = FeatureTempFile.WithPattern(2);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        Assert.Equal(0, stream.ReadByte());
        Assert.Equal(1, stream.ReadByte());
        Assert.Equal(-1, stream.ReadByte());
        Assert.Equal(-1, stream.ReadByte());
        Assert.Equal(2, map.Position);

        // Past the end after a shrink: still -1.
        map.Resize(1);
        Assert.Equal(-1, stream.ReadByte());
        Assert.Equal(0, stream.Read(new byte[4], 0, 4));
    }

    [Fact]
    public void ReadOnlyMapGivesAReadOnlyStream()
    {
        using var file = FeatureTempFile.WithPattern(10);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
        using Stream stream = map.AsStream();
        Assert.True(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.True(stream.CanSeek);
        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(1));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(20));
        stream.Flush(); // nothing to write; must not throw
        Assert.Equal(0, stream.Position);
        Assert.Equal(10, stream.Length);
        Assert.Equal(file.ReadAll(), map[..]);
    }

    [Fact]
    public void StreamFollowsProtect()
    {
        using var file = FeatureTempFile.WithPattern(4096);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        map.Protect(MapProtection.Read);
        Assert.True(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(1));
        map.Protect(MapProtection.None);
        Assert.False(stream.CanRead);
        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));
        map.Protect(MapProtection.ReadWrite);
        Assert.True(stream.CanRead);
        Assert.True(stream.CanWrite);
        stream.WriteByte(0xFE);
        Assert.Equal(0xFE, map[0]);
    }

    [Theory]
    [InlineData(0L, 101)]
    [InlineData(95L, 6)]
    [InlineData(100L, 1)]
    public void WritePastTheEndIsRefusedWithNothingWritten(long position, int count)
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        stream.Position = position;
        byte[] data = new byte[count];
        Array.Fill(data, (byte)0xFF);

        Assert.Throws<NotSupportedException>(() => stream.Write(data, 0, count));
        Assert.Throws<NotSupportedException>(() => stream.Write(data.AsSpan()));
        if (count == 1)
        {
            Assert.Throws<NotSupportedException>(() => stream.WriteByte(0xFF));
        }

        Assert.Equal(position, stream.Position);
        Assert.Equal(100, stream.Length);
        Assert.Equal(FeatureTempFile.WithPatternBytes(100), map[..]);
        Assert.Equal(FeatureTempFile.WithPatternBytes(100), file.ReadAll());
    }

    [Fact]
    public void SeekBeforeTheStartIsAnIOExceptionAndMovesNothing()
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        stream.Position = 40;
        Assert.Throws<IOException>(() => stream.Seek(-1, SeekOrigin.Begin));
        Assert.Throws<IOException>(() => stream.Seek(-41, SeekOrigin.Current));
        Assert.Throws<IOException>(() => stream.Seek(-101, SeekOrigin.End));
        Assert.Throws<IOException>(() => stream.Seek(long.MinValue, SeekOrigin.Current));
        Assert.Equal(40, stream.Position);
        Assert.Equal(40, map.Position);
        Assert.Equal(0, stream.Seek(-40, SeekOrigin.Current));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Position = -1);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void SeekWithAnUnknownOriginIsAnArgumentError()
    {
        using var file = FeatureTempFile.WithPattern(10);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Seek(0, (SeekOrigin)7));
    }

    [Fact]
    public void InvalidBufferArgumentsAreRefused()
    {
        using var file = FeatureTempFile.WithPattern(10);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        Assert.Throws<ArgumentNullException>(() => stream.Read(null!, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(new byte[4], -1, 1));
        Assert.ThrowsAny<ArgumentException>(() => stream.Read(new byte[4], 2, 3));
        Assert.Throws<ArgumentNullException>(() => stream.Write(null!, 0, 1));
        Assert.ThrowsAny<ArgumentException>(() => stream.Write(new byte[4], 3, 2));
        Assert.Equal(0, stream.Position);
        Assert.Equal(FeatureTempFile.WithPatternBytes(10), file.ReadAll());
    }

    [Fact]
    public void SetLengthResizesTheMapAndTheFile()
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        stream.SetLength(5000);
        Assert.Equal(5000, stream.Length);
        Assert.Equal(5000, map.Length);
        Assert.Equal(5000, new FileInfo(file.Path).Length);
        stream.Position = 4990;
        stream.Write("0123456789"u8);
        Assert.Equal((byte)'9', map[4999]);

        stream.SetLength(50);
        Assert.Equal(50, map.Length);
        Assert.Equal(FeatureTempFile.WithPatternBytes(50), file.ReadAll());
        Assert.Equal(5000, stream.Position); // the cursor stays, as in Python
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.SetLength(0));
        Assert.Equal(50, map.Length);
    }

    [Fact]
    public void TheStreamSharesTheMapsCursor()
    {
        using var file = new FeatureTempFile("line one\nline two\n"u8);
        using var map = MemoryMap.Open(file.Path);
        using Stream stream = map.AsStream();
        map.Seek(5);
        Assert.Equal(5, stream.Position);
        Assert.Equal((byte)'o', stream.ReadByte());
        Assert.Equal(6, map.Position);
        Assert.Equal("ne\n"u8.ToArray(), map.ReadLine());
        Assert.Equal(9, stream.Position);
        stream.Position = 0;
        Assert.Equal(0, map.Tell());
        map.Write("LINE"u8);
        Assert.Equal(4, stream.Position);
        Assert.Equal((byte)' ', stream.ReadByte());
    }

    [Fact]
    public void DisposingTheStreamLeavesTheMapOpen()
    {
        using var file = FeatureTempFile.WithPattern(10);
        var map = MemoryMap.Open(file.Path);
        Stream stream = map.AsStream();
        stream.Position = 3;
        stream.Dispose();
        stream.Dispose();

        Assert.False(map.IsClosed);
        Assert.Equal(3, map.Position);
        Assert.Equal(3, map.ReadByte());
        map[0] = 9;
        Assert.False(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.False(stream.CanSeek);
        Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => stream.Position);
        Assert.Throws<ObjectDisposedException>(() => stream.Length);
        Assert.Throws<ObjectDisposedException>(() => stream.Write(new byte[1], 0, 1));

        // The stream holds no export: the map closes while a disposed or live stream exists.
        using Stream live = map.AsStream();
        map.Close();
        Assert.True(map.IsClosed);
        Assert.False(live.CanRead);
        Assert.False(live.CanWrite);
        Assert.False(live.CanSeek);
        Assert.Throws<ObjectDisposedException>(() => live.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => map.AsStream());
    }

    [Fact]
    public void RoundTripThroughStreamReaderAndCopyTo()
    {
        string text = "first line\nsecond line\n\nfourth, with ünïcödé\nlast";
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        using var file = new FeatureTempFile(new byte[bytes.Length]);
        using var map = MemoryMap.Open(file.Path);

        using (Stream stream = map.AsStream())
        {
            new MemoryStream(bytes).CopyTo(stream);
            Assert.Equal(bytes.Length, stream.Position);
        }

        Assert.Equal(bytes, file.ReadAll());

        map.Position = 0;
        using (var reader = new StreamReader(map.AsStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: false))
        {
            Assert.Equal("first line", reader.ReadLine());
            Assert.Equal("second line", reader.ReadLine());
            Assert.Equal(string.Empty, reader.ReadLine());
            Assert.Equal("fourth, with ünïcödé", reader.ReadLine());
            Assert.Equal("last", reader.ReadLine());
            Assert.Null(reader.ReadLine());
        }

        Assert.False(map.IsClosed);
        map.Position = 11;
        var copy = new MemoryStream();
        map.AsStream().CopyTo(copy);
        Assert.Equal(bytes[11..], copy.ToArray());
        Assert.Equal(map.Length, map.Position);
    }

    [Fact]
    public async Task AsyncCopyWorksThroughTheDefaultImplementation()
    {
        using var file = FeatureTempFile.WithPattern(3000);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
        using var destination = new MemoryStream();
        using (Stream stream = map.AsStream())
        {
            await stream.CopyToAsync(destination);
        }

        Assert.Equal(FeatureTempFile.WithPatternBytes(3000), destination.ToArray());
    }
}
