using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Formats;

/// <summary>
/// Damaged and hostile containers (docs/formats.md §4): each opens with an InvalidDataException
/// naming what is wrong, changes nothing in the file, and never reads outside the map.
/// </summary>
public class ContainerHostileTests
{
    private static string OpenFails(string path, string expected)
    {
        byte[] before = File.ReadAllBytes(path);
        foreach (MapAccess access in new[] { MapAccess.Read, MapAccess.Write })
        {
            InvalidDataException error = Assert.Throws<InvalidDataException>(() => MappedContainer.Open(path, Tag, access).Dispose());
            Assert.Contains(path, error.Message);
            Assert.Contains(expected, error.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(path));
        return expected;
    }

    private static void PatchEntry(string path, int index, Action<Span<byte>> edit) =>
        PatchBothSlots(path, (_, table) => edit(Entry(table, index)));

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(63)]
    public void AFileShorterThanAPrefix(int length)
    {
        using TempPath temp = new TempPath().WithBytes(length, 0xAB);
        OpenFails(temp.Path, "shorter than a 64-byte container prefix");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(4096)]
    [InlineData(8191)]
    public void AFileCutInsideItsMetaSlots(int length)
    {
        using TempPath temp = Sample();
        using (var stream = new FileStream(temp.Path, FileMode.Open))
        {
            stream.SetLength(length);
        }

        OpenFails(temp.Path, "neither meta slot is valid");
    }

    [Fact]
    public void AFileCutInsideItsSections()
    {
        using TempPath temp = Sample();
        using (var stream = new FileStream(temp.Path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 1);
        }

        OpenFails(temp.Path, "but the file is");
    }

    [Fact]
    public void AWrongMagic()
    {
        using TempPath temp = Sample();
        PatchBothSlots(temp.Path, (prefix, _) => prefix[0] ^= 1);
        OpenFails(temp.Path, "magic number");
    }

    [Fact]
    public void AWrongVersion()
    {
        using TempPath temp = Sample();
        PatchBothSlots(temp.Path, (prefix, _) => BinaryPrimitives.WriteUInt32LittleEndian(prefix[8..], 2));
        OpenFails(temp.Path, "format version is 2, expected 1");
    }

    [Fact]
    public void AWrongChecksumInBothSlots()
    {
        using TempPath temp = Sample();
        PatchBothSlots(temp.Path, (_, table) => table[Length] ^= 0x10, fixChecksum: false);
        OpenFails(temp.Path, "checksum");
    }

    [Fact]
    public void AWrongApplicationTag()
    {
        using TempPath temp = Sample();
        Assert.Contains("application tag", Assert.Throws<InvalidDataException>(() => MappedContainer.Open(temp.Path, Tag + 1)).Message);
    }

    [Fact]
    public void UnknownFlagsOrReservedBytes()
    {
        using TempPath temp = Sample();
        PatchBothSlots(temp.Path, (prefix, _) => prefix[24] |= 2);
        OpenFails(temp.Path, "flags");
    }

    [Fact]
    public void ASlotCopiedIntoTheOtherPlace()
    {
        using TempPath temp = Sample();
        byte[] bytes = File.ReadAllBytes(temp.Path);
        int size = SlotSize(bytes);
        bytes.AsSpan(0, size).CopyTo(bytes.AsSpan(size));
        bytes[0] ^= 1; // and slot 0 itself broken
        File.WriteAllBytes(temp.Path, bytes);
        OpenFails(temp.Path, "does not belong in slot 1");
    }

    [Fact]
    public void ATableOverlappingThePrefix()
    {
        using TempPath temp = Sample();
        PatchBothSlots(temp.Path, (prefix, _) => BinaryPrimitives.WriteUInt32LittleEndian(prefix[40..], 32));
        OpenFails(temp.Path, "overlaps the prefix or does not fit");
    }

    [Fact]
    public void ATableLargerThanItsSlot()
    {
        using TempPath temp = Sample();
        PatchBothSlots(temp.Path, (prefix, _) => BinaryPrimitives.WriteUInt32LittleEndian(prefix[48..], uint.MaxValue));
        OpenFails(temp.Path, "overlaps the prefix or does not fit");
    }

