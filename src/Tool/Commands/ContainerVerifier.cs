using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tool.Files;

namespace Overlay.Tool.Commands;

/// <summary>
/// Every check <c>verify</c> makes on a container: the runtime's <c>Open</c> (docs/formats.md §4,
/// the structure), each schema section decoded and each records section's schema matched to its
/// stride and fingerprint, a walk of every heap's blocks and free list, and every heap reference
/// in every record checked to name a live block. Collects every problem instead of stopping at the first.
/// </summary>
internal sealed class ContainerVerifier
{
    private readonly List<string> _problems = [];
    private long _records;
    private long _references;
    private long _blocks;

    public IReadOnlyList<string> Problems => _problems;

    public string Summary { get; private set; } = string.Empty;

    public static ContainerVerifier Run(string path)
    {
        var verifier = new ContainerVerifier();
        MappedContainer container;
        try
        {
            container = ContainerOpener.Open(path);
        }
        catch (InvalidDataException e)
        {
            verifier._problems.Add(e.Message);
            return verifier;
        }

        using (container)
        {
            verifier.Check(container);
        }

        return verifier;
    }

    private void Check(MappedContainer container)
    {
        IReadOnlyList<SectionInfo> sections = container.Sections;
        foreach (SectionInfo schema in sections.Where(s => s.Kind == SectionKind.Schema))
        {
            if (schema.Length > 16 << 20)
            {
                _problems.Add($"schema section '{schema.Name}' is {schema.Length} bytes, more than the 16 MiB a schema may have");
                continue;
            }

            byte[] bytes = new byte[schema.Length];
            container.Map.ReadAt(schema.Offset, bytes);
            try
            {
                LayoutSchema.Decode(bytes);
            }
            catch (InvalidDataException e)
            {
                _problems.Add($"schema section '{schema.Name}': {e.Message}");
            }
        }

        var heaps = new List<(SectionInfo Section, Dictionary<long, long> Live)>();
        foreach (SectionInfo heap in sections.Where(s => s.Kind == SectionKind.Heap))
        {
            heaps.Add((heap, WalkHeap(container, heap)));
        }

        foreach (SectionInfo section in sections.Where(s => s.Kind == SectionKind.Records))
        {
            _records += section.Count;
            if (section.Schema == 0)
            {
                continue;
            }

            LayoutInfo layout;
            try
            {
                layout = container.GetSchema(section.Name)!;
            }
            catch (InvalidDataException e)
            {
                _problems.Add(e.Message);
                continue;
            }

            var references = new List<(string Name, int Offset)>();
            CollectReferences(layout, 0, string.Empty, references);
            if (references.Count > 0)
            {
                CheckReferences(container, section, references, heaps);
            }
        }

        Summary = $"{sections.Count} sections, {_records} records, {_blocks} heap blocks, {_references} heap references";
    }

