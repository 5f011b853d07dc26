using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Fuzz;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Durability;

/// <summary>What fuzzing found in the runtime, each as the smallest file that shows it (docs/durability.md, "Findings").</summary>
public class FuzzFindingsTests
{
    /// <summary>
    /// afl-fuzz, container target: a free block whose link points outside the heap. Taking that
    /// block made the link the committed free-list head, which <c>Open</c> refuses: after one
    /// <c>Allocate</c> and <c>Commit</c> the file could not be opened again. A bad link now ends the
    /// list there (the rest is leaked, as for any bad block).
    /// </summary>
    [Fact]
    public void AHostileFreeListLinkNeverBecomesTheCommittedHead()
    {
        using var temp = new TempPath();
        HeapRef freed;
        using (MappedContainer container = MappedContainer.Create(temp.Path, FuzzTarget.Tag))
        {
            HeapSection heap = container.AddHeap("heap");
            freed = heap.Allocate(new byte[40]);
            heap.Allocate("kept"u8);
            heap.Free(freed);
            container.Commit(); // the freed block heads the free list now
        }

        long heapOffset;
        using (MappedContainer container = MappedContainer.Open(temp.Path, FuzzTarget.Tag, MapAccess.Read))
        {
            heapOffset = container.Sections.Single(s => s.Name == "heap").Offset;
        }

        // The free block's link (its first payload word) points far outside the heap.
        byte[] bytes = File.ReadAllBytes(temp.Path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)(heapOffset + freed.Offset)), 1UL << 44);
        File.WriteAllBytes(temp.Path, bytes);

        HeapRef reused;
        using (MappedContainer container = MappedContainer.Open(temp.Path, FuzzTarget.Tag))
        {
            reused = container.Heap("heap").Allocate("takes the free block"u8);
            container.Commit();
        }

        Assert.Equal(freed.Offset, reused.Offset);
        using MappedContainer again = MappedContainer.Open(temp.Path, FuzzTarget.Tag, MapAccess.Read);
        Assert.Equal("takes the free block"u8.ToArray(), again.Heap("heap").ToArray(reused));
        Assert.Equal("kept"u8.ToArray(), again.Heap("heap").ToArray(new HeapRef(freed.Offset + 48, 4)));
    }

    /// <summary>
    /// CI fuzzing, sorted-index target: a rebuild merging an existing index whose keys are out of
    /// order (a damaged file) wrote an index whose lookups missed keys it held. The merge now checks
    /// the existing index's order and refuses with <see cref="InvalidDataException"/>, writing nothing.
    /// </summary>
    [Fact]
    public void RebuildingFromADamagedSortedIndexIsRefusedAndWritesNothing()
    {
        using var temp = new TempPath();
        using (var builder = new SortedIndexBuilder<long, FuzzRecord.View>())
        {
            for (long key = 0; key < 17; key++)
            {
                builder.Add(key * 10, ContainerTarget.Record(key));
            }

            builder.Build(temp.Path);
        }

        // Keys 3 and 9 swap places: the file still opens (keys are not checksummed), lookups may miss.
        byte[] bytes = File.ReadAllBytes(temp.Path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(128 + (3 * 8)), 90);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(128 + (9 * 8)), 30);
        File.WriteAllBytes(temp.Path, bytes);

        string rebuilt = temp.Path + ".rebuilt";
        using (MappedSortedIndex<long, FuzzRecord.View> damaged = MappedSortedIndex<long, FuzzRecord.View>.Open(temp.Path, MapAccess.Write))
        using (var builder = new SortedIndexBuilder<long, FuzzRecord.View>())
        {
            builder.Add(5L, ContainerTarget.Record(5));
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => builder.Build(rebuilt, damaged));
            Assert.Contains("not in increasing order at entry 4", e.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(rebuilt));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(rebuilt) + "*"));
        Assert.Equal(bytes, File.ReadAllBytes(temp.Path));
    }
}
