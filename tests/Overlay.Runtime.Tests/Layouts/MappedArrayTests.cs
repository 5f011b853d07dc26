using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

public class MappedArrayTests
{
    private static TempPath FileOfRecords(int count)
    {
        TempPath temp = new TempPath().WithBytes(count * TestRecord.SizeInBytes);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, count);
        for (int i = 0; i < count; i++)
        {
            TestRecord.View record = records[i];
            record.Id = i;
            record.Tag = $"r{i}";
        }

        return temp;
    }

    [Fact]
    public void IndexerReturnsViewsOfConsecutiveRecords()
    {
        using TempPath temp = FileOfRecords(4);
        byte[] bytes = File.ReadAllBytes(temp.Path);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(i, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 32)));
        }

        using MemoryMap map = MemoryMap.Open(temp.Path, MapAccess.Read);
        var records = new MappedArray<TestRecord.ReadOnlyView>(map, 32, 3);
        Assert.Equal(3, records.Count);
        Assert.Equal(32, records.Offset);
        Assert.Same(map, records.Map);
        Assert.Equal(2, records[1].Id);
        Assert.Equal(64, MappedView.OffsetOf(records[1]));
        Assert.Equal("r3", records[2].Tag);
    }

    [Fact]
    public void IndexerIsBoundsChecked()
    {
        using TempPath temp = FileOfRecords(4);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => records[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => records[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => records[long.MaxValue]);
        Assert.Throws<ArgumentOutOfRangeException>(() => records[long.MinValue]);
        Assert.Equal(0, default(MappedArray<TestRecord.View>).Count);
    }

    [Fact]
    public void ConstructorRefusesRecordsOutsideTheMap()
    {
        using TempPath temp = FileOfRecords(4);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedArray<TestRecord.View>(map, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedArray<TestRecord.View>(map, 1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedArray<TestRecord.View>(map, -32, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedArray<TestRecord.View>(map, 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedArray<TestRecord.View>(map, 0, long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedArray<TestRecord.View>(map, 0, (long.MaxValue / 32) + 1));
        Assert.Throws<ArgumentNullException>(() => new MappedArray<TestRecord.View>(null!, 0, 0));
        Assert.Equal(0, new MappedArray<TestRecord.View>(map, 128, 0).Count);
    }

    [Fact]
    public void SliceIsAnArrayOfItsOwn()
    {
        using TempPath temp = FileOfRecords(6);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 6);
        MappedArray<TestRecord.View> middle = records.Slice(2, 3);
        Assert.Equal(3, middle.Count);
        Assert.Equal(64, middle.Offset);
        Assert.Equal(2, middle[0].Id);
        Assert.Equal(4, middle[2].Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => middle[3]);
        Assert.Equal(3, middle.Slice(1, 2)[0].Id);
        Assert.Equal(0, records.Slice(6, 0).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Slice(5, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Slice(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Slice(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Slice(7, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Slice(1, long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => middle.Slice(0, 4));
    }

    [Fact]
    public void ForeachVisitsEveryRecordWithoutAllocating()
    {
        using TempPath temp = FileOfRecords(1000);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 1000);
        long Sum()
        {
            long sum = 0;
            foreach (TestRecord.View record in records)
            {
                sum += record.Id;
            }

            return sum;
        }

        Assert.Equal(999 * 1000 / 2, Sum());
        long before = GC.GetAllocatedBytesForCurrentThread();
        long total = Sum();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(999 * 1000 / 2, total);
        Assert.Equal(0, allocated);

        int visited = 0;
        foreach (TestRecord.View record in records.Slice(10, 5))
        {
            Assert.Equal(10 + visited, record.Id);
            visited++;
        }

        Assert.Equal(5, visited);
    }

    [Fact]
    public void AReadOnlyMapRefusesArraysOfWritableViews()
    {
        using TempPath temp = FileOfRecords(2);
        using MemoryMap map = MemoryMap.Open(temp.Path, MapAccess.Read);
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => new MappedArray<TestRecord.View>(map, 0, 2));
        Assert.Contains("ReadOnlyView", error.Message);
        Assert.Equal(1, new MappedArray<TestRecord.ReadOnlyView>(map, 0, 2)[1].Id);

        // A writable view made by hand still cannot write.
        var view = new TestRecord.View(map, 0);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => view.Id = 5);
        Assert.Throws<NotSupportedException>(() => view.Tag = "x");
        Assert.Throws<NotSupportedException>(() => view.Store(new TestRecord()));
#pragma warning restore OVL001
        Assert.Equal(0, view.Id);
    }

    [Fact]
    public void ViewsTakenBeforeAShrinkingResizeThrow()
    {
        using TempPath temp = FileOfRecords(4);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 4);
        TestRecord.View last = records[3];
        TestRecord.View first = records[0];
        map.Resize(2 * 32);
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Id = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Tag);
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Load());
        // The indexer checks the index only; the view it returns is checked when used.
        TestRecord.View again = records[3];
        Assert.Throws<ArgumentOutOfRangeException>(() => again.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => records.At(3).Id = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => records[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => records.Slice(0, 4));
        Assert.Equal(0, first.Id);

        // Growing again brings the offset back inside: the view reads the (zeroed) new bytes.
        map.Resize(4 * 32);
        Assert.Equal(0, last.Id);
    }

    [Fact]
    public void ViewsOfAClosedMapThrowObjectDisposed()
    {
        using TempPath temp = FileOfRecords(2);
        var map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 2);
        TestRecord.View view = records[1];
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        Assert.Throws<ObjectDisposedException>(() => view.Id = 3);
        Assert.Throws<ObjectDisposedException>(() => view.Tag);
        Assert.Throws<ObjectDisposedException>(() => records[0].Id);
        Assert.Throws<ObjectDisposedException>(() => records.At(0).Id = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => records[2]);
        Assert.Throws<ObjectDisposedException>(() => new MappedArray<TestRecord.View>(map, 0, 1));
        Assert.Throws<ObjectDisposedException>(() =>
        {
            foreach (TestRecord.View record in records)
            {
                _ = record.Id;
            }
        });
    }
}
