using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>test_resize_past_pos, the gh-138204 shared-anonymous rule and the rows of §11.</summary>
public class ResizeTests
{
    private static readonly long P = MemoryMap.PageSize;

    [Fact]
    public void File_Grow_NewBytesAreZero()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        m.Resize(20);
        Assert.Equal(20, m.Length);
        Assert.Equal(20, m.Size());
        Assert.Equal(20, file.FileLength);
        Assert.Equal(new byte[9], m[11..]);
        Assert.Equal(TempFile.Lines, m[..11]);
        m[19] = (byte)'!';
        Assert.Equal((byte)'!', file.ReadAll()[19]);
    }

    [Fact]
    public void File_Shrink_TruncatesTheFile()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        m.Resize(5);
        Assert.Equal(5, m.Length);
        Assert.Equal(5, m.Size());
        Assert.Equal("abc\nd"u8.ToArray(), file.ReadAll());
        Assert.Throws<ArgumentOutOfRangeException>(() => m[5]);
    }

    [Fact]
    public void File_SameSize_IsANoOp()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        m.Resize(11);
        Assert.Equal(11, m.Length);
        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(0L)] // CPython truncates the file, fails in mremap, then faults; Overlay refuses first
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)] // offset + size is fine at offset 0, but no file system takes it
    public void File_BadSizes_ChangeNothing(long newSize)
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        Exception error = Assert.ThrowsAny<Exception>(() => m.Resize(newSize));
        if (newSize <= 0)
        {
            Assert.IsType<ArgumentOutOfRangeException>(error);
        }
        else
        {
            Assert.IsAssignableFrom<IOException>(error); // EFBIG/EINVAL from ftruncate
        }

        Assert.Equal(11, m.Length);
        Assert.Equal(TempFile.Lines, m[..]);
        Assert.Equal(TempFile.Lines, file.ReadAll());
    }

    [Fact]
    public void File_OffsetPlusSizeOverflow_IsOutOfRange()
    {
        using var file = TempFile.Pages(2);
        using var m = file.Map(0, offset: P);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Resize(long.MaxValue));
        Assert.Equal(P, m.Length);
        Assert.Equal(2 * P, file.FileLength);
    }

    [Fact]
    public void PastPos_AfterShrink_TheCursorStaysPastTheEnd()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        m.Seek(10);
        m.Resize(5);
        Assert.Equal(10, m.Tell());
        Assert.Equal(10, m.Position);
        Assert.Empty(m.Read());
        Assert.Empty(m.Read(3));
        Assert.Empty(m.ReadLine());
        Assert.Equal(0, m.Read(new byte[4]));
        Assert.Throws<EndOfStreamException>(() => m.ReadByte());
        Assert.Throws<EndOfStreamException>(() => m.WriteByte(1));
        Assert.Throws<ArgumentException>(() => m.Write(ReadOnlySpan<byte>.Empty)); // "data out of range", even for b''
        Assert.Throws<ArgumentException>(() => m.Write("x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Seek(0, SeekOrigin.Current));
        Assert.Equal(10, m.Tell()); // none of them moved it
        Assert.Equal("abc\nd"u8.ToArray(), file.ReadAll());

        // Seeking back in works.
        Assert.Equal(5, m.Seek(0, SeekOrigin.End));
        Assert.Equal(4, m.Seek(-1, SeekOrigin.Current));
    }

    [Fact]
    public void PastPos_FindUsesTheCursorAsStart()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        m.Seek(10);
        m.Resize(5);
        Assert.Equal(-1, m.Find("a"u8));
        Assert.Equal(-1, m.Find(ReadOnlySpan<byte>.Empty)); // start past the end: -1 (gh-151021)
        Assert.Equal(0, m.Find("a"u8, 0));
    }

    [Fact]
    public void WriteAccess_Resizes_ReadAndCopyDoNot()
    {
        using var file = new TempFile(TempFile.Lines);
        using (var w = file.Map(access: MapAccess.Write))
        {
            w.Resize(20);
            Assert.Equal(20, file.FileLength);
        }

        using (var r = file.Map(access: MapAccess.Read))
        {
            Assert.Throws<NotSupportedException>(() => r.Resize(30));
            Assert.Throws<NotSupportedException>(() => r.Resize(-1));
        }

        using (var c = file.Map(access: MapAccess.Copy))
        {
            Assert.Throws<NotSupportedException>(() => c.Resize(30));
            Assert.Equal(20, c.Length);
        }

        Assert.Equal(20, file.FileLength);
    }

    [Fact]
    public void LiveExport_BlocksResize_EvenOnReadMaps()
    {
        using var file = new TempFile(TempFile.Lines);
        using (var r = file.Map(access: MapAccess.Read))
        {
            // BufferError comes before the read-only TypeError.
            using var view = r.AcquireReadOnlyMemory();
            Assert.Throws<InvalidOperationException>(() => r.Resize(20));
        }

        using var m = file.Map();
        var export = m.AcquireMemory(1, 2);
        Assert.Throws<InvalidOperationException>(() => m.Resize(20));
        Assert.Equal(11, m.Length);
        Assert.Equal(11, file.FileLength);
        ((IDisposable)export).Dispose(); // v.release()
        m.Resize(20);
        Assert.Equal(20, m.Length);
    }

    [Fact]
    public void LineEnumeration_BlocksResizeUntilDisposed()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        foreach (ReadOnlySpan<byte> line in m.EnumerateLines())
        {
            Assert.Throws<InvalidOperationException>(() => m.Resize(20));
            Assert.Equal((byte)'a', line[0]);
            break;
        }

        m.Resize(20);
        Assert.Equal(20, m.Length);
    }

    [Fact]
    public void SharedAnonymous_ShrinkKeepsData_GrowIsRefused()
    {
        using var m = MemoryMap.Anonymous(2 * P);
        m[0] = 1;
        m[P - 1] = 2;
        m.Resize(P);
        Assert.Equal(P, m.Length);
        Assert.Equal(1, m[0]);
        Assert.Equal(2, m[P - 1]);
        Assert.Equal(P, m.Size());

        // gh-138204: Linux cannot grow a shared anonymous mapping (CPython 3.13.0 grew it and faulted on m[P]).
        Assert.Throws<NotSupportedException>(() => m.Resize(2 * P));
        Assert.Equal(P, m.Length);
        Assert.Equal(2, m[P - 1]);
    }

    [Fact]
    public void SharedAnonymous_SmallGrowIsRefused()
    {
        using var m = MemoryMap.Anonymous(16);
        Assert.Throws<NotSupportedException>(() => m.Resize(100));
        Assert.Equal(16, m.Length);
        m.Resize(8); // shrinking is fine
        Assert.Equal(8, m.Length);
    }

    [Fact]
    public void PrivateAnonymous_GrowsWithZeros_CursorStays()
    {
        using var m = MemoryMap.Anonymous(P, flags: MapFlags.Private);
        m[..] = CreateFilled(P, 7);
        m.Seek(100);
        m.Resize(2 * P);
        Assert.Equal(2 * P, m.Length);
        Assert.Equal(100, m.Tell());
        Assert.Equal(CreateFilled(P, 7), m[..(int)P]);
        Assert.Equal(new byte[P], m[(int)P..]);
        Assert.Equal(2 * P, m.Seek(0, SeekOrigin.End));
        Assert.Equal(2 * P, m.Size());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Anonymous_NonPositiveSize_IsOutOfRange(long newSize)
    {
        using var m = MemoryMap.Anonymous(16, flags: MapFlags.Private);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Resize(newSize));
        Assert.Equal(16, m.Length);
    }

    [Fact]
    public void AnonymousRead_IsNotResizable()
    {
        using var m = MemoryMap.Anonymous(16, access: MapAccess.Read);
#pragma warning disable OVL002 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => m.Resize(8));
#pragma warning restore OVL002
    }

    private static byte[] CreateFilled(long length, byte value)
    {
        byte[] bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }
}
