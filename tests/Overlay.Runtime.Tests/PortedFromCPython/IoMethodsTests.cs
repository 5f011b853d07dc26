using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>
/// test_io_methods, test_read_all, test_write_returning_the_number_of_bytes_written and the
/// rows of §4 (seek), §5 (read), §6 (write) and §12 (indexing) on <c>F</c> = "abc\ndef\nghi".
/// </summary>
public sealed class IoMethodsTests : IDisposable
{
    private readonly TempFile _file = new(TempFile.Lines);
    private readonly MemoryMap _m;

    public IoMethodsTests() => _m = _file.Map();

    public void Dispose()
    {
        _m.Dispose();
        _file.Dispose();
    }

    [Theory]
    [InlineData(0L, SeekOrigin.Begin, 0L)]
    [InlineData(5L, SeekOrigin.Begin, 5L)]
    [InlineData(11L, SeekOrigin.Begin, 11L)]
    [InlineData(2L, SeekOrigin.Current, 5L)]
    [InlineData(-1L, SeekOrigin.Current, 2L)]
    [InlineData(8L, SeekOrigin.Current, 11L)]
    [InlineData(-3L, SeekOrigin.Current, 0L)]
    [InlineData(0L, SeekOrigin.End, 11L)]
    [InlineData(-1L, SeekOrigin.End, 10L)]
    [InlineData(-11L, SeekOrigin.End, 0L)]
    public void Seek_ReturnsTheNewPosition(long offset, SeekOrigin origin, long expected)
    {
        _m.Seek(3);
        Assert.Equal(expected, _m.Seek(offset, origin));
        Assert.Equal(expected, _m.Tell());
        Assert.Equal(expected, _m.Position);
    }

    [Theory]
    [InlineData(12L, SeekOrigin.Begin)]
    [InlineData(-1L, SeekOrigin.Begin)]
    [InlineData(-4L, SeekOrigin.Current)]
    [InlineData(9L, SeekOrigin.Current)]
    [InlineData(-12L, SeekOrigin.End)]
    [InlineData(1L, SeekOrigin.End)]
    [InlineData(1L << 62, SeekOrigin.Begin)]
    [InlineData(long.MaxValue, SeekOrigin.Current)]
    [InlineData(0L, (SeekOrigin)3)]
    [InlineData(0L, (SeekOrigin)(-1))]
    [InlineData(99L, (SeekOrigin)3)]
    public void Seek_OutOfRangeOrUnknownOrigin_LeavesThePosition(long offset, SeekOrigin origin)
    {
        _m.Seek(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => _m.Seek(offset, origin));
        Assert.Equal(3, _m.Tell());
        Assert.Throws<ArgumentOutOfRangeException>(() => _m.Position = 12);
        Assert.Equal(3, _m.Position);
    }

    [Fact]
    public void Seekable_IsTrue()
    {
        Assert.True(_m.Seekable);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(-42L)]
    [InlineData(long.MinValue)]
    public void Read_NegativeReadsTheRest(long count)
    {
        _m.Seek(4);
        Assert.Equal("def\nghi"u8.ToArray(), _m.Read(count));
        Assert.Equal(11, _m.Tell());
    }

    [Fact]
    public void Read_Counts()
    {
        _m.Seek(4);
        Assert.Equal("def\nghi"u8.ToArray(), _m.Read()); // read() / read(None)
        _m.Seek(0);
        Assert.Empty(_m.Read(0));
        Assert.Equal(0, _m.Tell());
        Assert.Equal("abc"u8.ToArray(), _m.Read(3));
        Assert.Equal(3, _m.Tell());
        _m.Seek(8);
        Assert.Equal("ghi"u8.ToArray(), _m.Read(100)); // clamped
        Assert.Equal(11, _m.Tell());
        Assert.Empty(_m.Read(1));
        Assert.Empty(_m.Read());
        Assert.Equal(11, _m.Tell());
    }

    [Fact]
    public void Read_IntoASpan()
    {
        Span<byte> buffer = stackalloc byte[8];
        _m.Seek(6);
        Assert.Equal(5, _m.Read(buffer));
        Assert.Equal("f\nghi"u8.ToArray(), buffer[..5].ToArray());
        Assert.Equal(0, _m.Read(buffer));
    }

    [Fact]
    public void ReadAll_FromEveryPosition()
    {
        for (int start = 0; start <= 11; start++)
        {
            _m.Seek(start);
            Assert.Equal(TempFile.Lines[start..], _m.Read());
        }
    }

    [Fact]
    public void ReadByte_AdvancesAndRefusesAtTheEnd()
    {
        Assert.Equal(97, _m.ReadByte());
        Assert.Equal(1, _m.Tell());
        _m[0] = 0xff;
        _m.Seek(0);
        Assert.Equal(255, _m.ReadByte());
        _m.Seek(0, SeekOrigin.End);
        Assert.Throws<EndOfStreamException>(() => _m.ReadByte());
        Assert.Equal(11, _m.Tell());
    }

