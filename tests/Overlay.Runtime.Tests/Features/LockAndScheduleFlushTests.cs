using System;
using Xunit;

namespace Overlay.Tests.Features;

/// <summary>
/// <see cref="MemoryMap.Lock()"/>/<see cref="MemoryMap.Unlock()"/> (mlock, checked in
/// <c>/proc/self/smaps</c>) and <see cref="MemoryMap.ScheduleFlush()"/> (msync MS_ASYNC). The
/// ranges locked are a few pages, far below the usual 8 MiB <c>RLIMIT_MEMLOCK</c>.
/// </summary>
public class LockAndScheduleFlushTests
{
    private static readonly long Page = MemoryMap.PageSize;

    [Fact]
    public void LockWholeMapLocksEveryPageAndUnlockReleasesThem()
    {
        using var file = FeatureTempFile.WithPattern((int)(3 * Page));
        using var map = MemoryMap.Open(file.Path);
        ulong address = FeatureProcMaps.AddressOf(map);
        Assert.Equal(0, FeatureProcMaps.FindDetailed(address).Kilobytes("Locked"));

        map.Lock();
        FeatureMapping locked = FeatureProcMaps.FindDetailed(address);
        Assert.Equal(address, locked.Start);
        Assert.Equal(address + (ulong)(3 * Page), locked.End);
        Assert.Equal(3 * Page / 1024, locked.Kilobytes("Locked"));
        Assert.Contains("lo", locked.Details["VmFlags"].Split(' '));

        // Locked pages are still the map.
        map[0] = 0x42;
        Assert.Equal(0x42, file.ReadAll()[0]);

        map.Unlock();
        FeatureMapping unlocked = FeatureProcMaps.FindDetailed(address);
        Assert.Equal(0, unlocked.Kilobytes("Locked"));
        Assert.DoesNotContain("lo", unlocked.Details["VmFlags"].Split(' '));
    }

    [Fact]
    public void LockARangeLocksOnlyItsPages()
    {
        using var file = FeatureTempFile.WithPattern((int)(4 * Page));
        using var map = MemoryMap.Open(file.Path);
        ulong address = FeatureProcMaps.AddressOf(map);

        map.Lock(Page, 2 * Page);

        // mlock of part of a mapping splits it: the locked pages get a VMA of their own.
        FeatureMapping before = FeatureProcMaps.FindDetailed(address);
        FeatureMapping middle = FeatureProcMaps.FindDetailed(address + (ulong)Page);
        FeatureMapping after = FeatureProcMaps.FindDetailed(address + (ulong)(3 * Page));
        Assert.Equal(address + (ulong)Page, middle.Start);
        Assert.Equal(address + (ulong)(3 * Page), middle.End);
        Assert.Equal(2 * Page / 1024, middle.Kilobytes("Locked"));
        Assert.Equal(0, before.Kilobytes("Locked"));
        Assert.Equal(0, after.Kilobytes("Locked"));

        map.Unlock(Page, 2 * Page);
        Assert.Equal(0, FeatureProcMaps.FindDetailed(address + (ulong)Page).Kilobytes("Locked"));
    }

    [Fact]
    public void LockToTheEndWithMinusOne()
    {
        using var map = MemoryMap.Anonymous(4 * Page);
        ulong address = FeatureProcMaps.AddressOf(map);
        map.Lock(2 * Page, -1);
        FeatureMapping tail = FeatureProcMaps.FindDetailed(address + (ulong)(2 * Page));
        Assert.Equal(address + (ulong)(2 * Page), tail.Start);
        Assert.Equal(2 * Page / 1024, tail.Kilobytes("Locked"));
        map.Unlock(2 * Page, -1);
        Assert.Equal(0, FeatureProcMaps.FindDetailed(address + (ulong)(2 * Page)).Kilobytes("Locked"));
    }

    [Fact]
    public void LockAnUnalignedRangeLocksThePagesItTouches()
    {
        using var file = FeatureTempFile.WithPattern((int)(4 * Page));
        using var map = MemoryMap.Open(file.Path);
        ulong address = FeatureProcMaps.AddressOf(map);
        map.Lock(Page + 10, 20);
        FeatureMapping page = FeatureProcMaps.FindDetailed(address + (ulong)Page);
        Assert.Equal(address + (ulong)Page, page.Start);
        Assert.Equal(address + (ulong)(2 * Page), page.End);
        Assert.Equal(Page / 1024, page.Kilobytes("Locked"));
        map.Unlock();
    }

