using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Formats;
using Overlay.Fuzz;
using Overlay.Indexes;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Durability;

/// <summary>
/// Use after close, or after a resize took the bytes away, of the types derived from a map that the
/// other lifetime tests leave out (issue 11): the sorted index (every member, an enumerator taken
/// before), the hash index's remaining members and an enumerator taken before, the heap fields of a
/// container's records, and views, arrays and value arrays whose bytes a shrinking resize removed.
/// Each throws what it documents (<see cref="ObjectDisposedException"/>,
/// <see cref="ArgumentOutOfRangeException"/>); none faults, which would end the test host.
/// </summary>
public class UseAfterCloseOfDerivedTypesTests
{
    [Fact]
    public void ASortedIndexAndWhatItHandedOutThrowAfterDispose()
    {
        using var temp = new TempPath();
        using (var builder = new SortedIndexBuilder<long, FuzzRecord.View>())
        {
            for (long key = 0; key < 40; key++)
            {
                builder.Add(key, ContainerTarget.Record(key));
            }

            builder.Build(temp.Path);
        }

        var index = MappedSortedIndex<long, FuzzRecord.ReadOnlyView>.Open(temp.Path);
        FuzzRecord.ReadOnlyView view = index.First().Value;
        MappedSortedIndex<long, FuzzRecord.ReadOnlyView>.RangeEnumerable.Enumerator enumerator = index.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        MappedSortedIndex<long, FuzzRecord.ReadOnlyView>.RangeEnumerable range = index.Range(5, 10);
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.TryGetValue(3, out _));
        Assert.Throws<ObjectDisposedException>(() => index.ContainsKey(3));
        Assert.Throws<ObjectDisposedException>(() => index.First());
        Assert.Throws<ObjectDisposedException>(() => index.Last());
        Assert.Throws<ObjectDisposedException>(() => index.Range(0, 1));
        Assert.Throws<ObjectDisposedException>(() => index.GetEnumerator());
        Assert.Throws<ObjectDisposedException>(() => index.Flush());
        Assert.Throws<ObjectDisposedException>(() => enumerator.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => range.GetEnumerator().MoveNext());
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        index.Dispose(); // twice: nothing
    }

    [Fact]
    public void AHashIndexAndWhatItHandedOutThrowAfterDispose()
    {
        using var temp = new TempPath();
        var index = MappedHashIndex<ulong, FuzzRecord.View>.Create(temp.Path);
        for (ulong key = 0; key < 20; key++)
        {
            index.Set(key, ContainerTarget.Record((long)key));
        }

        FuzzRecord.View view = index.GetValue(3);
        MappedHashIndex<ulong, FuzzRecord.View>.Enumerator enumerator = index.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.TryGetValue(3, out _));
        Assert.Throws<ObjectDisposedException>(() => index.GetValue(3));
        Assert.Throws<ObjectDisposedException>(() => index.GetOrAdd(3));
        Assert.Throws<ObjectDisposedException>(() => index.Set(4, ContainerTarget.Record(4)));
        Assert.Throws<ObjectDisposedException>(() => index.Remove(3));
        Assert.Throws<ObjectDisposedException>(() => index.Clear());
        Assert.Throws<ObjectDisposedException>(() => index.Flush());
        Assert.Throws<ObjectDisposedException>(() => index.Capacity);
        Assert.Throws<ObjectDisposedException>(() => enumerator.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        Assert.Throws<ObjectDisposedException>(() => view.Id = 1);
        index.Dispose();
    }

    [Fact]
    public void HeapFieldsOfAClosedContainerThrow()
    {
        using var temp = new TempPath();
        var container = MappedContainer.Create(temp.Path, FuzzTarget.Tag);
        RecordSection<FuzzEntry.View> entries = container.AddRecords<FuzzEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        FuzzEntry.View entry = entries.Append();
        entry.Message.Write(heap, "before close");
        entry.Payload.Write(heap, [1, 2, 3]);
        container.Dispose();

        Assert.Throws<ObjectDisposedException>(() => entry.Message.Read(heap));
        Assert.Throws<ObjectDisposedException>(() => entry.Message.Reference);
        Assert.Throws<ObjectDisposedException>(() => entry.Message.Write(heap, "after"));
        Assert.Throws<ObjectDisposedException>(() => entry.Payload.ToArray(heap));
        Assert.Throws<ObjectDisposedException>(() => entry.Payload.Pin(heap, static span => span.Length));
        Assert.Throws<ObjectDisposedException>(() => entry.Payload.Write(heap, [4]));
        Assert.Throws<ObjectDisposedException>(() => entry.Load(heap));
        Assert.Throws<ObjectDisposedException>(() => heap.Free(new HeapRef(16, 1)));
        Assert.Throws<ObjectDisposedException>(() => heap.Count);
    }

    [Fact]
    public void ViewsArraysAndValueArraysWhoseBytesAResizeRemovedThrow()
    {
        using var temp = new TempPath();
        File.WriteAllBytes(temp.Path, new byte[10 * TestRecord.SizeInBytes]);
        using var map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, 0, 10);
        TestRecord.View last = records[9];
        var values = new MappedValueArray<long>(map, 8 * TestRecord.SizeInBytes, 4, bigEndian: false);
        ReadOnlyMappedValueArray<long> readOnlyValues = values.AsReadOnly();
        last.Id = 7;
        values[3] = 9;

        map.Resize(2 * TestRecord.SizeInBytes);

        Assert.Throws<ArgumentOutOfRangeException>(() => last.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Id = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Tag);
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Load());
        Assert.Throws<ArgumentOutOfRangeException>(() => records[9].Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => records.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) => span.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => values[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => values[3] = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => readOnlyValues[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => values.ToArray());
        var sum = 0L;
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            foreach (long value in values)
            {
                sum += value;
            }
        });

        // What is still inside the map reads as before.
        Assert.Equal(0, records[1].Id);
        map.Close();
        Assert.Throws<ObjectDisposedException>(() => records[1].Id);
        Assert.Throws<ObjectDisposedException>(() => values[0]);
        Assert.Throws<ObjectDisposedException>(() => readOnlyValues[0]);
        GC.KeepAlive(sum);
    }
}
