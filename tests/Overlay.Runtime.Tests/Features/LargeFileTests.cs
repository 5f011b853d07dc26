using System;
using System.Buffers;
using System.IO;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary>
/// A sparse 5 GiB file mapped whole: offsets past <see cref="int.MaxValue"/> and 4 GiB work for
/// every operation, and searches that must use more than one span window find what straddles a
/// window seam. Only a few pages are ever touched, except by the one search that must cross
/// 2 GiB of holes; the file is deleted afterwards.
/// </summary>
public class LargeFileTests
{
    private const long GiB = 1L << 30;
    private const long FileSize = 5 * GiB;
    private const long Far = (1L << 32) + (1L << 20);

    private static readonly long[] Offsets =
    [
        int.MaxValue - 1L,
        int.MaxValue,
        1L << 31,
        (1L << 32) - 1,
        1L << 32,
        (1L << 32) + 12345,
        FileSize - 1,
    ];

    [Fact]
    public void BytesPastTwoAndFourGiBReachTheFile()
    {
        using var file = SparseFile();
        using (var map = MemoryMap.Open(file.Path))
        {
            Assert.Equal(FileSize, map.Length);
            Assert.Equal(FileSize, map.Size());
            for (int i = 0; i < Offsets.Length; i++)
            {
                map[Offsets[i]] = (byte)(0xA0 + i);
            }

            for (int i = 0; i < Offsets.Length; i++)
            {
                long offset = Offsets[i];
                byte value = (byte)(0xA0 + i);
                Assert.Equal(value, map[offset]);
                Assert.Equal(value, map[offset - FileSize]); // negative index from the end
                Assert.Equal(offset, map.Seek(offset));
                Assert.Equal(value, map.ReadByte());
                Assert.Equal(offset + 1, map.Tell());
                map.Seek(offset);
                Assert.Equal(value, map.Read(1)[0]);
                Assert.Equal(value, map.GetSlice(offset, offset + 1)[0]);
                Assert.Equal(value, map.GetSlice(offset, offset - 3, -2)[0]);
            }

            // The cursor writes across the 4 GiB line.
            map.Seek((1L << 32) - 2);
            map.Write("WXYZ"u8);
            Assert.Equal((1L << 32) + 2, map.Position);
            map.Seek(-1, SeekOrigin.End);
            map.WriteByte(0xEF);
            Assert.Equal(FileSize, map.Position);
            map.SetSlice(Far, Far + 6, 2, "abc"u8);
            map.Flush((1L << 32) - MemoryMap.PageSize, 2 * MemoryMap.PageSize);
            map.ScheduleFlush(1L << 32);
        }

        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.Equal(FileSize, stream.Length);
        for (int i = 0; i < Offsets.Length - 1; i++)
        {
            long offset = Offsets[i];
            if (offset is (1L << 32) - 1 or 1L << 32)
            {
                continue; // overwritten by "WXYZ"
            }

            Assert.Equal(0xA0 + i, ReadAt(stream, offset, 1)[0]);
        }

        Assert.Equal("WXYZ"u8.ToArray(), ReadAt(stream, (1L << 32) - 2, 4));
        Assert.Equal(0xEF, ReadAt(stream, FileSize - 1, 1)[0]);
        Assert.Equal(new byte[] { (byte)'a', 0, (byte)'b', 0, (byte)'c', 0 }, ReadAt(stream, Far, 6));
        Assert.Equal(0, ReadAt(stream, 3 * GiB, 1)[0]); // untouched holes read as zeros
    }

    [Fact]
    public void FindAndRFindPastFourGiB()
    {
        using var file = SparseFile();
        using var map = MemoryMap.Open(file.Path);
        byte[] needle = "needle!"u8.ToArray();

        // Straddling 2^31 and 2^32, and well past 4 GiB. The bounds keep the scans to a few pages.
        long[] places = [(1L << 31) - 3, (1L << 32) - 3, Far + 5000];
        foreach (long place in places)
        {
            map.Seek(place);
            map.Write(needle);
        }

        foreach (long place in places)
        {
            Assert.Equal(place, map.Find(needle, place - 8192, place + 8192));
            Assert.Equal(place, map.RFind(needle, place - 8192, place + 8192));
            Assert.Equal(place, map.Find(needle, place, place + needle.Length));
            Assert.Equal(-1, map.Find(needle, place, place + needle.Length - 1));
            Assert.Equal(-1, map.Find(needle, place + 1, place + 8192));
            Assert.Equal(-1, map.RFind(needle, place - 8192, place + needle.Length - 1));
            Assert.Equal(place, map.RFind(needle, place - 8192 - FileSize, place + 8192 - FileSize)); // negative bounds
        }

        map.Seek(Far);
        Assert.Equal(Far + 5000, map.Find(needle)); // from the cursor to the end of the map
        map.Seek(Far + 5001);
        Assert.Equal(-1, map.RFind(needle, null, Far + 9000));
        Assert.Equal(Far + 5000, map.RFind(needle, Far, Far + 9000));
    }