    [Fact]
    public void ASectionInsideTheMetaSlots()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 0, e => SetU64(e, Offset, 64));
        OpenFails(temp.Path, "at or after the meta slots' end");
    }

    [Fact]
    public void SectionsOverlappingEachOther()
    {
        using TempPath temp = Sample();
        long first = 0;
        PatchBothSlots(temp.Path, (_, table) =>
        {
            first = GetI64(Entry(table, 0), Offset);
            SetU64(Entry(table, 1), Offset, (ulong)first + 8);
        });
        OpenFails(temp.Path, "overlap");
    }

    [Fact]
    public void ASectionClaimingMoreThanTheFile()
    {
        using TempPath temp = Sample();
        long length = new FileInfo(temp.Path).Length;
        PatchEntry(temp.Path, 2, e => SetU64(e, Capacity, (ulong)length));
        OpenFails(temp.Path, "but the file is");
    }

    [Theory]
    [InlineData(long.MaxValue - 7, 16)]
    [InlineData(-8, 16)]
    [InlineData(8192, long.MaxValue)]
    [InlineData(8192, -1)]
    public void OffsetsAndLengthsThatOverflow(long offset, long capacity)
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 2, e =>
        {
            SetU64(e, Offset, (ulong)offset);
            SetU64(e, Capacity, (ulong)capacity);
        });
        Assert.Throws<InvalidDataException>(() => MappedContainer.Open(temp.Path, Tag, MapAccess.Read));
    }

    [Fact]
    public void ALengthPastTheCapacity()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 2, e => SetU64(e, Length, (ulong)GetI64(e, Capacity) + 1));
        OpenFails(temp.Path, "bytes used of");
    }

    [Fact]
    public void ARecordCountThatDoesNotMatchTheLength()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 0, e => SetU64(e, Count, 11));
        OpenFails(temp.Path, "records of 32 bytes do not make");
    }

    [Fact]
    public void AZeroStride()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 0, e => SetU32(e, Stride, 0));
        OpenFails(temp.Path, "records of 0 bytes");
    }

    [Fact]
    public void AnUnknownKindOrMustUnderstandFlag()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 2, e => e[Kind] = 9);
        OpenFails(temp.Path, "unknown kind 9");
        using TempPath flags = Sample();
        PatchEntry(flags.Path, 2, e => e[Flags] = 1);
        OpenFails(flags.Path, "must-understand");
    }

    [Fact]
    public void ReservedBytesOfAnEntry()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 1, e => e[120] = 1);
        OpenFails(temp.Path, "reserved bytes");
    }

    [Fact]
    public void BadNames()
    {
        using TempPath nul = Sample();
        PatchEntry(nul.Path, 0, e => e[1] = 0); // "p\0ople"
        OpenFails(nul.Path, "NUL");
        using TempPath utf8 = Sample();
        PatchEntry(utf8.Path, 0, e => e[0] = 0xFF);
        OpenFails(utf8.Path, "UTF-8");
        using TempPath twice = Sample();
        PatchBothSlots(twice.Path, (_, table) => Entry(table, 0)[..32].CopyTo(Entry(table, 2)));
        OpenFails(twice.Path, "used twice");
    }

    [Fact]
    public void ASchemaReferenceToANonSchemaSection()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 0, e => SetU32(e, Schema, 3));
        OpenFails(temp.Path, "not a schema section");
        using TempPath past = Sample();
        PatchEntry(past.Path, 0, e => SetU32(e, Schema, 99));
        OpenFails(past.Path, "not a schema section");
    }

    [Fact]
    public void AHeapFreeListHeadOutsideTheHeap()
    {
        using TempPath temp = Sample();
        PatchEntry(temp.Path, 2, e => SetU64(e, Aux0, 1UL << 40));
        OpenFails(temp.Path, "free list starts at");
    }

    [Fact]
    public void HeapReferencesPastTheHeapThrowOnUse()
    {
        using TempPath temp = Sample();
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        HeapSection heap = container.Heap("names");
        foreach (HeapRef bad in new HeapRef[]
        {
            new(heap.Length, 1),             // starts at the end
            new(heap.Length - 8, 9),         // ends past it
            new(16, int.MaxValue),           // length overflows
            new(16, -1),                     // negative length
            new(long.MaxValue - 7, 8),       // offset + length overflows
            new(-8, 4),                      // negative offset
            new(17, 1),                      // not on a granule
            new(8, 1),                       // inside the reserved bytes/first header
            new(heap.Capacity + 64, 1),      // inside the extent, past the used length
        })
        {
            Assert.Throws<InvalidDataException>(() => heap.ToArray(bad));
            Assert.Throws<InvalidDataException>(() => heap.Read(bad, new byte[16]));
            Assert.Throws<InvalidDataException>(() => heap.Write(bad, 0, default));
            Assert.Throws<InvalidDataException>(() => heap.Pin(bad, static s => s.Length));
            Assert.Throws<InvalidDataException>(() => heap.Free(bad));
        }
    }

    [Fact]
    public void FreeOfBytesThatAreNotABlockIsRefused()
    {
        using TempPath temp = Sample();
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        HeapSection heap = container.Heap("names");
        // Inside the heap, on a granule, but the middle of a block's payload: no "ALOC" header before it.
        HeapRef inside = new(24, 1);
        Assert.Single(heap.ToArray(inside)); // readable: a reference is only checked against the bounds
        Assert.Contains("allocated block", Assert.Throws<InvalidDataException>(() => heap.Free(inside)).Message);
    }

    [Fact]
    public void ACorruptOrCyclicFreeListEndsAndIsNeverFollowedOutside()
    {
        using TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            HeapSection heap = container.Heap("names");
            heap.Free(new HeapRef(16, 6)); // "name 0": the first block
            container.Commit();
            container.Commit();
        }

        // The free block's next pointer now points at itself: a cycle.
        byte[] bytes = File.ReadAllBytes(temp.Path);
        long heapOffset = 0;
        PatchBothSlots(temp.Path, (_, table) => heapOffset = GetI64(Entry(table, 2), Offset));
        bytes = File.ReadAllBytes(temp.Path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)heapOffset + 8 + 8), 8);
        File.WriteAllBytes(temp.Path, bytes);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            HeapSection heap = container.Heap("names");
            HeapRef big = heap.Allocate(1000); // does not fit the free block: walks the cycle, bounded
            Assert.True(big.Offset > 16);
            Assert.Equal(new HeapRef(16, 4), heap.Allocate(4)); // fits the free block
            Assert.NotEqual(16, heap.Allocate(4).Offset); // the list was the cycle's: a bad block ended it
        }

        // The free list points at a live block: its header is not "FREE", so the list is dropped.
        using TempPath live = Sample();
        PatchEntry(live.Path, 2, e => SetU64(e, Aux0, 8 + 16));
        using (MappedContainer container = MappedContainer.Open(live.Path, Tag))
        {
            HeapSection heap = container.Heap("names");
            HeapRef fresh = heap.Allocate(8);
            Assert.True(fresh.Offset >= heap.Length - 16, $"{fresh} reused a live block");
            Assert.Equal("name 1", System.Text.Encoding.UTF8.GetString(heap.ToArray(new HeapRef(8 + 16 + 8, 6))));
        }
    }
}
