using System;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Schemas;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>
/// Upgrade of records whose [VarList]s change element type (docs/formats.md §8.5): each list is
/// read from the heap, converted element by element, appended to the heap, and the old list freed.
/// </summary>
public class ListUpgradeTests
{
    private const ulong Tag = ContainerFiles.Tag;

    private static TrackV1 Track(int i) => new()
    {
        Id = i,
        Scores = Enumerable.Range(0, i % 4).Select(n => int.MinValue + (n * 1000) + i).ToArray(),
        Points = Enumerable.Range(0, i % 3).Select(n => new PointV1 { X = (short)-i, Y = (short)(n * 100) }).ToArray(),
        Same = i % 2 == 0 ? [] : [(byte)i],
    };

    private static TempPath Write(int count, bool twoHeaps = false)
    {
        var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<TrackV1.View> tracks = container.AddRecords<TrackV1.View>("tracks");
        HeapSection heap = container.AddHeap("heap");
        if (twoHeaps)
        {
            container.AddHeap("other").Allocate("other"u8);
        }

        for (int i = 0; i < count; i++)
        {
            tracks.Append().Store(Track(i), heap);
        }

        container.Commit();
        return temp;
    }

    [Fact]
    public void ListsAreWidenedElementByElementAndTheOldListsFreed()
    {
        using TempPath temp = Write(200);
        long before;
        using (MappedContainer old = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            before = old.Heap("heap").Count;
        }

        Assert.Equal(200, MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TrackV2>("tracks")));

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        RecordSection<TrackV2.View> tracks = container.Records<TrackV2.View>("tracks");
        HeapSection heap = container.Heap("heap");
        for (int i = 0; i < 200; i++)
        {
            TrackV1 expected = Track(i);
            TrackV2 actual = tracks[i].Load(heap);
            Assert.Equal(i, actual.Id);
            Assert.Equal(expected.Scores.Select(s => (long)s), actual.Scores);
            Assert.Equal(expected.Points.Select(p => new PointV2 { X = p.X, Y = p.Y, Weight = 9 }), actual.Points);
            Assert.Equal(expected.Same, actual.Same);
        }

        // Each converted list replaced one: as many live values, the old blocks on the free list.
        Assert.Equal(before, heap.Count);
        Assert.True(heap.FreeBytes > 0);
        long length = heap.Length;
        tracks[0].Scores.Write(heap, [1L]); // reuses a freed block: the heap does not grow
        container.Commit();
        Assert.Equal(length, heap.Length);
        Assert.Equal([1L], tracks[0].Scores.ToArray(heap));
    }

    [Fact]
    public void ANarrowedListIsRefusedAndTheFileKept()
    {
        using TempPath temp = Write(10);
        byte[] original = File.ReadAllBytes(temp.Path);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TrackNarrowed>("tracks")));
        Assert.Contains("Scores", e.Message, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(temp.Path));
    }

    [Fact]
    public void WithSeveralHeapsTheListsHeapIsNamed()
    {
        using TempPath temp = Write(10, twoHeaps: true);
        Assert.Throws<InvalidOperationException>(() => MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TrackV2>("tracks")));
        MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TrackV2>("tracks").ListHeap("tracks", "heap"));
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal(Track(5).Scores.Select(s => (long)s), container.Records<TrackV2.ReadOnlyView>("tracks")[5].Scores.ToArray(container.Heap("heap")));
        Assert.Equal("other"u8.ToArray(), container.Heap("other").ToArray(new HeapRef(16, 5)));
    }

    [Fact]
    public void TheConverterWithoutAHeapConvertsOnlyEmptyChangedLists()
    {
        RecordConverter converter = RecordConverter.Create(TrackV1.LayoutInfo, TrackV2.LayoutInfo);
        byte[] record = new byte[TrackV1.SizeInBytes];
        byte[] converted = new byte[TrackV2.SizeInBytes];
        converter.Convert(record, converted); // every list empty: nothing to read
        new HeapRef(16, 4).Write(record.AsSpan(TrackV1.Offsets.Scores));
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => converter.Convert(record, converted));
        Assert.Contains("Scores", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileListIsInvalidDataAndTheFileKept()
    {
        using TempPath temp = Write(10);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            HeapRef ten = container.Heap("heap").Allocate(10); // not a whole number of ints
            Overlay.Layouts.HeapListField<int> scores = container.Records<TrackV1.View>("tracks")[3].Scores;
            scores.Reference = ten;
            container.Commit();
        }

        byte[] original = File.ReadAllBytes(temp.Path);
        Assert.Throws<InvalidDataException>(() => MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TrackV2>("tracks")));
        Assert.Equal(original, File.ReadAllBytes(temp.Path));
    }
}