    [Fact]
    public void ReadLine_SplitsOnNewlineOnly()
    {
        Assert.Equal("abc\n"u8.ToArray(), _m.ReadLine());
        Assert.Equal(4, _m.Tell());
        Assert.Equal("def\n"u8.ToArray(), _m.ReadLine());
        Assert.Equal(8, _m.Tell());
        Assert.Equal("ghi"u8.ToArray(), _m.ReadLine());
        Assert.Equal(11, _m.Tell());
        Assert.Empty(_m.ReadLine());
        Assert.Empty(_m.ReadLine());
        Assert.Equal(11, _m.Tell());

        _m.Seek(5);
        Assert.Equal("ef\n"u8.ToArray(), _m.ReadLine());
    }

    [Theory]
    [InlineData("x\n", new[] { "x\n", "" })]
    [InlineData("\n\n", new[] { "\n", "\n", "" })]
    [InlineData("a\r\nb", new[] { "a\r\n", "b", "" })]
    public void ReadLine_Cases(string content, string[] lines)
    {
        using var m = MemoryMap.Anonymous(content.Length);
        m.Write(System.Text.Encoding.Latin1.GetBytes(content));
        m.Seek(0);
        foreach (string line in lines)
        {
            Assert.Equal(System.Text.Encoding.Latin1.GetBytes(line), m.ReadLine());
        }
    }

    [Fact]
    public void EnumerateLines_MatchesReadLine()
    {
        int count = 0;
        foreach (ReadOnlySpan<byte> line in _m.EnumerateLines())
        {
            count++;
            Assert.Equal(count switch { 1 => "abc\n"u8.ToArray(), 2 => "def\n"u8.ToArray(), _ => "ghi"u8.ToArray() }, line.ToArray());
        }

        Assert.Equal(3, count);
        Assert.Equal(11, _m.Tell());
    }

    [Fact]
    public void Write_ReturnsTheByteCount()
    {
        Assert.Equal(2, _m.Write("XY"u8));
        Assert.Equal(2, _m.Tell());
        Assert.Equal(0, _m.Write(ReadOnlySpan<byte>.Empty));
        _m.Seek(8);
        Assert.Equal(3, _m.Write("XYZ"u8)); // exactly to the end
        Assert.Equal(11, _m.Tell());
        Assert.Equal(0, _m.Write(ReadOnlySpan<byte>.Empty)); // at the end
        Assert.Equal("XYc\ndef\nXYZ"u8.ToArray(), _file.ReadAll());
    }

    [Fact]
    public void Write_PastTheEnd_WritesNothing()
    {
        _m.Seek(8);
        Assert.Throws<ArgumentException>(() => _m.Write("WXYZ"u8));
        Assert.Equal(8, _m.Tell());
        Assert.Equal(TempFile.Lines, _m[..]);
        Assert.Equal(TempFile.Lines, _file.ReadAll());
    }

    [Fact]
    public void WriteByte_AdvancesAndRefusesAtTheEnd()
    {
        _m.WriteByte(65);
        Assert.Equal(1, _m.Tell());
        _m.WriteByte(255);
        Assert.Equal(new byte[] { 65, 255, (byte)'c' }, _m[0..3]);
        _m.Seek(0, SeekOrigin.End);
        Assert.Throws<EndOfStreamException>(() => _m.WriteByte(1));
        Assert.Equal(11, _m.Tell());
        Assert.Equal((byte)'i', _m[-1]);
    }

    [Fact]
    public void Indexing_NegativeCountsFromTheEnd()
    {
        Assert.Equal(97, _m[0]);
        Assert.Equal(105, _m[-1]);
        Assert.Equal(97, _m[-11]);
        Assert.Equal(98, _m[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _m[11]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _m[-12]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _m[long.MaxValue]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _m[long.MinValue]);
    }

    [Fact]
    public void IndexAssignment_DoesNotMoveTheCursor()
    {
        _m.Seek(5);
        _m[0] = 65;
        Assert.Equal("Ab"u8.ToArray(), _m[..2]);
        Assert.Equal(5, _m.Tell());
        _m[-1] = 65;
        Assert.Equal(65, _m[10]);
        _m[0] = 255;
        Assert.Equal(255, _m[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _m[11] = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => _m[-12] = 1);
    }

    [Fact]
    public void Stream_SharesTheCursor()
    {
        using Stream stream = _m.AsStream();
        Assert.True(stream.CanSeek);
        _m.Seek(4);
        Assert.Equal((int)'d', stream.ReadByte());
        Assert.Equal(5, _m.Tell());
        stream.Position = 11;
        Assert.Equal(-1, stream.ReadByte());
    }
}
