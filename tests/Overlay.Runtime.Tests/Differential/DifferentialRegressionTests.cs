using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace Overlay.Tests.Differential;

/// <summary>
/// Divergences from CPython that the differential test found in <see cref="MemoryMap"/>, each
/// pinned by a direct assertion of CPython 3.13's measured behaviour.
/// </summary>
public sealed class DifferentialRegressionTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "overlay-diff-regression-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    /// <summary>
    /// Python: <c>mmap(fd, 2)</c> over a 7-byte file, then <c>resize(2)</c>: the file is cut to 2
    /// bytes (resize always ftruncates to offset + newsize). Overlay returned early and left 7.
    /// </summary>
    [Fact]
    public void ResizeToTheSameLengthStillTruncatesTheFile()
    {
        File.WriteAllBytes(_path, "abcdefg"u8.ToArray());
        using (var map = MemoryMap.Open(_path, MapAccess.Write, length: 2))
        {
            map.Resize(2);
            Assert.Equal(2, map.Length);
            Assert.Equal(2, map.Size());
        }

        Assert.Equal("ab"u8.ToArray(), File.ReadAllBytes(_path));
    }

    /// <summary>The same with an offset (the smallest a map may start at: a page on Linux, 64 KiB on Windows): the file is cut to offset + newsize.</summary>
    [Fact]
    public void ResizeToTheSameLengthWithAnOffsetTruncatesToOffsetPlusLength()
    {
        long page = MemoryMap.AllocationGranularity;
        var content = new byte[(2 * page) + 100];
        content.AsSpan().Fill((byte)'x');
        File.WriteAllBytes(_path, content);
        using (var map = MemoryMap.Open(_path, MapAccess.Default, length: 10, offset: page))
        {
            map.Resize(10);
            Assert.Equal(page + 10, map.Size());
        }

        Assert.Equal(page + 10, new FileInfo(_path).Length);
    }

    /// <summary>
    /// Seed 20261204, sequence 72 of the recorded batch, on Windows: a map that ends before its file
    /// does, grown, must cut the file to offset + newsize (CPython's ftruncate) with the map intact.
    /// Windows cut the file under the old view first, which it refuses (ERROR_USER_MAPPED_FILE):
    /// the resize failed with MapIOException where Linux succeeds.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AGrowOfAMapThatEndsBeforeItsFileCutsTheFileToTheNewEnd(bool copyOnWrite)
    {
        byte[] content = new byte[9919];
        for (int i = 0; i < content.Length; i++)
        {
            content[i] = (byte)(i * 13);
        }

        File.WriteAllBytes(_path, content);
        using (SafeFileHandle handle = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite))
        using (var map = copyOnWrite ? new MemoryMap(handle, 3280, MapFlags.Private) : new MemoryMap(handle, 3280))
        {
            map[0] = 0xEE;
            map.Resize(8132);
            Assert.Equal(8132, map.Length);
            Assert.Equal(8132, map.Size());
            Assert.Equal(0xEE, map[0]);
            Assert.True(map[1..].AsSpan().SequenceEqual(content.AsSpan(1, 8131)));
        }

        byte[] after = File.ReadAllBytes(_path);
        Assert.Equal(8132, after.Length);
        Assert.Equal(copyOnWrite ? content[0] : (byte)0xEE, after[0]);
        Assert.True(after.AsSpan(1).SequenceEqual(content.AsSpan(1, 8131)));
    }

    /// <summary>
    /// Seed 1757953830, sequence 148 of the recorded batch, on Windows: <c>madvise(MADV_WILLNEED, 0, 0)</c>
    /// succeeds on Linux (0 bytes: nothing to do); Windows passed the 0 bytes to
    /// <c>PrefetchVirtualMemory</c>, which refuses them (MapIOException, ERROR_INVALID_PARAMETER).
    /// </summary>
    [Fact]
    public void WillNeedOverZeroBytesDoesNothing()
    {
        using var map = MemoryMap.Anonymous(3 * MemoryMap.PageSize);
        map.Advise(MapAdvice.WillNeed, 0, 0);
        map.Advise(MapAdvice.WillNeed, MemoryMap.PageSize, 0);
        map.Advise(MapAdvice.Normal, 0, 0);
        Assert.Equal(3 * MemoryMap.PageSize, map.Length);
    }

    /// <summary>
    /// Seed 482137685, sequence 1071: anonymous private memory written, shrunk inside a page, then
    /// grown. CPython's <c>mremap</c> keeps the stale bytes past the shrink in the page (unless a
    /// <c>madvise</c> split made it fail over to a fresh mapping: zeros). Overlay zero-fills what a
    /// grow adds, on every path: mremap, mapping afresh (split, macOS) and Windows' fresh view.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AGrowAfterAShrinkInsideAPageReadsZeros(bool split)
    {
        long page = MemoryMap.PageSize;
        using var map = MemoryMap.Anonymous(3 * page, MapFlags.Private);
        map.Fill(0, map.Length, 0xAB);
        if (split)
        {
            // MADV_RANDOM changes the flags of the middle page: the mapping becomes three VMAs, which mremap cannot grow.
            map.Advise(MapAdvice.Random, page, page);
        }

        map.Resize(page + 100);
        map.Resize(2 * page + 50);

        Assert.Equal(-1, map[(int)(page + 100)..].AsSpan().IndexOfAnyExcept((byte)0));
        Assert.Equal(-1, map[..(int)(page + 100)].AsSpan().IndexOfAnyExcept((byte)0xAB));
    }

    /// <summary>
    /// A private file map's copy-on-write page keeps, past a shrink, bytes the file no longer has;
    /// a grow reads what the file holds there (here zeros: the shrink cut the file), as mapping the
    /// file afresh does.
    /// </summary>
    [Fact]
    public void APrivateFileMapGrownAfterAShrinkReadsTheFilesBytes()
    {
        long page = MemoryMap.PageSize;
        var content = new byte[2 * page];
        content.AsSpan().Fill(0xCD);
        File.WriteAllBytes(_path, content);
        using (SafeFileHandle handle = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite))
        using (var map = new MemoryMap(handle, 2 * page, MapFlags.Private))
        {
            map[0] = 1;
            map.Resize(100);
            map.Resize(page + 100);
            Assert.Equal(1, map[0]);
            Assert.Equal(-1, map[1..100].AsSpan().IndexOfAnyExcept((byte)0xCD));
            Assert.Equal(-1, map[100..].AsSpan().IndexOfAnyExcept((byte)0));
        }
    }
}