    [Fact]
    public void FindAndRFindAcrossTheTwoGiBWindowSeam()
    {
        // A search over more than int.MaxValue bytes runs in span windows; a needle straddling a
        // window's edge is found only through the windows' overlap. Both scans must cross 2 GiB,
        // so this uses private anonymous memory, whose untouched pages all read the kernel's zero
        // page (nothing is allocated), where 2 GiB of a sparse file would fill the page cache.
        long length = int.MaxValue + (4L << 20);
        using var map = MemoryMap.Anonymous(length, MapFlags.Private | MapFlags.NoReserve);
        map.Advise(MapAdvice.HugePage); // the huge zero page makes the read faults few
        byte[] forwardNeedle = "seam-forward"u8.ToArray();
        byte[] backwardNeedle = "seam-backward"u8.ToArray();

        // Forward from 0, the first window is [0, int.MaxValue): this needle straddles its end.
        long forward = int.MaxValue - 4;
        map.Seek(forward);
        map.Write(forwardNeedle);
        Assert.Equal(forward, map.Find(forwardNeedle, 0));
        Assert.Equal(-1, map.Find(forwardNeedle, 0, forward + forwardNeedle.Length - 1));

        // Backward to the end, the first window is [length - int.MaxValue, length): this needle straddles its start.
        long backward = length - int.MaxValue - 5;
        map.Seek(backward);
        map.Write(backwardNeedle);
        Assert.Equal(backward, map.RFind(backwardNeedle, 0));
        Assert.Equal(-1, map.RFind(backwardNeedle, backward + 1));
    }

    [Fact]
    public void ReadLineAndEnumerateLinesAcrossTwoAndFourGiB()
    {
        using var file = SparseFile();
        using var map = MemoryMap.Open(file.Path);
        foreach (long boundary in new[] { 1L << 31, 1L << 32 })
        {
            map.Seek(boundary - 3);
            map.Write("abc"u8);
            map.Write("de\nfg\n"u8);
            map.Seek(boundary - 3);
            Assert.Equal("abcde\n"u8.ToArray(), map.ReadLine());
            Assert.Equal(boundary + 3, map.Position);
            Assert.Equal("fg\n"u8.ToArray(), map.ReadLine());

            map.Seek(boundary - 3);
            int lines = 0;
            foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
            {
                Assert.True(line.SequenceEqual(lines == 0 ? "abcde\n"u8 : "fg\n"u8));
                if (++lines == 2)
                {
                    break;
                }
            }

            Assert.Equal(boundary + 6, map.Position);
        }

        // The last line of the file, without a newline, past 4 GiB.
        map.Seek(FileSize - 4);
        map.Write("\nend"u8);
        map.Seek(FileSize - 3);
        Assert.Equal("end"u8.ToArray(), map.ReadLine());
        Assert.Empty(map.ReadLine());
    }

    [Fact]
    public void ExportsAndStreamsPastFourGiB()
    {
        using var file = SparseFile();
        using var map = MemoryMap.Open(file.Path);
        long start = (1L << 32) + 100;
        using (MappedMemory export = map.AcquireMemory(start, 16))
        {
            "exported"u8.CopyTo(export.Memory.Span);
        }

        Assert.Equal("exported"u8.ToArray(), map.GetSlice(start, start + 8));
        using (ReadOnlyMappedMemory tail = map.AcquireReadOnlyMemory(FileSize - 100))
        {
            Assert.Equal(100, tail.Span.Length);
        }

        // The rest of a 5 GiB map does not fit in a Memory<byte>.
        Assert.Throws<ArgumentOutOfRangeException>(() => map.AcquireMemory());
        Assert.Throws<ArgumentOutOfRangeException>(() => map.AcquireReadOnlyMemory(GiB));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.AcquireMemory(FileSize - 10, 11));

        using Stream stream = map.AsStream();
        Assert.Equal(FileSize, stream.Length);
        stream.Position = start;
        byte[] buffer = new byte[8];
        stream.ReadExactly(buffer);
        Assert.Equal("exported"u8.ToArray(), buffer);
        Assert.Equal(FileSize - 1, stream.Seek(-1, SeekOrigin.End));
        stream.WriteByte(7);
        Assert.Equal(-1, stream.ReadByte());
        Assert.Equal(7, map[-1]);
    }

    [Fact]
    public void ResizeToFiveGiBAndAPage()
    {
        using var file = SparseFile();
        long newSize = FileSize + MemoryMap.PageSize;
        using (var map = MemoryMap.Open(file.Path))
        {
            map[1L << 32] = 0x44;
            map[FileSize - 1] = 0x55;
            map.Resize(newSize);
            Assert.Equal(newSize, map.Length);
            Assert.Equal(newSize, map.Size());
            Assert.Equal(0x44, map[1L << 32]);
            Assert.Equal(0x55, map[FileSize - 1]);
            Assert.Equal(0, map[FileSize]);
            Assert.Equal(0, map[-1]);
            map[-1] = 0x66;
            map[FileSize] = 0x77;
        }

        Assert.Equal(newSize, new FileInfo(file.Path).Length);
        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.Equal(0x44, ReadAt(stream, 1L << 32, 1)[0]);
        Assert.Equal(new byte[] { 0x55, 0x77 }, ReadAt(stream, FileSize - 1, 2));
        Assert.Equal(0x66, ReadAt(stream, newSize - 1, 1)[0]);
    }

    [Fact]
    public void AnOffsetPastFourGiBMapsThatPart()
    {
        using var file = SparseFile();
        using (var whole = MemoryMap.Open(file.Path))
        {
            whole[(1L << 32) + 1] = 0x31;
        }

        using var map = MemoryMap.Open(file.Path, MapAccess.Read, length: 4096, offset: 1L << 32);
        Assert.Equal(1L << 32, map.Offset);
        Assert.Equal(4096, map.Length);
        Assert.Equal(FileSize, map.Size());
        Assert.Equal(0x31, map[1]);
    }

    private static FeatureTempFile SparseFile()
    {
        var file = FeatureTempFile.Empty();
        using (var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(FileSize);
        }

        return file;
    }

    private static byte[] ReadAt(FileStream stream, long offset, int count)
    {
        byte[] buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }
}