    [Theory]
    [InlineData(-1L, 1L)]
    [InlineData(0L, -2L)]
    [InlineData(0L, long.MinValue)]
    [InlineData(0L, 101L)]
    [InlineData(101L, 0L)]
    [InlineData(50L, 51L)]
    [InlineData(1L, long.MaxValue)]
    [InlineData(long.MaxValue, 1L)]
    public void LockAndUnlockRefuseRangesOutsideTheMap(long start, long length)
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Lock(start, length));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Unlock(start, length));
    }

    [Theory]
    [InlineData(0L, 100L)]
    [InlineData(100L, 0L)]
    [InlineData(100L, -1L)]
    [InlineData(99L, 1L)]
    [InlineData(0L, 0L)]
    public void LockAndUnlockAcceptRangesInsideTheMap(long start, long length)
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
        map.Lock(start, length);
        map.Unlock(start, length);
        Assert.Equal(99, map[99]);
    }

    [Fact]
    public void LockAndUnlockOnAClosedMapThrowObjectDisposed()
    {
        using var file = FeatureTempFile.WithPattern(100);
        var map = MemoryMap.Open(file.Path);
        map.Close();
        Assert.Throws<ObjectDisposedException>(map.Lock);
        Assert.Throws<ObjectDisposedException>(map.Unlock);
        Assert.Throws<ObjectDisposedException>(() => map.Lock(0, 1));
        Assert.Throws<ObjectDisposedException>(() => map.Unlock(0, 1));
        Assert.Throws<ObjectDisposedException>(map.ScheduleFlush);
        Assert.Throws<ObjectDisposedException>(() => map.ScheduleFlush(0, 1));
    }

    [Fact]
    public void ScheduleFlushSucceedsAndTheDataIsTheFiles()
    {
        using var file = FeatureTempFile.WithPattern((int)(3 * Page));
        using var map = MemoryMap.Open(file.Path);
        map[0] = 0xA1;
        map[Page + 1] = 0xA2;
        map[(3 * Page) - 1] = 0xA3;
        map.ScheduleFlush();
        map.ScheduleFlush(Page);
        map.ScheduleFlush(Page, Page);
        map.ScheduleFlush(0, 0);
        map.ScheduleFlush(3 * Page, -1);
        map.Flush(); // waits for what was scheduled

        byte[] disk = file.ReadAll();
        Assert.Equal(0xA1, disk[0]);
        Assert.Equal(0xA2, disk[Page + 1]);
        Assert.Equal(0xA3, disk[^1]);
    }

    [Theory]
    [InlineData(MapAccess.Read)]
    [InlineData(MapAccess.Copy)]
    [InlineData(MapAccess.Write)]
    public void ScheduleFlushChecksItsRangeForEveryAccess(MapAccess access)
    {
        using var file = FeatureTempFile.WithPattern((int)(2 * Page));
        using var map = MemoryMap.Open(file.Path, access);
        map.ScheduleFlush();
        map.ScheduleFlush(Page, Page);

        Assert.Throws<ArgumentOutOfRangeException>(() => map.ScheduleFlush(-Page));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ScheduleFlush(3 * Page));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ScheduleFlush(0, (2 * Page) + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ScheduleFlush(Page, Page + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ScheduleFlush(0, -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ScheduleFlush(0, long.MaxValue));

        // An unaligned offset is refused before any system call, whatever the access (as Flush).
        var error = Assert.Throws<ArgumentException>(() => map.ScheduleFlush(1, 10));
        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Equal("offset", error.ParamName);
    }

    [Fact]
    public void ScheduleFlushOnAnonymousMemorySucceeds()
    {
        using var map = MemoryMap.Anonymous(2 * Page);
        map[0] = 1;
        map.ScheduleFlush();
        map.ScheduleFlush(Page, Page);
        Assert.Equal(1, map[0]);
    }
}
