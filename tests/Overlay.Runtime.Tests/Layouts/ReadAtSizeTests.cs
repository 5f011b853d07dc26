using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// <see cref="MemoryMap.ReadAt{T}"/> and <see cref="MemoryMap.WriteAt{T}"/> check 1, 2, 4, 8 and
/// 16-byte values with one unsigned compare against a count of valid start offsets kept per size
/// (and other sizes with the general test): every size, against a reference predicate, on maps
/// shorter than, as long as and longer than the value, after growing, shrinking and closing.
/// </summary>
public class ReadAtSizeTests
{
    [StructLayout(LayoutKind.Sequential, Size = 3)]
    private struct Three
    {
        public byte A;
    }

    [StructLayout(LayoutKind.Sequential, Size = 32)]
    private struct ThirtyTwo
    {
        public long A;
    }

    private static IEnumerable<long> Offsets(long length)
    {
        for (long offset = -20; offset <= length + 20; offset++)
        {
            yield return offset;
        }

        yield return long.MinValue;
        yield return long.MinValue + 1;
        yield return long.MaxValue;
        yield return long.MaxValue - 1;
        yield return long.MaxValue - 15;
        yield return -length;
    }

    private static bool Inside(long offset, int size, long length) => offset >= 0 && offset <= length - size;

    private static void CheckEverySize(MemoryMap map, long length)
    {
        Check<byte>(map, length);
        Check<short>(map, length);
        Check<int>(map, length);
        Check<long>(map, length);
        Check<Guid>(map, length);
        Check<Three>(map, length);
        Check<ThirtyTwo>(map, length);
    }

    private static unsafe void Check<T>(MemoryMap map, long length)
        where T : unmanaged
    {
        foreach (long offset in Offsets(length))
        {
            if (Inside(offset, sizeof(T), length))
            {
                map.WriteAt(offset, default(T));
                _ = map.ReadAt<T>(offset);
            }
            else
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => map.ReadAt<T>(offset));
                Assert.Throws<ArgumentOutOfRangeException>(() => map.WriteAt(offset, default(T)));
            }
        }
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(3L)]
    [InlineData(4L)]
    [InlineData(7L)]
    [InlineData(8L)]
    [InlineData(15L)]
    [InlineData(16L)]
    [InlineData(17L)]
    [InlineData(31L)]
    [InlineData(32L)]
    [InlineData(4096L)]
    public void EverySizeIsInsideExactlyWhereTheReferenceSaysSo(long length)
    {
        using MemoryMap map = MemoryMap.Anonymous(length, flags: MapFlags.Private);
        CheckEverySize(map, length);
    }

    [Fact]
    public void TheCountsFollowResizeBothWays()
    {
        using var temp = new TempPath();
        temp.WithBytes(40);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        CheckEverySize(map, 40);
        map.Resize(5);
        CheckEverySize(map, 5);
        map.Resize(1);
        CheckEverySize(map, 1);
        map.Resize(33);
        CheckEverySize(map, 33);
    }

    [Fact]
    public void ClosedMapRefusesEverySizeAsDisposed()
    {
        MemoryMap map = MemoryMap.Anonymous(64);
        map.Close();
        foreach (long offset in new[] { 0L, 1L, 63L, -1L, long.MaxValue, long.MinValue })
        {
            Assert.Throws<ObjectDisposedException>(() => map.ReadAt<byte>(offset));
            Assert.Throws<ObjectDisposedException>(() => map.ReadAt<short>(offset));
            Assert.Throws<ObjectDisposedException>(() => map.ReadAt<long>(offset));
            Assert.Throws<ObjectDisposedException>(() => map.ReadAt<Guid>(offset));
            Assert.Throws<ObjectDisposedException>(() => map.ReadAt<ThirtyTwo>(offset));
            Assert.Throws<ObjectDisposedException>(() => map.WriteAt(offset, (short)1));
            Assert.Throws<ObjectDisposedException>(() => map.WriteAt(offset, Guid.Empty));
            Assert.Throws<ObjectDisposedException>(() => map.WriteAt(offset, default(Three)));
        }
    }

    [Fact]
    public void ProtectionChangesTheCounts()
    {
        using MemoryMap map = MemoryMap.Anonymous(64, flags: MapFlags.Private);
        map.WriteAt(56, 7L);
        map.Protect(MapProtection.Read);
        Assert.Equal(7L, map.ReadAt<long>(56));
        Assert.Throws<NotSupportedException>(() => map.WriteAt(56, 1L));
        Assert.Throws<NotSupportedException>(() => map.WriteAt(0, (short)1));
        map.Protect(MapProtection.None);
        Assert.Throws<NotSupportedException>(() => map.ReadAt<long>(0));
        Assert.Throws<NotSupportedException>(() => map.ReadAt<Guid>(0));
        map.Protect(MapProtection.Read | MapProtection.Write);
        map.WriteAt(48, Guid.Empty);
        Assert.Equal(Guid.Empty, map.ReadAt<Guid>(48));
    }
}