    /// <summary>Walks the heap's blocks from its first to its end and its committed free list; returns the live payloads (offset → capacity).</summary>
    private Dictionary<long, long> WalkHeap(MappedContainer container, SectionInfo heap)
    {
        var live = new Dictionary<long, long>();
        var free = new HashSet<long>();
        MemoryMap map = container.Map;
        Span<byte> header = stackalloc byte[8];
        long position = ContainerFormat.HeapReservedBytes;
        while (position < heap.Length)
        {
            if (heap.Length - position < ContainerFormat.HeapMinimumBlockSize)
            {
                _problems.Add($"heap '{heap.Name}': {heap.Length - position} bytes at {position} are too few for a block");
                break;
            }

            map.ReadAt(heap.Offset + position, header);
            uint size = BitConverter.ToUInt32(header);
            uint state = BitConverter.ToUInt32(header[4..]);
            if (size < ContainerFormat.HeapMinimumBlockSize || size % ContainerFormat.HeapGranule != 0 || size > heap.Length - position)
            {
                _problems.Add($"heap '{heap.Name}': the block at {position} claims {size} bytes (at least 16, a multiple of 8, inside the heap's {heap.Length}); the blocks after it cannot be walked");
                break;
            }

            if (state == ContainerFormat.HeapBlockAllocated)
            {
                live[position + ContainerFormat.HeapBlockHeaderSize] = size - ContainerFormat.HeapBlockHeaderSize;
            }
            else if (state == ContainerFormat.HeapBlockFree)
            {
                free.Add(position);
            }
            else
            {
                _problems.Add($"heap '{heap.Name}': the block at {position} has state 0x{state:X8}, neither allocated nor free");
                break;
            }

            _blocks++;
            position += size;
        }

        if (live.Count != heap.Count)
        {
            _problems.Add($"heap '{heap.Name}': the table counts {heap.Count} live values, the blocks hold {live.Count}");
        }

        // The committed free list: every link a free block of the walk, no cycle, its sizes summing to the table's.
        var info = container.Heap(heap.Name);
        long current = 0, total = 0, steps = 0;
        Span<byte> next = stackalloc byte[8];
        var seen = new HashSet<long>();
        current = FirstFree(container, heap);
        while (current != 0)
        {
            if (!free.Contains(current) || !seen.Add(current) || ++steps > heap.Length / ContainerFormat.HeapMinimumBlockSize)
            {
                _problems.Add($"heap '{heap.Name}': its free list reaches {current}, which is not a free block of the heap (or was reached before)");
                return live;
            }

            map.ReadAt(heap.Offset + current, header);
            total += BitConverter.ToUInt32(header);
            map.ReadAt(heap.Offset + current + ContainerFormat.HeapBlockHeaderSize, next);
            current = BitConverter.ToInt64(next);
        }

        if (total != info.FreeBytes)
        {
            _problems.Add($"heap '{heap.Name}': the table says its free list holds {info.FreeBytes} bytes, its blocks hold {total}");
        }

        return live;
    }

    // SectionInfo carries no heap head: it is aux 0 of the table entry, read here from the newest meta slot's table.
    private static long FirstFree(MappedContainer container, SectionInfo heap) => HeapHead.Read(container, heap);

    private static void CollectReferences(LayoutInfo layout, int baseOffset, string prefix, List<(string, int)> references)
    {
        foreach (LayoutField field in layout.Fields)
        {
            if (field.Kind is LayoutFieldKind.VarString or LayoutFieldKind.VarBytes or LayoutFieldKind.VarList)
            {
                references.Add((prefix + field.Name, baseOffset + field.Offset));
            }
            else if (field.Kind == LayoutFieldKind.Layout && field.Layout is not null)
            {
                CollectReferences(field.Layout, baseOffset + field.Offset, prefix + field.Name + ".", references);
            }
        }
    }

    private void CheckReferences(MappedContainer container, SectionInfo section, List<(string Name, int Offset)> references, List<(SectionInfo Section, Dictionary<long, long> Live)> heaps)
    {
        byte[] record = new byte[section.Stride];
        int reported = 0;
        for (long i = 0; i < section.Count; i++)
        {
            container.Map.ReadAt(section.Offset + (i * section.Stride), record);
            foreach ((string name, int offset) in references)
            {
                HeapRef reference = HeapRef.Read(record.AsSpan(offset));
                if (reference.IsNull)
                {
                    continue;
                }

                _references++;

                // Which heap a reference points into is the application's knowledge: it must name a live block of one of them.
                bool valid = reference.Length >= 0 && heaps.Any(h => h.Live.TryGetValue(reference.Offset, out long capacity) && reference.Length <= capacity);
                if (!valid && reported++ < 100)
                {
                    _problems.Add(heaps.Count == 0
                        ? $"section '{section.Name}' record {i} {name}: a heap reference [{reference.Offset}, {reference.Length}] in a file without a heap"
                        : $"section '{section.Name}' record {i} {name}: the heap reference [{reference.Offset}, {reference.Length}] names no live value of {string.Join(" or ", heaps.Select(h => "'" + h.Section.Name + "'"))}");
                }
            }
        }

        if (reported > 100)
        {
            _problems.Add($"section '{section.Name}': {reported - 100} more bad heap references");
        }
    }
}
