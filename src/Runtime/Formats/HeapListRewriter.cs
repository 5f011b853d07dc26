using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts.Support;
using Overlay.Schemas;

namespace Overlay.Formats;

/// <summary>
/// The heap of an <see cref="MappedContainer.Upgrade"/> whose lists change element type
/// (docs/formats.md §8.5): the old heap is copied as it is, the converted lists are appended after
/// its used bytes in the heap's block format, and the blocks of the lists they replace are pushed
/// onto the heap's free list (reusable by the next writer; dropped by the next compaction).
/// </summary>
internal sealed class HeapListRewriter : IListHeap
{
    private readonly HeapSection _heap;
    private readonly SectionEntry _entry;
    private readonly MemoryStream _appended = new();
    private readonly List<(long Block, uint Size)> _released = new();
    private readonly HashSet<long> _releasedBlocks = new();

    public HeapListRewriter(HeapSection heap, SectionEntry entry)
    {
        _heap = heap;
        _entry = entry;
    }

    /// <summary>The heap section's entry in the source container.</summary>
    public SectionEntry Entry => _entry;

    /// <summary>The values appended.</summary>
    public long Appended { get; private set; }

    public ReadOnlySpan<byte> Read(HeapRef reference) => _heap.ToArray(reference);

    public HeapRef Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return default;
        }

        long payload = ContainerFormat.AlignUp(Math.Max(bytes.Length, ContainerFormat.HeapGranule), ContainerFormat.HeapGranule);
        long block = _entry.Length + _appended.Length;
        Span<byte> header = stackalloc byte[ContainerFormat.HeapBlockHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(ContainerFormat.HeapBlockHeaderSize + payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], ContainerFormat.HeapBlockAllocated);
        _appended.Write(header);
        _appended.Write(bytes);
        _appended.Write(new byte[payload - bytes.Length]);
        Appended++;
        return new HeapRef(block + ContainerFormat.HeapBlockHeaderSize, bytes.Length);
    }

    public void Release(HeapRef reference)
    {
        // Checked as a Free would check it; a block two records shared is freed once.
        _heap.EnsureFreeable(reference);
        long block = reference.Offset - ContainerFormat.HeapBlockHeaderSize;
        if (_releasedBlocks.Add(block))
        {
            uint size = ValueAccess.Read<uint>(_heap.LiveMap, _heap.Locate(reference) - ContainerFormat.HeapBlockHeaderSize, false);
            _released.Add((block, size));
        }
    }

    /// <summary>The new heap's entry: longer by the appended lists, the released blocks on its free list.</summary>
    public void Update(SectionEntry copy)
    {
        copy.Length = _entry.Length + _appended.Length;
        copy.Count = Math.Max(0, _entry.Count + Appended - _released.Count);
        foreach ((long block, uint size) in _released)
        {
            copy.Aux1 += size;
        }

        if (_released.Count > 0)
        {
            copy.Aux0 = _released[^1].Block;
        }
    }

    /// <summary>After the old heap's bytes were copied to <paramref name="heapStart"/>: the appended lists, then the released blocks marked free and linked.</summary>
    public void WriteTail(Stream output, long heapStart)
    {
        output.Position = heapStart + _entry.Length;
        _appended.Position = 0;
        _appended.CopyTo(output);

        // Pushed in order onto the old head: the last released is the new head (Update), each
        // linking to the one released before it, the first to the old head.
        Span<byte> free = stackalloc byte[4];
        Span<byte> link = stackalloc byte[8];
        long next = _entry.Aux0;
        foreach ((long block, uint _) in _released)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(free, ContainerFormat.HeapBlockFree);
            output.Position = heapStart + block + 4;
            output.Write(free);
            BinaryPrimitives.WriteUInt64LittleEndian(link, (ulong)next);
            output.Position = heapStart + block + ContainerFormat.HeapBlockHeaderSize;
            output.Write(link);
            next = block;
        }
    }
}
