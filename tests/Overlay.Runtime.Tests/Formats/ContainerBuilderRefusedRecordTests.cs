using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// <c>RecordsWriter.Append(value, heap)</c> for a value refused after some of its heap fields were
/// appended (docs/formats.md §1.4): the heap goes back to where it was, in memory and in the sealed
/// file, also when the refused bytes had already been written out of the builder's 1 MiB chunk.
/// The layouts (<see cref="Parcel"/>, <see cref="HugeParcel"/>) append <c>Name</c> and <c>Note</c>
/// before <c>Items</c>, whose encoding refuses a list of 2 GiB; a lone surrogate in <c>Note</c> is
/// refused before anything is appended.
/// </summary>
public class ContainerBuilderRefusedRecordTests
{
    private const ulong Tag = ContainerFiles.Tag;
    private const int OverAChunk = 3 << 20;

    // Only the refused record holds these bytes: the sealed file must not.
    private static readonly byte[] s_refusedMarker = "refused!"u8.ToArray();

    /// <summary>How the second record is refused.</summary>
    public enum Refusal
    {
        /// <summary>A list of 2 GiB: found after Name and Note are in the heap.</summary>
        ListTooLong,

        /// <summary>A lone surrogate in Note: found before anything is appended.</summary>
        LoneSurrogate,
    }

    [Theory]
    [InlineData(Refusal.ListTooLong, 16, 0)]
    [InlineData(Refusal.ListTooLong, OverAChunk, 0)] // Name alone fills three chunks: its bytes left memory, into the new file, before the refusal
    [InlineData(Refusal.ListTooLong, OverAChunk, 2)] // the same after a reservation for the records (the heap streams after it)
    [InlineData(Refusal.LoneSurrogate, 16, 0)]
    [InlineData(Refusal.LoneSurrogate, OverAChunk, 0)]
    public void ARefusedRecordLeavesTheHeapAsItWas(Refusal refusal, int refusedNameLength, long expectedCount) =>
        Check(
            refusal,
            refusedNameLength,
            expectedCount,
            (id, name, note, items) => new Parcel { Id = id, Name = name, Note = note, Items = items },
            container =>
            {
                RecordSection<Parcel.ReadOnlyView> records = container.Records<Parcel.ReadOnlyView>("parcels");
                return Enumerable.Range(0, (int)records.Count).Select(i => records[i].Load(container.Heap("heap"))).Select(p => (p.Id, p.Name, p.Note, p.Items)).ToList();
            });

    [Theory]
    [InlineData(Refusal.ListTooLong, 16)]
    [InlineData(Refusal.ListTooLong, OverAChunk)] // here the records stream into the new file and the heap spills to a temporary one
    public void ARefusedRecordLargerThanAChunkLeavesTheHeapAsItWas(Refusal refusal, int refusedNameLength) =>
        Check(
            refusal,
            refusedNameLength,
            0,
            (id, name, note, items) => new HugeParcel { Id = id, Name = name, Note = note, Items = items },
            container =>
            {
                RecordSection<HugeParcel.ReadOnlyView> records = container.Records<HugeParcel.ReadOnlyView>("parcels");
                return Enumerable.Range(0, (int)records.Count).Select(i => records[i].Load(container.Heap("heap"))).Select(p => (p.Id, p.Name, p.Note, p.Items)).ToList();
            });

    private static void Check<T>(
        Refusal refusal,
        int refusedNameLength,
        long expectedCount,
        Func<long, string, string, WideItem[], T> make,
        Func<MappedContainer, List<(long Id, string Name, string Note, WideItem[] Items)>> read)
        where T : struct, IMappedLayout<T>
    {
        var accepted = new List<(long Id, string Name, string Note, WideItem[] Items)>
        {
            (1, "alpha", "first", [new WideItem { Tag = 0xA1 }]),
            (3, "gamma", string.Empty, []), // no Note, no Items: one block
        };

        string refusedName = string.Concat(Enumerable.Repeat("refused!", refusedNameLength / 8));
        (string note, WideItem[] items) = refusal == Refusal.ListTooLong
            ? ("second", new WideItem[32768])
            : ("bad \ud800 note", [new WideItem { Tag = 2 }]);

        using var temp = new TempPath();
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            RecordsWriter<T> parcels = builder.AddRecords<T>("parcels", expectedCount);
            HeapWriter heap = builder.AddHeap("heap");
            var first = accepted[0];
            Assert.Equal(0, parcels.Append(make(first.Id, first.Name, first.Note, first.Items), heap));
            Assert.Equal(3, heap.Count);

            T refused = make(2, refusedName, note, items);
            ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => parcels.Append(refused, heap));
            Assert.Equal(refusal == Refusal.ListTooLong ? "values" : "Note", e.ParamName);
            Assert.Equal((3L, 1L), (heap.Count, parcels.Count));

            // The heap's length is unchanged: the next block starts where the refused record's first did.
            HeapRef probe = heap.AppendString("x");
            Assert.Equal(HeapBytes(accepted.Take(1)).Length + ContainerFormat.HeapBlockHeaderSize, probe.Offset);
            accepted.Insert(1, (-1, "x", string.Empty, [])); // the probe, as a block of the heap

            var last = accepted[2];
            Assert.Equal(1, parcels.Append(make(last.Id, last.Name, last.Note, last.Items), heap));
            Assert.Equal((5L, 2L), (heap.Count, parcels.Count));
            builder.Seal();
        }

        // The heap is exactly the accepted blocks in the documented format (§1.3), back to back.
        byte[] file = File.ReadAllBytes(temp.Path);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        SectionInfo section = container.Sections.Single(s => s.Name == "heap");
        byte[] expected = HeapBytes(accepted);
        Assert.Equal((expected.LongLength, 5L), (section.Length, section.Count));
        Assert.True(file.AsSpan((int)section.Offset, expected.Length).SequenceEqual(expected));
        Assert.Equal(-1, file.AsSpan().IndexOf(s_refusedMarker));

        var records = read(container);
        Assert.Equal(2, records.Count);
        foreach ((var got, var want) in records.Zip(accepted.Where(a => a.Id > 0)))
        {
            Assert.Equal((want.Id, want.Name, want.Note), (got.Id, got.Name, got.Note));
            Assert.Equal(want.Items.Select(i => i.Tag), got.Items.Select(i => i.Tag));
        }
    }

    // 8 reserved bytes, then per non-empty value a block: u32 size, u32 "ALOC", the payload padded
    // with zeros to a multiple of 8 (at least 8). A record's values go in field order: Name, Note, Items.
    private static byte[] HeapBytes(IEnumerable<(long Id, string Name, string Note, WideItem[] Items)> values)
    {
        var heap = new List<byte>(new byte[ContainerFormat.HeapReservedBytes]);
        foreach (var value in values)
        {
            Block(heap, Encoding.UTF8.GetBytes(value.Name));
            Block(heap, Encoding.UTF8.GetBytes(value.Note));
            byte[] items = new byte[value.Items.Length * WideItem.SizeInBytes];
            for (int i = 0; i < value.Items.Length; i++)
            {
                items[i * WideItem.SizeInBytes] = value.Items[i].Tag;
            }

            Block(heap, items);
        }

        return heap.ToArray();
    }

    private static void Block(List<byte> heap, byte[] payload)
    {
        if (payload.Length == 0)
        {
            return;
        }

        int padded = (Math.Max(payload.Length, 8) + 7) / 8 * 8;
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(8 + padded));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0x434F4C41); // "ALOC"
        heap.AddRange(header.ToArray());
        heap.AddRange(payload);
        heap.AddRange(new byte[padded - payload.Length]);
    }
}
