using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Layouts.Support;

namespace Overlay.Formats;

/// <summary>
/// Reads and checks the two meta slots and the section table of a container, in the order
/// <c>docs/formats.md</c> §4 lists. Every number read is checked before it is used; a failure is
/// an <see cref="InvalidDataException"/> that names the file and what is wrong.
/// </summary>
internal static class ContainerReader
{
    public static ContainerImage Read(MemoryMap map, string path, ulong tag)
    {
        long fileLength = map.Length;
        if (fileLength < ContainerFormat.PrefixSize)
        {
            throw Invalid(path, $"it is {fileLength} bytes long, shorter than a {ContainerFormat.PrefixSize}-byte container prefix");
        }

        // Slot 0 says the slot size; if slot 0 is torn, slot 1 is looked for at every valid size.
        uint claimed = ValueAccess.Read<uint>(map, ContainerFormat.SlotSizeOffset, false);
        ContainerImage? slot0 = TryReadSlot(map, 0, ContainerFormat.IsValidSlotSize(claimed) ? (int)claimed : 0, out string? error0);
        ContainerImage? slot1 = null;
        string? error1 = null;
        if (slot0 is not null)
        {
            slot1 = TryReadSlot(map, 1, slot0.SlotSize, out error1);
        }
        else
        {
            for (int size = ContainerFormat.MinimumSlotSize; size <= ContainerFormat.MaximumSlotSize && slot1 is null; size <<= 1)
            {
                slot1 = TryReadSlot(map, 1, size, out string? error);
                if (size == ContainerFormat.MinimumSlotSize || (claimed == (uint)size))
                {
                    error1 = error;
                }
            }
        }

        ContainerImage? chosen = (slot0, slot1) switch
        {
            (null, null) => null,
            (not null, null) => slot0,
            (null, not null) => slot1,
            _ => slot0.Generation > slot1!.Generation ? slot0 : slot1,
        };

        if (chosen is null)
        {
            // A wrong magic in slot 0 most likely means "not a container at all": say that first.
            throw Invalid(path, $"neither meta slot is valid (slot 0: {error0}; slot 1: {error1 ?? "not found"})");
        }

        ulong found = ValueAccess.Read<ulong>(map, (chosen.Generation % 2 == 0 ? 0 : chosen.SlotSize) + ContainerFormat.TagOffset, false);
        if (found != tag)
        {
            throw Invalid(path, $"its application tag is 0x{found:X16}, expected 0x{tag:X16}");
        }

        CheckEntries(path, chosen, fileLength);
        return chosen;
    }

