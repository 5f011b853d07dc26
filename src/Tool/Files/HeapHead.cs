using System;
using System.Buffers.Binary;
using Overlay.Formats;

namespace Overlay.Tool.Files;

/// <summary>
/// A heap's free-list head (its table entry's aux 0, docs/formats.md §1.2), which the public
/// <see cref="SectionInfo"/> does not carry: read from the meta slot the runtime chose (the one
/// whose generation is the container's), after the runtime validated it.
/// </summary>
internal static class HeapHead
{
    private const int GenerationOffset = 32;
    private const int TableOffsetOffset = 40;
    private const int SlotSizeOffset = 28;
    private const int Aux0Offset = 80;

    public static long Read(MappedContainer container, SectionInfo heap)
    {
        MemoryMap map = container.Map;
        int slot = (int)(container.Generation % 2);
        Span<byte> prefix = stackalloc byte[ContainerFormat.PrefixSize];
        for (long size = ContainerFormat.MinimumSlotSize; size <= ContainerFormat.MaximumSlotSize; size <<= 1)
        {
            long start = slot * size;
            if (start + ContainerFormat.PrefixSize > map.Length)
            {
                break;
            }

            map.ReadAt(start, prefix);
            if (BinaryPrimitives.ReadUInt64LittleEndian(prefix) != ContainerFormat.Magic
                || BinaryPrimitives.ReadUInt64LittleEndian(prefix[GenerationOffset..]) != container.Generation
                || BinaryPrimitives.ReadUInt32LittleEndian(prefix[SlotSizeOffset..]) != (uint)size)
            {
                continue;
            }

            long entry = start + BinaryPrimitives.ReadUInt32LittleEndian(prefix[TableOffsetOffset..]) + ((long)heap.Index * ContainerFormat.EntrySize);
            return map.ReadAt<long>(entry + Aux0Offset);
        }

        return 0;
    }
}
