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
    public void EveryRecordAndRawSectionMemberThrowsObjectDisposedAfterClose()
    {
        using TempPath temp = Sample();
        MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        RecordSection<TestRecord.View> people = container.Records<TestRecord.View>("people");
        RawSection raw = container.Raw("blob");
        container.Dispose();

        // What the section was made with needs no map; everything else refuses.
        Assert.Equal(("people", TestRecord.SizeInBytes, "blob"), (people.Name, people.RecordSize, raw.Name));
        Assert.Contains("people", people.ToString(), StringComparison.Ordinal);
        Assert.Contains("blob", raw.ToString(), StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => people.Capacity);
        Assert.Throws<ObjectDisposedException>(() => people.At(0));
        Assert.Throws<ObjectDisposedException>(() => people.Load<TestRecord>(0));
        Assert.Throws<ObjectDisposedException>(() => people.Append(Record(1)));
        Assert.Throws<ObjectDisposedException>(() => people.EnsureCapacity(100));
        Assert.Throws<ObjectDisposedException>(() => people.EnsureCapacity(0));
        Assert.Throws<ObjectDisposedException>(() => people.Pin(static (MappedSpan<TestRecord.Ref> s) => s.Length));
        Assert.Throws<ObjectDisposedException>(() => raw.Length);
        Assert.Throws<ObjectDisposedException>(() => raw.Capacity);
        Assert.Throws<ObjectDisposedException>(() => raw.Read(0, new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => raw.Read(0, default));
        Assert.Throws<ObjectDisposedException>(() => raw.Write(0, default));
        Assert.Throws<ObjectDisposedException>(() => raw.Append("x"u8));
        Assert.Throws<ObjectDisposedException>(() => raw.Append(default));
        Assert.Throws<ObjectDisposedException>(() => raw.SetLength(4));
        Assert.Throws<ObjectDisposedException>(() => raw.Pin(0, 0, static s => s.Length));
        Assert.Throws<ObjectDisposedException>(() => raw.PinForWrite(0, 1, static s => s.Length));
        Assert.Throws<ObjectDisposedException>(() => raw.PinForWrite(0, 0, static s => s.Length));
        Assert.Throws<ObjectDisposedException>(() => raw.AcquireReadOnlyMemory(0, 0));
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
    public void TheContainerOwnsItsMapResizeCloseAndProtectThroughItAreRefused()
    {
        using TempPath temp = Sample();
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        RecordSection<TestRecord.View> people = container.Records<TestRecord.View>("people");
        HeapSection heap = container.Heap("names");
        RawSection raw = container.Raw("blob");
        long length = container.Map.Length;
        TestRecord first = people[0].Load();
        byte[] blob = raw.ToArray();

        // Shrinking the map to its meta slots, unmapping it or making it read-only would pull the
        // bytes from under the sections (and the raw pointers of index sections): the container owns it.
        Assert.Throws<InvalidOperationException>(() => container.Map.Resize(8192));
        Assert.Throws<InvalidOperationException>(() => container.Map.Close());
        Assert.Throws<InvalidOperationException>(() => container.Map.Dispose());
        Assert.Throws<InvalidOperationException>(() => container.Map.Protect(MapProtection.Read));

        Assert.Equal(length, container.Map.Length);
        Assert.False(container.Map.IsClosed);
        Assert.Equal(first, people[0].Load());
        Assert.Equal(blob, raw.ToArray());
        people.Append(Record(7));
        heap.Allocate("still writable"u8);
        container.Map.Flush();
        container.Map.Advise(MapAdvice.WillNeed);
        container.Commit();
    }

    [Fact]
    public void DisposingTheContainerClosesItsMapAndAnExportKeepsItOpen()
    {
        using TempPath temp = Sample();
        MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        MemoryMap map = container.Map;
        ReadOnlyMappedMemory export = map.AcquireReadOnlyMemory(0, 16);
        Assert.Throws<InvalidOperationException>(() => container.Dispose());
        Assert.NotEmpty(container.Sections);   // still open
        export.Dispose();
        container.Dispose();
        Assert.True(map.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => container.Sections);
    }

    [Fact]
    public void AStaleViewOfAMovedSectionThrowsInsteadOfLosingItsWrites()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<TestRecord.View> moving = container.AddRecords<TestRecord.View>("moving");
        RawSection after = container.AddRaw("after");
        TestRecord.View stale = moving.Append(Record(1));
        TestRecord.ReadOnlyView staleReadOnly = stale;
        moving.EnsureCapacity(100_000); // "after" follows it: it moves to the end of the file
        RecordSection<TestRecord.View> newcomer = container.AddRecords<TestRecord.View>("newcomer", 100);
        newcomer.Append(Record(2));

        InvalidOperationException write = Assert.Throws<InvalidOperationException>(() => stale.Id = 99);
        Assert.Contains("section 'moving'", write.Message);
        Assert.Contains("Take it again", write.Message);
        Assert.Throws<InvalidOperationException>(() => stale.Id);
        Assert.Throws<InvalidOperationException>(() => staleReadOnly.Value);
        Assert.Throws<InvalidOperationException>(() => stale.Tag); // a fixed string: the span reads
        Assert.Throws<InvalidOperationException>(() => stale.Tag = "lost");
        Assert.Throws<InvalidOperationException>(() => stale.Load());
        Assert.Throws<InvalidOperationException>(() => stale.Store(Record(7)));

        // Nothing was written anywhere: the section, its neighbours and the newcomer are intact.
        Assert.Equal(Record(1), moving[0].Load());
        Assert.Equal(Record(2), newcomer[0].Load());
        Assert.Equal(0, after.Length);

        // Views taken again work, reads and writes.
        moving.At(0).Id = 5;
        Assert.Equal(5, moving[0].Id);
    }

    [Fact]
    public void AStaleArrayOfAMovedSectionThrowsOnEveryAccessAndPin()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<TestRecord.View> moving = container.AddRecords<TestRecord.View>("moving");
        container.AddRaw("after");
        moving.Append(Record(1));
        moving.Append(Record(2));
        MappedArray<TestRecord.View> stale = moving.Records;
        MappedArray<TestRecord.View> staleSlice = stale.Slice(1, 1);
        moving.EnsureCapacity(100_000);

        Assert.Throws<InvalidOperationException>(() => stale[0].Id);
        Assert.Throws<InvalidOperationException>(() => stale.At(1).Id = 3);
        Assert.Throws<InvalidOperationException>(() => staleSlice[0].Flags);
        Assert.Throws<InvalidOperationException>(() => stale.Slice(0, 1)); // a new array over dead bytes
        Assert.Throws<InvalidOperationException>(() => stale.Pin(static (MappedSpan<TestRecord.Ref> span) => span.At(0).Id = 4));
        Assert.Throws<InvalidOperationException>(() => stale.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) => span[0].Id));
        Assert.Throws<InvalidOperationException>(() => staleSlice.Pin(static (MappedSpan<TestRecord.Ref> span) => span.Length));
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (TestRecord.View view in stale)
            {
                _ = view.Id;
            }
        });

        // The map is not left pinned by the refused pins (only the container's own hold remains):
        // the section can still grow (and move) again.
        Assert.Equal(1, container.Map.ExportCount);
        Assert.Equal(new[] { 1L, 2L }, new[] { moving[0].Id, moving[1].Id });
        long sum = moving.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) => span[0].Id + span[1].Id);
        Assert.Equal(3, sum);
    }

    [Fact]
    public void ASectionThatGrowsInPlaceLeavesItsViewsValid()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        container.AddRecords<TestRecord.View>("first"); // and its schema section: "last" reuses it
        RecordSection<TestRecord.View> last = container.AddRecords<TestRecord.View>("last");
        long offset = System.Linq.Enumerable.Single(container.Sections, s => s.Name == "last").Offset;
        TestRecord.View view = last.Append(Record(1));
        MappedArray<TestRecord.View> array = last.Records;
        last.EnsureCapacity(100_000); // the last extent: it grows in place, nothing moves
        Assert.Equal(offset, System.Linq.Enumerable.Single(container.Sections, s => s.Name == "last").Offset);

        view.Id = 10;
        Assert.Equal(10, array[0].Id);
        Assert.Equal(10, array.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) => span[0].Id));
    }

    [Fact]
    public void ViewsOfOtherSectionsSurviveAMove()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<TestRecord.View> moving = container.AddRecords<TestRecord.View>("moving");
        RecordSection<TestRecord.View> staying = container.AddRecords<TestRecord.View>("staying", 100);
        moving.Append(Record(1));
        TestRecord.View other = staying.Append(Record(2));
        MappedArray<TestRecord.View> otherArray = staying.Records;
        moving.EnsureCapacity(100_000);
        moving.EnsureCapacity(1_000_000); // moved once (it was not last), then grows in place

        other.Id = 20;
        Assert.Equal(20, otherArray[0].Id);
        Assert.Equal(20, otherArray.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) => span[0].Id));
        Assert.Equal(Record(1), moving[0].Load());
    }
}
