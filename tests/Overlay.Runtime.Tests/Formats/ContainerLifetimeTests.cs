using System;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Formats;

/// <summary>Every accessor after Close, while pinned or exported, and after the map shrank under it: an exception, never a fault.</summary>
public class ContainerLifetimeTests
{
    [Fact]
    public void EveryAccessorThrowsAfterClose()
    {
        using TempPath temp = Sample();
        MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        RecordSection<TestRecord.View> people = container.Records<TestRecord.View>("people");
        HeapSection heap = container.Heap("names");
        RawSection raw = container.Raw("blob");
        TestRecord.View view = people[0];
        MappedArray<TestRecord.View> array = people.Records;
        var name = new HeapRef(16, 6);
        container.Dispose();
        container.Dispose(); // a second call does nothing

        Assert.Throws<ObjectDisposedException>(() => container.Sections);
        Assert.Throws<ObjectDisposedException>(() => container.Map);
        Assert.Throws<ObjectDisposedException>(() => container.Commit());
        Assert.Throws<ObjectDisposedException>(() => container.AddRaw("x"));
        Assert.Throws<ObjectDisposedException>(() => people.Count);
        Assert.Throws<ObjectDisposedException>(() => people[0]);
        Assert.Throws<ObjectDisposedException>(() => people.Append());
        Assert.Throws<ObjectDisposedException>(() => people.Records);
        Assert.Throws<ObjectDisposedException>(() => people.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> s) => s.Length));
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        Assert.Throws<ObjectDisposedException>(() => array[0].Id);
        Assert.Throws<ObjectDisposedException>(() => heap.ToArray(name));
        Assert.Throws<ObjectDisposedException>(() => heap.Allocate(4));
        Assert.Throws<ObjectDisposedException>(() => heap.Pin(name, static s => s.Length));
        Assert.Throws<ObjectDisposedException>(() => raw.ToArray());
        Assert.Throws<ObjectDisposedException>(() => raw.Write(0, "x"u8));
        Assert.Throws<ObjectDisposedException>(() => raw.Pin(0, 1, static s => s.Length));
        Assert.Throws<ObjectDisposedException>(() => raw.AcquireReadOnlyMemory(0, 1));
    }

    [Fact]
    public void NothingMovesOrGrowsWhileASectionIsPinnedOrExported()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<TestRecord.View> first = container.AddRecords<TestRecord.View>("first");
        RawSection last = container.AddRaw("last");
        first.Append(Record(1));

        // "first" is not the last extent: growing it means moving it, refused under a pin.
        Assert.Throws<InvalidOperationException>(() => first.PinReadOnly((ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) =>
        {
            first.EnsureCapacity(10_000);
            return 0;
        }));

        // "last" grows in place by resizing the map: refused while memory is exported.
        using (ReadOnlyMappedMemory memory = last.AcquireReadOnlyMemory(0, 0))
        {
            Assert.Throws<InvalidOperationException>(() => last.SetLength(1 << 20));
            Assert.Throws<InvalidOperationException>(() => first.EnsureCapacity(10_000));
        }

        Assert.Equal(0, last.Length);
        Assert.Equal(1, first.Count);
        Assert.Equal(Record(1), first[0].Load());

        // Once released, both grow, and the section's own accessors follow the move.
        first.EnsureCapacity(10_000);
        last.SetLength(1 << 20);
        Assert.Equal(Record(1), first[0].Load());
        Assert.Equal(Record(1), first.Records[0].Load());
    }

    [Fact]
    public void AccessorsOfAMapShrunkUnderThemThrow()
    {
        using TempPath temp = Sample();
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        RecordSection<TestRecord.View> people = container.Records<TestRecord.View>("people");
        HeapSection heap = container.Heap("names");
        RawSection raw = container.Raw("blob");
        // Someone resizes the container's map to its meta slots only (the docs say not to).
        container.Map.Resize(8192);
        Assert.Throws<ArgumentOutOfRangeException>(() => people[0].Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => people.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> s) => s.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => heap.ToArray(new HeapRef(16, 6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => heap.Pin(new HeapRef(16, 6), static s => s.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.Pin(0, 1, static s => s.Length));
    }

    [Fact]
    public void AStaleViewOfAMovedSectionNeverTouchesAnotherSection()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<TestRecord.View> moving = container.AddRecords<TestRecord.View>("moving");
        RawSection after = container.AddRaw("after");
        TestRecord.View stale = moving.Append(Record(1));
        moving.EnsureCapacity(100_000); // moves to the end of the file
        RecordSection<TestRecord.View> newcomer = container.AddRecords<TestRecord.View>("newcomer", 100);
        newcomer.Append(Record(2));

        stale.Id = 99; // writes to the dead extent, which this session never hands out again
        Assert.Equal(1, moving[0].Id);
        Assert.Equal(2, newcomer[0].Id);
        Assert.Equal(0, after.Length);
    }
}
