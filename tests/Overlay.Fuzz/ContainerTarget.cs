using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Fuzz;

/// <summary>
/// The sectioned container (<c>docs/formats.md</c>): records of four layouts (fixed, with
/// [VarString]/[VarBytes] heap references, with [VarList]s of numbers and of layouts, nested), heaps, raw bytes, embedded schemas, free
/// extents; written by <see cref="MappedContainer"/> and sealed by <see cref="ContainerBuilder"/>.
/// The walk takes every section through every public accessor: records views, <c>Load</c>,
/// <c>Records</c>, <c>PinReadOnly</c> (alone and with the heap pinned), heap reads through the var
/// fields and lists and through references taken from the input, raw reads and exports, and <c>GetSchema</c>.
/// </summary>
public sealed class ContainerTarget : FuzzTarget
{
    /// <summary>How many records of a section the views walk, from each end (the pin walks all).</summary>
    private const int Walked = 48;

    /// <inheritdoc/>
    public override string Name => "container";

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, byte[] Bytes)> Seeds(string scratch)
    {
        var seeds = new List<(string, byte[])>();
        string path = Path.Combine(scratch, "seed.ovl");

        // A writable container with every section kind, committed twice (both slots valid).
        File.Delete(path);
        using (MappedContainer container = MappedContainer.Create(path, Tag, maximumEntries: 15))
        {
            Fill(container, records: 5);
            container.Commit();
            container.Commit();
        }

        seeds.Add(("writable", File.ReadAllBytes(path)));

        // The same after more changes: a freed heap value, a relocated section (a free extent),
        // and uncommitted appends past the committed lengths.
        using (MappedContainer container = MappedContainer.Open(path, Tag))
        {
            HeapSection heap = container.Heap("heap");
            RecordSection<FuzzEntry.View> entries = container.Records<FuzzEntry.View>("entries");
            entries[0].Message.Write(heap, "replaced, so the old block is freed");
            RecordSection<FuzzRecord.View> records = container.Records<FuzzRecord.View>("records");
            for (int i = 0; i < 200; i++)
            {
                records.Append(Record(100 + i));
            }

            container.Commit();
            records.Append(Record(999));
        }

        seeds.Add(("relocated", File.ReadAllBytes(path)));

        // A sealed file from the builder.
        File.Delete(path);
        using (ContainerBuilder builder = ContainerBuilder.Create(path, Tag, maximumEntries: 7))
        {
            RecordsWriter<FuzzRecord> records = builder.AddRecords<FuzzRecord>("records");
            for (int i = 0; i < 6; i++)
            {
                records.Append(Record(i));
            }

            HeapWriter heap = builder.AddHeap("heap");
            heap.Append("sealed value"u8);
            builder.AddRaw("raw").Append("sealed raw bytes"u8);
            builder.Seal();
        }

        seeds.Add(("sealed", File.ReadAllBytes(path)));

        // No sections at all.
        File.Delete(path);
        using (MappedContainer container = MappedContainer.Create(path, Tag, maximumEntries: 3))
        {
            container.Commit();
        }

        seeds.Add(("empty", File.ReadAllBytes(path)));
        File.Delete(path);
        return seeds;
    }

    private static void Fill(MappedContainer container, int records)
    {
        RecordSection<FuzzRecord.View> fixedRecords = container.AddRecords<FuzzRecord.View>("records");
        RecordSection<FuzzEntry.View> entries = container.AddRecords<FuzzEntry.View>("entries");
        RecordSection<FuzzShape.View> shapes = container.AddRecords<FuzzShape.View>("shapes");
        RecordSection<FuzzInventory.View> inventories = container.AddRecords<FuzzInventory.View>("inventories");
        HeapSection heap = container.AddHeap("heap");
        RawSection raw = container.AddRaw("raw");
        for (int i = 0; i < records; i++)
        {
            fixedRecords.Append(Record(i));
            FuzzEntry.View entry = entries.Append();
            entry.Id = i;
            entry.Level = i % 3;
            entry.Message.Write(heap, $"message {i} ü");
            entry.Payload.Write(heap, Encoding.ASCII.GetBytes(new string('p', i * 3)));
            FuzzInventory.View inventory = inventories.Append();
            inventory.Owner = i;
            inventory.Counts.Write(heap, [i, i * 10, -i]);
            inventory.Points.Write(heap, i % 2 == 0 ? [] : [new() { X = i, Y = 1 }, new() { X = -1, Y = i }]);
            shapes.Append(new FuzzShape { Origin = new FuzzPoint { X = i, Y = -i }, Corners = [new() { X = 1 }, new() { Y = 2 }, new() { X = 3, Y = 3 }], Codes = [1, 2, 3, (ushort)i], Id = new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) });
        }

        raw.Append("raw bytes of the container"u8);
    }

    /// <summary>A record of the fixed layout, from its number.</summary>
    /// <param name="i">The number.</param>
    /// <returns>The record.</returns>
    public static FuzzRecord Record(long i) => new() { Id = i, Value = i * 0.25, Flags = (int)(i % 5), Tag = $"t{i}" };

    /// <inheritdoc/>
    protected override void FixChecksums(Span<byte> bytes)
    {
        // Each slot's CRC-32C (at 60) of its prefix bytes [0, 60) and its count × 128 table bytes
        // (docs/formats.md §1.1), for both slot sizes a file may have: the one slot 0 names, and 4 KiB.
        uint named = bytes.Length >= 32 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]) : 0;
        foreach (long size in new long[] { ContainerFormat.MinimumSlotSize, named })
        {
            if (size < ContainerFormat.MinimumSlotSize || size > ContainerFormat.MaximumSlotSize || 2 * size > bytes.Length)
            {
                continue;
            }

            for (int index = 0; index < 2; index++)
            {
                Span<byte> slot = bytes.Slice((int)(index * size), (int)size);
                long tableOffset = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(slot[40..]);
                long tableBytes = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(slot[48..]) * 128L;
                ReadOnlySpan<byte> table = tableOffset <= size ? slot.Slice((int)tableOffset, (int)Math.Min(tableBytes, size - tableOffset)) : default;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(slot[60..], Crc32C(slot[..60], table));
            }
        }
    }

    /// <inheritdoc/>
    public override FuzzOutcome Walk(string path, bool write)
    {
        long fixedCount = -1;
        try
        {
            using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
            fixedCount = WalkContainer(container, NumbersFrom(path, 16));
        }
        catch (InvalidDataException)
        {
            return FuzzOutcome.Refused;
        }

        if (write)
        {
            WriteAndReadBack(path, fixedCount);
        }

        return FuzzOutcome.Opened;
    }

    /// <summary>Walks every section; returns the count of the "records" section of <see cref="FuzzRecord"/>s, or -1.</summary>
    private static long WalkContainer(MappedContainer container, List<(long Offset, int Length)> numbers)
    {
        long sum = (long)container.Generation + container.FreeBytes + (container.IsSealed ? 1 : 0) + container.MaximumEntries;
        var heaps = new List<HeapSection>();
        foreach (SectionInfo section in container.Sections)
        {
            if (section.Kind == SectionKind.Heap)
            {
                heaps.Add(container.Heap(section.Name));
            }
        }

        long fixedCount = -1;
        foreach (SectionInfo section in container.Sections)
        {
            sum += section.Count + section.Length;
            switch (section.Kind)
            {
                case SectionKind.Records:
                    if (TryRecords(container, section.Name, out RecordSection<FuzzRecord.ReadOnlyView>? fixedRecords))
                    {
                        sum += WalkFixed(fixedRecords);
                        fixedCount = section.Name == "records" ? fixedRecords.Count : fixedCount;
                    }

                    if (TryRecords(container, section.Name, out RecordSection<FuzzEntry.ReadOnlyView>? entries))
                    {
                        sum += WalkEntries(entries, heaps);
                    }

                    if (TryRecords(container, section.Name, out RecordSection<FuzzShape.ReadOnlyView>? shapes))
                    {
                        sum += WalkShapes(shapes);
                    }

                    if (TryRecords(container, section.Name, out RecordSection<FuzzInventory.ReadOnlyView>? inventories))
                    {
                        sum += WalkInventories(inventories, heaps);
                    }

                    break;
                case SectionKind.Heap:
                    sum += WalkHeap(container.Heap(section.Name), numbers);
                    break;
                case SectionKind.Raw:
                    sum += WalkRaw(container.Raw(section.Name));
                    break;
            }

            if (section.Kind != SectionKind.Free)
            {
                try
                {
                    LayoutInfo? schema = container.GetSchema(section.Name);
                    sum += schema?.Fields.Count ?? 0;
                }
                catch (InvalidDataException)
                {
                    // Documented: the embedded schema is invalid.
                }
            }
        }

        GC.KeepAlive(sum);
        return fixedCount;
    }

    private static bool TryRecords<TView>(MappedContainer container, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RecordSection<TView>? section)
        where TView : struct, IMappedView<TView>
    {
        try
        {
            section = container.Records<TView>(name);
            return true;
        }
        catch (InvalidDataException)
        {
            // Documented: another layout (fingerprint, size or an incompatible schema).
            section = null;
            return false;
        }
    }

    private static IEnumerable<long> Indexes(long count)
    {
        for (long i = 0; i < Math.Min(count, Walked); i++)
        {
            yield return i;
        }

        for (long i = Math.Max(Walked, count - Walked); i < count; i++)
        {
            yield return i;
        }
    }

    private static long WalkFixed(RecordSection<FuzzRecord.ReadOnlyView> records)
    {
        long sum = records.Count + records.Capacity + records.RecordSize;
        try
        {
            foreach (long i in Indexes(records.Count))
            {
                FuzzRecord.ReadOnlyView view = records[i];
                sum += view.Id + view.Flags + (long)view.Value + view.Tag.Length + records.At(i).Load().Tag.Length;
                sum += records.Load<FuzzRecord>(i).Id;
            }

            MappedArray<FuzzRecord.ReadOnlyView> array = records.Records;
            foreach (long i in Indexes(array.Count))
            {
                sum += array[i].Id;
            }
        }
        catch (NotSupportedException)
        {
            // Documented: the file's records are shorter than the layout (a compatible older schema).
        }
        catch (InvalidDataException)
        {
            // Documented by fixed strings: invalid UTF-8 in the file.
        }

        try
        {
            sum += records.PinReadOnly(static (ReadOnlyMappedSpan<FuzzRecord.ReadOnlyRef> span) =>
            {
                long total = 0;
                foreach (FuzzRecord.ReadOnlyRef record in span)
                {
                    total += record.Id + record.Flags;
                }

                return total;
            });
        }
        catch (ArgumentException)
        {
            // Documented: records further apart than the Ref's size (a newer schema's stride).
        }

        return sum;
    }

    private static long WalkEntries(RecordSection<FuzzEntry.ReadOnlyView> entries, List<HeapSection> heaps)
    {
        long sum = entries.Count;
        try
        {
            foreach (long i in Indexes(entries.Count))
            {
                FuzzEntry.ReadOnlyView view = entries[i];
                sum += view.Id + view.Level + view.Message.Reference.Length + view.Payload.Reference.Offset;
                foreach (HeapSection heap in heaps)
                {
                    sum += ReadOrRefused(() => view.Message.Read(heap).Length);
                    sum += ReadOrRefused(() => view.Payload.ToArray(heap).Length);
                    sum += ReadOrRefused(() => view.Payload.Pin(heap, static span => span.Length));
                    sum += ReadOrRefused(() => view.Load(heap).Message.Length);
                    sum += ReadOrRefused(() => heap.ToArray(view.Message.Reference).Length);
                }
            }
        }
        catch (NotSupportedException)
        {
            // Documented: the file's records are shorter than the layout.
        }

        try
        {
            sum += entries.PinReadOnly(static (ReadOnlyMappedSpan<FuzzEntry.ReadOnlyRef> span) =>
            {
                long total = 0;
                foreach (FuzzEntry.ReadOnlyRef entry in span)
                {
                    total += entry.Id + entry.Message.Length + entry.Payload.Offset;
                }

                return total;
            });
        }
        catch (ArgumentException)
        {
            // Documented: records further apart than the Ref's size.
        }

        foreach (HeapSection heap in heaps)
        {
            try
            {
                sum += ReadOrRefused(() => entries.PinReadOnly<FuzzEntry.ReadOnlyRef, long>(heap, static (span, values) =>
                {
                    long total = 0;
                    for (int i = 0; i < span.Length; i++)
                    {
                        total += values[span[i].Message].Length + values[span[i].Payload].Length;
                        total += i < Walked ? values.GetString(span[i].Message).Length : 0;
                    }

                    return total;
                }));
            }
            catch (ArgumentException)
            {
                // Documented: records further apart than the Ref's size.
            }
        }

        return sum;
    }

    private static long WalkInventories(RecordSection<FuzzInventory.ReadOnlyView> inventories, List<HeapSection> heaps)
    {
        long sum = inventories.Count;
        try
        {
            foreach (long i in Indexes(inventories.Count))
            {
                FuzzInventory.ReadOnlyView view = inventories[i];
                sum += view.Owner + view.Counts.Reference.Length + view.Points.Reference.Offset;
                foreach (HeapSection heap in heaps)
                {
                    sum += ReadOrRefused(() => view.Counts.Count(heap));
                    sum += ReadOrRefused(() =>
                    {
                        ReadOnlyMappedValueArray<int> counts = view.Counts.AsReadOnlyArray(heap);
                        return counts.Length == 0 ? 0 : counts[0] + counts[counts.Length - 1];
                    });
                    sum += ReadOrRefused(() => view.Counts.ToArray(heap).Length);
                    sum += ReadOrRefused(() => view.Counts.Pin(heap, static span => span.Length));
                    sum += ReadOrRefused(() =>
                    {
                        MappedArray<FuzzPoint.ReadOnlyView> points = view.Points.AsArray(heap);
                        return points.Count == 0 ? 0 : points[0].X + points[points.Count - 1].Y;
                    });
                    sum += ReadOrRefused(() => view.Points.ToArray(heap).Length);
                    sum += ReadOrRefused(() => view.Load(heap).Points.Length);
                }
            }
        }
        catch (NotSupportedException)
        {
            // Documented: the file's records are shorter than the layout.
        }

        foreach (HeapSection heap in heaps)
        {
            try
            {
                // Records and heap pinned together: every list reference through the heap span.
                sum += ReadOrRefused(() => inventories.PinReadOnly<FuzzInventory.ReadOnlyRef, long>(heap, static (span, values) =>
                {
                    long total = 0;
                    for (int i = 0; i < span.Length; i++)
                    {
                        total += values[span[i].Counts].Length + values[span[i].Points].Length;
                    }

                    return total;
                }));
            }
            catch (ArgumentException)
            {
                // Documented: records further apart than the Ref's size.
            }
        }

        return sum;
    }

    private static long WalkShapes(RecordSection<FuzzShape.ReadOnlyView> shapes)
    {
        long sum = shapes.Count;
        try
        {
            foreach (long i in Indexes(shapes.Count))
            {
                FuzzShape.ReadOnlyView view = shapes[i];
                FuzzShape shape = view.Load();
                sum += view.Origin.X + shape.Corners[2].Y + shape.Codes[3] + shape.Id.GetHashCode();
            }
        }
        catch (NotSupportedException)
        {
            // Documented: the file's records are shorter than the layout.
        }

        return sum;
    }

    private static long WalkHeap(HeapSection heap, List<(long Offset, int Length)> numbers)
    {
        long sum = heap.Count + heap.Length + heap.Capacity + heap.FreeBytes;
        foreach ((long offset, int length) in numbers)
        {
            // References the fuzzer controls, and the same made plausible (small, aligned).
            foreach (HeapRef reference in new[] { new HeapRef(offset, length), new HeapRef((offset & 0xFFF8) + 16, length & 0xFF) })
            {
                sum += ReadOrRefused(() => heap.ToArray(reference).Length);
                sum += ReadOrRefused(() => heap.Pin(reference, static span => span.Length));
                sum += ReadOrRefused(() =>
                {
                    Span<byte> buffer = stackalloc byte[256];
                    try
                    {
                        heap.Read(reference, buffer);
                    }
                    catch (ArgumentException) when (reference.Length > buffer.Length)
                    {
                        // Documented: the destination is too short.
                    }

                    return buffer[0];
                });
            }
        }

        return sum;
    }

    private static long WalkRaw(RawSection raw)
    {
        long sum = raw.Length + raw.Capacity + raw.ToArray().Length;
        int length = (int)Math.Min(raw.Length, 4096);
        sum += raw.Pin(0, length, static span => span.Length);
        Span<byte> buffer = stackalloc byte[16];
        if (raw.Length >= buffer.Length)
        {
            raw.Read(raw.Length - buffer.Length, buffer);
            sum += buffer[0];
        }

        using (ReadOnlyMappedMemory memory = raw.AcquireReadOnlyMemory(0, length))
        {
            sum += memory.Span.Length;
        }

        try
        {
            raw.Read(raw.Length, new byte[1]);
            throw new InvalidOperationException("a read past the raw section's length was not refused");
        }
        catch (ArgumentOutOfRangeException)
        {
            // Documented, and expected.
        }

        return sum;
    }

    private static long ReadOrRefused(Func<long> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException)
        {
            // Documented: a reference outside the heap, or invalid UTF-8.
            return 0;
        }
    }

    /// <summary>The writer's path: opens for writing, appends a record and a heap value, commits, and reads them back.</summary>
    private static void WriteAndReadBack(string path, long fixedCount)
    {
        MappedContainer container;
        try
        {
            container = MappedContainer.Open(path, Tag, MapAccess.Write);
        }
        catch (InvalidDataException)
        {
            throw new InvalidOperationException("a file that opened for reading was refused for writing");
        }

        using (container)
        {
            if (container.IsSealed || fixedCount < 0)
            {
                return;
            }

            RecordSection<FuzzRecord.View> records = container.Records<FuzzRecord.View>("records");
            records.Append(Record(fixedCount));
            foreach (SectionInfo section in container.Sections)
            {
                if (section.Kind == SectionKind.Heap)
                {
                    container.Heap(section.Name).Allocate("fuzz"u8);
                }
            }

            container.Commit();
        }

        using MappedContainer again = MappedContainer.Open(path, Tag, MapAccess.Read);
        RecordSection<FuzzRecord.ReadOnlyView> reread = again.Records<FuzzRecord.ReadOnlyView>("records");
        if (reread.Count != fixedCount + 1 || reread[fixedCount].Id != fixedCount)
        {
            throw new InvalidOperationException($"the appended record did not come back: count {reread.Count}, expected {fixedCount + 1}");
        }
    }
}
