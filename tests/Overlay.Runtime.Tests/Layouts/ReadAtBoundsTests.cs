using System;
using Overlay.Layouts.Support;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// The bounds checks every generated accessor goes through (<see cref="MemoryMap.ReadAt{T}"/>,
/// <see cref="MemoryMap.WriteAt{T}"/>, <see cref="MemoryMap.EnsureRange"/>), for every kind of bad
/// input: negative offsets, offsets near <see cref="long.MaxValue"/>, maps shorter than the value,
/// closed maps, and the exact last valid offset.
/// </summary>
public class ReadAtBoundsTests
{
    public static TheoryData<long> OffsetsOutside(long length, int size) =>
    [
        -1,
        -size,
        -size + 1,
        -size - 1,
        long.MinValue,
        long.MinValue + 1,
        long.MaxValue,
        long.MaxValue - size,
        long.MaxValue - size + 1,
        length - size + 1,
        length,
        length + 1,
    ];

    public static TheoryData<long> IntOffsetsOutside16 => OffsetsOutside(16, sizeof(int));

    private static MemoryMap Map16()
    {
        MemoryMap map = MemoryMap.Anonymous(16);
        for (int i = 0; i < 16; i++)
        {
            map[i] = (byte)(i + 1);
        }

        return map;
    }

    [Theory]
    [MemberData(nameof(IntOffsetsOutside16))]
    public void ReadAtOutsideThrowsAndWriteAtOutsideWritesNothing(long offset)
    {
        using MemoryMap map = Map16();
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ReadAt<int>(offset));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.WriteAt(offset, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueAccess.Read<int>(map, offset, bigEndian: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueAccess.Write(map, offset, -1, bigEndian: false));
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal((byte)(i + 1), map[i]);
        }
    }

    [Theory]
    [MemberData(nameof(IntOffsetsOutside16))]
    public void EnsureRangeOutsideThrows(long offset)
    {
        using MemoryMap map = Map16();
        Assert.Throws<ArgumentOutOfRangeException>(() => map.EnsureRange(offset, sizeof(int)));
    }

    [Fact]
    public void LastValidOffsetIsInsideAndOneMoreIsNot()
    {
        Assert.True(BitConverter.IsLittleEndian);
        using MemoryMap map = Map16();
        Assert.Equal(0x100F0E0D, map.ReadAt<int>(12));
        map.WriteAt(12, 0x01020304);
        Assert.Equal(0x01020304, map.ReadAt<int>(12));
        Assert.Equal(0x010203040C0B0A09L, map.ReadAt<long>(8)); // machine order: the tests run little-endian
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ReadAt<long>(9));
        map.EnsureRange(12, 4);
        map.EnsureRange(0, 16);
        map.EnsureRange(16, 0);
        map.EnsureRange(0, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.EnsureRange(13, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.EnsureRange(0, 17));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.EnsureRange(17, 0));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(3L)]
    public void MapShorterThanTheValueRefusesEveryOffset(long length)
    {
        using MemoryMap map = MemoryMap.Anonymous(length);
        foreach (long offset in new[] { 0L, -1L, 1L, length, long.MaxValue, long.MinValue })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => map.ReadAt<int>(offset));
            Assert.Throws<ArgumentOutOfRangeException>(() => map.WriteAt(offset, 7));
            Assert.Throws<ArgumentOutOfRangeException>(() => map.EnsureRange(offset, sizeof(int)));
        }

        Assert.Equal(0, map.ReadAt<byte>(length - 1));
    }

    [Theory]
    [InlineData(0L, 8L)]
    [InlineData(0L, long.MaxValue)]
    [InlineData(0L, long.MinValue)]
    [InlineData(0L, -1L)]
    [InlineData(8L, -8L)]
    [InlineData(long.MaxValue, 1L)]
    [InlineData(-8L, 16L)]
    [InlineData(1L, long.MaxValue)]
    public void EnsureRangeRefusesNegativeAndHugeSizes(long offset, long size)
    {
        using MemoryMap map = MemoryMap.Anonymous(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.EnsureRange(offset, size));
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(0L, 4L)]
    [InlineData(4L, 0L)]
    [InlineData(-1L, 4L)]
    [InlineData(long.MaxValue, 4L)]
    [InlineData(0L, -1L)]
    public void ClosedMapThrowsObjectDisposedForEveryRange(long offset, long size)
    {
        MemoryMap map = Map16();
        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => map.EnsureRange(offset, size));
        Assert.Throws<ObjectDisposedException>(() => map.ReadAt<int>(offset));
        Assert.Throws<ObjectDisposedException>(() => map.WriteAt(offset, 1));
        Assert.Throws<ObjectDisposedException>(() => map.ReadAt<byte>(offset));
    }

    [Fact]
    public void ReadOnlyMapRefusesWriteAtEverywhere()
    {
        using MemoryMap map = MemoryMap.Anonymous(16, access: MapAccess.Read);
        Assert.Equal(0, map.ReadAt<int>(12));
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => map.WriteAt(0, 1));
        Assert.Throws<NotSupportedException>(() => map.WriteAt(-1, 1));
        Assert.Throws<NotSupportedException>(() => map.WriteAt(long.MaxValue, 1));
#pragma warning restore OVL001
    }

    [Fact]
    public void ViewsFollowTheLiveMappingAfterResize()
    {
        using var temp = new TempPath();
        temp.WithBytes(64);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        map.EnsureRange(60, 4);
        Assert.Equal(0, map.ReadAt<int>(60));
        map.Resize(32);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.EnsureRange(60, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ReadAt<int>(60));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.ReadAt<int>(29));
        Assert.Equal(0, map.ReadAt<int>(28));
    }
}
