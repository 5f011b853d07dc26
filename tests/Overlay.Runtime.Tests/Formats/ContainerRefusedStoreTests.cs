using System;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts.Support;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// A layout's <c>Store(value, heap)</c> into a container record, refused after the fields before the
/// refused one could have been replaced: the record keeps every old value and the heap its count; a
/// value allocated before the refusal is freed (free space, reusable after the next commit).
/// </summary>
public class ContainerRefusedStoreTests
{
    private const ulong Tag = ContainerFiles.Tag;

    private static readonly Parcel s_original = new() { Id = 1, Name = "alpha", Note = "first", Items = [new WideItem { Tag = 0xA1 }] };

    [Fact]
    public void AListTooLongForTheHeapWritesNothing()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        (HeapSection heap, Parcel.View view) = StoreOriginal(container);
        (long length, long count) = (heap.Length, heap.Count);

        var refused = new Parcel { Id = 2, Name = "beta", Note = "second", Items = new WideItem[32768] };
        Assert.Throws<ArgumentOutOfRangeException>("values", () => view.Store(refused, heap));

        Assert.Equal((length, count), (heap.Length, heap.Count));
        AssertOriginal(view.Load(heap));
    }

    [Fact]
    public void AHeapThatCannotGrowForALaterFieldFreesTheEarlierOnesAndWritesNothing()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        (HeapSection heap, Parcel.View view) = StoreOriginal(container, heapCapacity: 1 << 17);
        RawSection raw = container.AddRaw("raw");
        container.Commit();
        (long length, long count, long free) = (heap.Length, heap.Count, heap.FreeBytes);

        // Name and Note fit in the heap's room; Items (two 64 KiB records) needs it to grow, which
        // memory exported from the map forbids.
        var wider = new Parcel { Id = 2, Name = "beta", Note = "second", Items = [new WideItem { Tag = 1 }, new WideItem { Tag = 2 }] };
        Assert.InRange(heap.Capacity - heap.Length, 32, (2 << 16) + 7);
        using (ReadOnlyMappedMemory export = raw.AcquireReadOnlyMemory(0, 0))
        {
            Assert.Throws<InvalidOperationException>(() => view.Store(wider, heap));
        }

        Assert.Equal(count, heap.Count);
        AssertOriginal(view.Load(heap));

        // The two blocks allocated for Name and Note were freed: free space after the commit.
        container.Commit();
        Assert.Equal((length + 32, free + 32), (heap.Length, heap.FreeBytes));

        // Once the export is gone, the same value is stored.
        view.Store(wider, heap);
        Parcel stored = view.Load(heap);
        Assert.Equal((2L, "beta", "second"), (stored.Id, stored.Name, stored.Note));
        Assert.Equal(new byte[] { 1, 2 }, Array.ConvertAll(stored.Items, i => i.Tag));
    }

    [Fact]
    public void TwoFieldsNamingOneBlockAreRefusedBeforeAnythingIsWritten()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        (HeapSection heap, Parcel.View view) = StoreOriginal(container);

        // A hostile file: Note (at 20) names Name's block. Each old reference is freeable alone, but
        // freeing both would fail on the second, after the first field was replaced.
        long record = container.Sections.Single(s => s.Name == "parcels").Offset;
        HeapRef name = view.Name.Reference;
        HeapFieldAccess.WriteReference(container.Map, record + 20, name);
        (long length, long count) = (heap.Length, heap.Count);

        Assert.Throws<InvalidDataException>(() => view.Store(new Parcel { Id = 2, Name = "beta", Note = "second" }, heap));
        Assert.Equal((length, count), (heap.Length, heap.Count));
        Assert.Equal((1L, name, name), (view.Id, view.Name.Reference, view.Note.Reference));
    }

    // A record section "parcels" holding one record, the original value, its fields in heap "heap".
    private static (HeapSection Heap, Parcel.View View) StoreOriginal(MappedContainer container, long heapCapacity = 0)
    {
        RecordSection<Parcel.View> parcels = container.AddRecords<Parcel.View>("parcels");
        HeapSection heap = container.AddHeap("heap", heapCapacity);
        Parcel.View view = parcels.Append();
        view.Store(s_original, heap);
        return (heap, view);
    }

    private static void AssertOriginal(Parcel loaded)
    {
        Assert.Equal((s_original.Id, s_original.Name, s_original.Note), (loaded.Id, loaded.Name, loaded.Note));
        Assert.Equal([(byte)0xA1], Array.ConvertAll(loaded.Items, i => i.Tag));
    }
}
