using System;
using Overlay.Platform;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>
/// Issue 14, hole 11: an <c>mprotect</c> that changes some pages and then fails must not leave
/// <see cref="MemoryMap.Protection"/> (and the limits every access checks) allowing more than the pages do.
/// </summary>
public class ProtectFailureTests
{
    [Fact]
    public void PartialFailureIsUndoneAndTheOldProtectionKept()
    {
        var platform = new FaultyPlatform();
        long page = MemoryMap.PageSize;
        using MemoryMap map = CreateOn(platform, 4 * page);
        map[-1] = 9;
        int calls = 0;
        platform.OnProtect = (address, length, protection, real) =>
        {
            if (calls++ == 0)
            {
                real(address, page, protection); // the first VMA changed, then the call fails
                throw new MapIOException("injected mprotect failure", 12);
            }

            real(address, length, protection);
        };

        Assert.Throws<MapIOException>(() => map.Protect(MapProtection.None));
        Assert.Equal(MapProtection.ReadWrite, map.Protection);
        Assert.True(map.CanRead);
        Assert.True(map.CanWrite);

        // Every page is readable and writable again: the old protection was put back on all of them.
        map[0] = 1;
        Assert.Equal(1, map[0]);
        Assert.Equal(9, map[-1]);
    }

    [Fact]
    public void FailedUndoLeavesAMapThatAllowsNothing()
    {
        var platform = new FaultyPlatform();
        long page = MemoryMap.PageSize;
        using MemoryMap map = CreateOn(platform, 4 * page);
        platform.OnProtect = (address, length, protection, real) =>
        {
            real(address, page, MapProtection.None);
            throw new MapIOException("injected mprotect failure", 12);
        };

        Assert.Throws<MapIOException>(() => map.Protect(MapProtection.Read));

        // Which pages allow what is unknown, so nothing is allowed: a read of page 0 would have faulted.
        Assert.Equal(MapProtection.None, map.Protection);
        Assert.False(map.CanRead);
        Assert.False(map.CanWrite);
        Assert.Throws<NotSupportedException>(() => map[0]);
        Assert.Throws<NotSupportedException>(() => map.ReadAt<int>(0));

        // A later Protect that succeeds gives the map back.
        platform.OnProtect = null;
        map.Protect(MapProtection.ReadWrite);
        map[0] = 5;
        Assert.Equal(5, map[0]);
    }

    [Fact]
    public void UnnamedProtectionBitsAreRefusedBeforeTheKernel()
    {
        using var map = MemoryMap.Anonymous(4096);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => map.Protect((MapProtection)0x10));
        Assert.Equal("protection", error.ParamName);
        Assert.Equal(MapProtection.ReadWrite, map.Protection);
    }

    private static MemoryMap CreateOn(IMapPlatform platform, long length)
    {
        using (MapPlatform.Override(platform))
        {
            return MemoryMap.Anonymous(length, MapFlags.Private);
        }
    }
}
