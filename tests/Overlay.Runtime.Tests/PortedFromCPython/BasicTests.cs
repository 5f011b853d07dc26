using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>test_basic, test_entire_file, test_repr, test_non_ascii_byte and the sequence rows (§3, §14).</summary>
public class BasicTests
{
    private static readonly long P = MemoryMap.PageSize;

    [Fact]
    public void TwoPageFile_FindIndexSliceModifySeekResize()
    {
        using var file = TempFile.Pages(2, fooPage: 1);
        using (var m = file.Map(2 * P))
        {
            Assert.Equal(P, m.Find("foo"u8));
            Assert.Equal(2 * P, m.Length);
            Assert.Equal(0, m[0]);
            Assert.Equal(new byte[3], m[0..3]);

            // Issue #5292: the boundary itself is out of range, for get and set.
            Assert.Throws<ArgumentOutOfRangeException>(() => m[m.Length]);
            Assert.Throws<ArgumentOutOfRangeException>(() => m[m.Length] = 0);

            m[0] = (byte)'3';
            m[(int)(P + 3)..(int)(P + 6)] = "bar"u8.ToArray();
            Assert.Equal((byte)'3', m[0]);
            Assert.Equal("3\0\0"u8.ToArray(), m[0..3]);
            Assert.Equal("\0foobar\0"u8.ToArray(), m[(int)(P - 1)..(int)(P + 7)]);
            m.Flush();

            // The bytes reached the file.
            byte[] disk = file.ReadAll();
            Assert.Equal((byte)'3', disk[0]);
            Assert.Equal("foobar"u8.ToArray(), disk.AsSpan((int)P, 6).ToArray());

            Assert.Equal(0, m.Seek(0, SeekOrigin.Begin));
            Assert.Equal(0, m.Tell());
            Assert.Equal(42, m.Seek(42, SeekOrigin.Current));
            Assert.Equal(42, m.Tell());
            Assert.Equal(m.Length, m.Seek(0, SeekOrigin.End));
            Assert.Equal(m.Length, m.Tell());
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Seek(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Seek(1, SeekOrigin.End));
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Seek(-m.Length - 1, SeekOrigin.End));

            m.Resize(512);
            Assert.Equal(512, m.Length);
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Seek(513));
            Assert.Equal(512, file.FileLength); // bug #728515: the file is truncated too
            Assert.Equal(512, m.Size());
        }
    }

    [Fact]
    public void EntireFile_LengthZeroMapsEverything()
    {
        byte[] content = new byte[1 << 16];
        content.AsSpan().Fill((byte)'m');
        using var file = new TempFile(content);
        using var m = file.Map(0);
        Assert.Equal(1 << 16, m.Length);
        Assert.Equal(content, m.Read(1 << 16));
    }

    [Fact]
    public void LengthAndSize_OfTheLinesFile()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        Assert.Equal(11, m.Length);
        Assert.Equal(11, m.Size());
        Assert.Equal(0, m.Tell());
        m.Read(3);
        Assert.Equal(3, m.Tell());
    }

    [Fact]
    public void PartialMap_LengthIsTheMapSizeIsTheFile()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map(5);
        Assert.Equal(5, m.Length);
        Assert.Equal(11, m.Size());
    }

    [Fact]
    public void Size_FollowsTheFileWhenItGrowsExternally()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        using (var handle = file.OpenReadWrite())
        {
            RandomAccess.Write(handle, "xyz"u8, 11);
        }

        Assert.Equal(11, m.Length);
        Assert.Equal(14, m.Size());
    }

    [Fact]
    public void NonAsciiBytes_RoundTripThroughWriteByteAndReadByte()
    {
        using var m = MemoryMap.Anonymous(256);
        for (int b = 0; b < 256; b++)
        {
            m.WriteByte((byte)b);
        }

        m.Seek(0);
        for (int b = 0; b < 256; b++)
        {
            Assert.Equal((byte)b, m.ReadByte());
        }

        Assert.Equal(255, m[255]);
        Assert.Equal(255, m[-1]);
    }

    [Fact]
    public void ToString_IsLikeRepr()
    {
        using var file = new TempFile(TempFile.Lines);
        var m = file.Map();
        Assert.Equal("MemoryMap(closed=False, access=Default, length=11, pos=0, offset=0)", m.ToString());
        m.Seek(4);
        Assert.Contains("pos=4", m.ToString(), StringComparison.Ordinal);
        m.Close();
        Assert.Equal("MemoryMap(closed=True)", m.ToString());
    }

    [Fact]
    public void ToString_ShowsAccessAndOffset()
    {
        using var file = TempFile.Pages(2);
        using var m = file.Map(10, access: MapAccess.Copy, offset: P);
        Assert.Equal($"MemoryMap(closed=False, access=Copy, length=10, pos=0, offset={P})", m.ToString());
    }

    [Fact]
    public void Contains_IsASubstringSearchFromZero()
    {
        using var m = MemoryMap.Anonymous(2);
        m[..] = "ab"u8.ToArray();
        m.Seek(2);
        Assert.True(m.Contains("a"u8));
        Assert.True(m.Contains((byte)'b'));
        // Deliberate difference: Python's `b'ab' in m` compares single items and is False;
        // Overlay's Contains is a substring search from index 0, whatever the cursor.
        Assert.True(m.Contains("ab"u8));
        Assert.False(m.Contains("ba"u8));
        Assert.False(m.Contains((byte)'c'));
        Assert.Equal(2, m.Tell()); // searching does not move the cursor
    }

    [Fact]
    public void CopyingTheContents_LeavesTheCursorAlone()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        m.Seek(3);
        Assert.Equal(TempFile.Lines, m[..]);
        Assert.Equal(TempFile.Lines, m.GetSlice(null, null));
        Assert.Equal(3, m.Tell());
    }

    [Fact]
    public void Memory_ExportIsWritableAndSharesBytes()
    {
        using var file = new TempFile(TempFile.Lines);
        using var m = file.Map();
        using (var memory = m.AcquireMemory())
        {
            Assert.Equal(11, memory.Memory.Length);
            memory.Memory.Span[0] = 90;
        }

        Assert.Equal(90, m[0]);
        m.Resize(20);
        using var after = m.AcquireReadOnlyMemory();
        Assert.Equal(20, after.Memory.Length); // a new export sees the new length
    }
}