    /// <summary>Reads slot <paramref name="index"/> of <paramref name="slotSize"/> bytes (0: unknown), or says why it is not valid.</summary>
    private static ContainerImage? TryReadSlot(MemoryMap map, int index, int slotSize, out string? error)
    {
        long fileLength = map.Length;
        if (slotSize == 0)
        {
            error = $"its slot size 0x{ValueAccess.Read<uint>(map, ContainerFormat.SlotSizeOffset, false):X} is not 4096 << k (k <= 8)";
            return null;
        }

        if (fileLength < 2L * slotSize)
        {
            error = $"the file ({fileLength} bytes) is shorter than two slots of {slotSize} bytes";
            return null;
        }

        long start = (long)index * slotSize;
        Span<byte> prefix = stackalloc byte[ContainerFormat.PrefixSize];
        map.ReadAt(start, prefix);
        error = CheckPrefix(prefix, index, slotSize);
        if (error is not null)
        {
            return null;
        }

        uint tableOffset = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.TableOffsetOffset..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.EntryCountOffset..]);
        byte[] table = new byte[count * ContainerFormat.EntrySize]; // <= slot size, checked by CheckPrefix
        map.ReadAt(start + tableOffset, table);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.ChecksumOffset..]);
        uint computed = Crc32C.Compute(prefix[..ContainerFormat.ChecksumOffset], table);
        if (stored != computed)
        {
            error = $"its checksum is 0x{stored:X8}, the prefix and table hash to 0x{computed:X8} (a torn or damaged slot)";
            return null;
        }

        var entries = new List<SectionEntry>((int)count);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> bytes = table.AsSpan(i * ContainerFormat.EntrySize, ContainerFormat.EntrySize);
            SectionEntry entry = SectionEntry.Read(bytes, out string? nameError);
            if (nameError is not null)
            {
                error = $"entry {i}: {nameError}";
                return null;
            }

            if (!SectionEntry.ReservedIsZero(bytes))
            {
                error = $"entry {i} ('{entry.Name}'): its reserved bytes are not zero";
                return null;
            }

            entries.Add(entry);
        }

        return new ContainerImage(
            slotSize,
            BinaryPrimitives.ReadUInt64LittleEndian(prefix[ContainerFormat.GenerationOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.FlagsOffset..]),
            entries);
    }

    private static string? CheckPrefix(ReadOnlySpan<byte> prefix, int index, int slotSize)
    {
        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (magic != ContainerFormat.Magic)
        {
            return $"its magic number is 0x{magic:X16}, expected 0x{ContainerFormat.Magic:X16} (\"OVLCNTNR\")";
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.VersionOffset..]);
        if (version != ContainerFormat.Version)
        {
            return $"its format version is {version}, expected {ContainerFormat.Version}";
        }

        uint prefixSize = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.PrefixSizeOffset..]);
        if (prefixSize != ContainerFormat.PrefixSize)
        {
            return $"its prefix size is {prefixSize}, expected {ContainerFormat.PrefixSize}";
        }

        uint entrySize = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.EntrySizeOffset..]);
        if (entrySize != ContainerFormat.EntrySize)
        {
            return $"its entry size is {entrySize}, expected {ContainerFormat.EntrySize}";
        }

        uint size = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.SlotSizeOffset..]);
        if (size != (uint)slotSize)
        {
            return $"its slot size is {size}, expected {slotSize}";
        }

        if (prefix[ContainerFormat.PrefixReservedOffset..ContainerFormat.ChecksumOffset].ContainsAnyExcept((byte)0))
        {
            return "its reserved bytes are not zero";
        }

        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.FlagsOffset..]);
        if ((flags & ~ContainerFormat.SealedFlag) != 0)
        {
            return $"its flags 0x{flags:X8} have bits this version does not know";
        }

        ulong generation = BinaryPrimitives.ReadUInt64LittleEndian(prefix[ContainerFormat.GenerationOffset..]);
        if (generation == 0 || (int)(generation % 2) != index)
        {
            return $"its generation {generation} does not belong in slot {index}";
        }

        uint tableOffset = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.TableOffsetOffset..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(prefix[ContainerFormat.EntryCountOffset..]);
        if (tableOffset < ContainerFormat.PrefixSize || tableOffset % 8 != 0
            || (ulong)tableOffset + ((ulong)count * ContainerFormat.EntrySize) > (ulong)slotSize)
        {
            return $"its table ({count} entries at slot offset {tableOffset}) overlaps the prefix or does not fit in the {slotSize}-byte slot";
        }

        return null;
    }

    private static void CheckEntries(string path, ContainerImage image, long fileLength)
    {
        long dataStart = 2L * image.SlotSize;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < image.Entries.Count; i++)
        {
            SectionEntry e = image.Entries[i];
            string what = $"section {i} ('{e.Name}')";
            if (e.Kind is < SectionKind.Records or > SectionKind.Free)
            {
                throw Invalid(path, $"{what} has unknown kind {(ushort)e.Kind}");
            }

            if ((e.Flags & 0xFF) != 0)
            {
                throw Invalid(path, $"{what} has must-understand flags 0x{e.Flags:X4} this version does not know");
            }

            if ((e.Kind == SectionKind.Free) != (e.Name.Length == 0))
            {
                throw Invalid(path, e.Kind == SectionKind.Free ? $"{what}: a free extent has a name" : $"{what} has no name");
            }

            if (e.Kind != SectionKind.Free && !names.Add(e.Name))
            {
                throw Invalid(path, $"{what}: the name is used twice");
            }

            if (e.Offset < dataStart || e.Offset % 8 != 0)
            {
                throw Invalid(path, $"{what} starts at {e.Offset}: not a multiple of 8 at or after the meta slots' end ({dataStart})");
            }

            if (e.Length < 0 || e.Capacity < e.Length || e.Capacity > fileLength - e.Offset)
            {
                throw Invalid(path, $"{what} claims {e.Length} bytes used of {e.Capacity} reserved at offset {e.Offset}, but the file is {fileLength} bytes long");
            }

            CheckKind(path, what, e);
            if (e.Schema != 0 && (e.Schema > image.Entries.Count || image.Entries[(int)e.Schema - 1].Kind != SectionKind.Schema))
            {
                throw Invalid(path, $"{what} names schema entry {e.Schema - 1}, which is not a schema section");
            }

            if (image.Sealed && (e.Kind == SectionKind.Free || e.Capacity != e.Length))
            {
                throw Invalid(path, $"{what}: a sealed file has no free space");
            }
        }

        var byOffset = new List<SectionEntry>(image.Entries);
        byOffset.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        for (int i = 1; i < byOffset.Count; i++)
        {
            // Capacity <= fileLength - Offset was checked: End cannot overflow.
            if (byOffset[i - 1].End > byOffset[i].Offset)
            {
                throw Invalid(path, $"sections '{byOffset[i - 1].Name}' [{byOffset[i - 1].Offset}, {byOffset[i - 1].End}) and '{byOffset[i].Name}' [{byOffset[i].Offset}, {byOffset[i].End}) overlap");
            }
        }
    }

    private static void CheckKind(string path, string what, SectionEntry e)
    {
        switch (e.Kind)
        {
            case SectionKind.Records:
                if (e.Stride == 0 || e.Length % e.Stride != 0 || e.Count != e.Length / e.Stride)
                {
                    throw Invalid(path, $"{what}: {e.Count} records of {e.Stride} bytes do not make its {e.Length} bytes");
                }

                break;
            case SectionKind.Heap:
                if (e.Stride != ContainerFormat.HeapGranule || e.Length < ContainerFormat.HeapReservedBytes || e.Length % ContainerFormat.HeapGranule != 0)
                {
                    throw Invalid(path, $"{what}: a heap has stride 8 and a length that is a multiple of 8 and at least 8 (stride {e.Stride}, length {e.Length})");
                }

                if (e.Aux0 != 0 && (e.Aux0 < ContainerFormat.HeapReservedBytes || e.Aux0 > e.Length - ContainerFormat.HeapMinimumBlockSize || e.Aux0 % 8 != 0))
                {
                    throw Invalid(path, $"{what}: its free list starts at {e.Aux0}, outside the heap's {e.Length} bytes");
                }

                if (e.Aux1 < 0 || e.Aux1 > e.Length || e.Count < 0 || e.Count > e.Length / ContainerFormat.HeapMinimumBlockSize)
                {
                    throw Invalid(path, $"{what}: {e.Count} live blocks and {e.Aux1} free bytes do not fit in {e.Length} bytes");
                }

                break;
            case SectionKind.Index:
                // The index's header is checked against these when the index is opened (MappedHashIndex.Section.cs).
                if (e.Aux1 is not (SectionIndexKinds.Hash or SectionIndexKinds.Sorted) || e.Stride == 0 || e.Length < Indexes.HashIndexHeader.Size || e.Count < 0)
                {
                    throw Invalid(path, $"{what}: an index section has index type 1 or 2, a stride, a 128-byte header and a count (type {e.Aux1}, stride {e.Stride}, length {e.Length}, count {e.Count})");
                }

                break;
            default:
                if (e.Stride != 1 || e.Count != 0 || e.Aux0 != 0 || e.Aux1 != 0)
                {
                    throw Invalid(path, $"{what}: a {e.Kind} section has stride 1 and no count or auxiliary values");
                }

                break;
        }
    }

    public static InvalidDataException Invalid(string path, string reason) =>
        new($"{path} is not a valid Overlay container: {reason}.");
}
