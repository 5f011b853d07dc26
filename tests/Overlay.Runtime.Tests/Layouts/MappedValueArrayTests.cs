using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

public class MappedValueArrayTests
{
    private enum Color : ushort
    {
        Red = 1,
        Blue = 0x0203,
    }

    [Fact]
    public void LittleAndBigEndianElementsLandAsStored()
    {
        using TempPath temp = new TempPath().WithBytes(32);
        using (MemoryMap map = MemoryMap.Open(temp.Path))
        {
            var little = new MappedValueArray<int>(map, 0, 3, bigEndian: false);
            var big = new MappedValueArray<int>(map, 12, 3, bigEndian: true);
            Assert.Equal(3, little.Length);
            for (int i = 0; i < 3; i++)
            {
                little[i] = 0x01020304 + i;
                big[i] = 0x01020304 + i;
            }

            Assert.Equal([0x01020304, 0x01020305, 0x01020306], big.ToArray());
            Assert.Equal(little.ToArray(), big.AsReadOnly().ToArray());
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0x01020304 + i, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4)));
            Assert.Equal(0x01020304 + i, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12 + (i * 4))));
        }
    }

    [Fact]
    public void IndexIsBoundsChecked()
    {
        using TempPath temp = new TempPath().WithBytes(16);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var array = new MappedValueArray<short>(map, 2, 4, false);
        Assert.Throws<IndexOutOfRangeException>(() => array[4]);
        Assert.Throws<IndexOutOfRangeException>(() => array[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => array[4] = 1);
        Assert.Throws<IndexOutOfRangeException>(() => array.AsReadOnly()[int.MinValue]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedValueArray<long>(map, 0, 3, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedValueArray<long>(map, 9, 1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMappedValueArray<long>(map, 0, -1, false));
    }

    [Fact]
    public void CopyFromNeedsTheExactLengthAndWritesNothingOtherwise()
    {
        using TempPath temp = new TempPath().WithBytes(16, 0xEE);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var array = new MappedValueArray<ushort>(map, 0, 4, false);
        Assert.Throws<ArgumentException>(() => array.CopyFrom([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => array.CopyFrom([1, 2, 3, 4, 5]));
        Assert.Equal([0xEEEE, 0xEEEE, 0xEEEE, 0xEEEE], array.ToArray());
        array.CopyFrom([1, 2, 3, 4]);
        Assert.Equal([1, 2, 3, 4], array.ToArray());
    }

    [Fact]
    public void ForeachEnumeratesWithoutAllocating()
    {
        using TempPath temp = new TempPath().WithBytes(800);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var array = new MappedValueArray<long>(map, 0, 100, false);
        for (int i = 0; i < 100; i++)
        {
            array[i] = i;
        }

        long Sum()
        {
            long sum = 0;
            foreach (long value in array)
            {
                sum += value;
            }

            foreach (long value in array.AsReadOnly())
            {
                sum += value;
            }

            return sum;
        }

        Assert.Equal(9900, Sum());
        long before = GC.GetAllocatedBytesForCurrentThread();
        long total = Sum();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(9900, total);
    }

    [Fact]
    public void BoolIsOneByteAndAnyNonZeroByteReadsTrue()
    {
        using TempPath temp = new TempPath().WithBytes(4);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var flags = new MappedValueArray<bool>(map, 0, 4, false);
        flags[0] = true;
        flags[1] = false;
        Assert.Equal(1, map[0]);
        map[2] = 0x80;
        Assert.Equal([true, false, true, false], flags.ToArray());
        bool stored = flags[2];
        Assert.True(stored);
        Assert.Equal(1, Convert.ToByte(stored));
    }

    [Fact]
    public void EnumsUseTheirUnderlyingTypeAndByteOrder()
    {
        using TempPath temp = new TempPath().WithBytes(4);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var colors = new MappedValueArray<Color>(map, 0, 2, bigEndian: true);
        colors[0] = Color.Blue;
        colors[1] = Color.Red;
        Assert.Equal([0x02, 0x03, 0x00, 0x01], map[..]);
        Assert.Equal([Color.Blue, Color.Red], colors.ToArray());
    }

    [Fact]
    public void AReadOnlyMapRefusesWritesAndAClosedOneEverything()
    {
        using TempPath temp = new TempPath().WithBytes(8, 1);
        var map = MemoryMap.Open(temp.Path, MapAccess.Read);
        var array = new MappedValueArray<byte>(map, 0, 8, false);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => array[0] = 2);
#pragma warning restore OVL001
        Assert.Equal(1, array[0]);
        ReadOnlyMappedValueArray<byte> readOnly = array.AsReadOnly();
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => array[0]);
        Assert.Throws<ObjectDisposedException>(() => readOnly[0]);
    }

    [Fact]
    public void ElementsPastAShrunkMapThrow()
    {
        using TempPath temp = new TempPath().WithBytes(64);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var array = new MappedValueArray<double>(map, 0, 8, false);
        map.Resize(32);
        Assert.Throws<ArgumentOutOfRangeException>(() => array[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => array[7] = 1);
        Assert.Equal(0.0, array[3]);
    }
}
