using System;
using System.Buffers.Binary;
using Overlay.Layouts;
using Overlay.Layouts.Support;

namespace Overlay.Formats;

// The commit protocol of docs/formats.md §3: data, then the other meta slot, each flushed.
public sealed partial class MappedContainer
{
    /// <summary>
    /// Makes the current state durable: links the heap blocks freed since the last commit into
    /// their free lists, flushes every section's bytes (<c>msync(MS_SYNC)</c>), then writes the
    /// meta slot the last commit did not write (generation + 1) and flushes it. A crash before this
    /// returns leaves the previous commit's state; after it, this one's.
    /// </summary>
    /// <remarks>
    /// A record file opened as a container (<see cref="IsRecordFile"/>) has no meta slots: its
    /// <see cref="Commit"/> is <c>RecordFile.Flush</c> (the prefix, header and records flushed, in-place
    /// edits included, then its count made durable).
    /// </remarks>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    /// <exception cref="MapIOException">A flush failed; the previous commit's slot is intact.</exception>
    /// <exception cref="FileTruncatedException">Another process truncated the file under the map; nothing was written.</exception>
    public void Commit()
    {
        if (_recordFile is not null)
        {
            CommitRecordFile(_recordFile);
            return;
        }

        ThrowIfNotWritable();

        // Commit flushes (system calls anyway) and writes the meta slots at the start of the file:
        // one fstat first refuses a file another process cut under the map (docs/durability.md).
        _map.ThrowIfFileTruncated("Commit");
        FlushIndexes();
        foreach (SectionEntry entry in _entries)
        {
            if (entry.Kind == SectionKind.Heap && entry.PendingFree is { Count: > 0 } pending)
            {
                foreach (long block in pending)
                {
                    uint size = ValueAccess.Read<uint>(_map, entry.Offset + block, false);
                    ValueAccess.Write(_map, entry.Offset + block + ContainerFormat.HeapBlockHeaderSize, (ulong)entry.Aux0, false);
                    entry.Aux0 = block;
                    entry.Aux1 += size;
                }

                pending.Clear();
            }
        }

        long dataStart = 2L * _slotSize;
        if (_map.Length > dataStart)
        {
            _map.Flush(dataStart, _map.Length - dataStart);
        }

        WriteSlot(_generation + 1);
        _generation++;
        IndexesCommitted();
    }

    /// <summary>Writes and flushes the meta slot of <paramref name="generation"/> (its parity picks the slot).</summary>
    private void WriteSlot(ulong generation)
    {
        int count = _entries.Count;
        byte[] slot = new byte[ContainerFormat.PrefixSize + (count * ContainerFormat.EntrySize)];
        EncodeSlot(slot, _tag, _flags, _slotSize, generation, _entries);
        long start = (long)(generation % 2) * _slotSize;
        _map.WriteAt(start, slot);
        _map.Flush(start, _slotSize);
    }

    /// <summary>Encodes a prefix and table (docs/formats.md §1.1), the checksum last.</summary>
    internal static void EncodeSlot(Span<byte> slot, ulong tag, uint flags, int slotSize, ulong generation, System.Collections.Generic.IReadOnlyList<SectionEntry> entries)
    {
        slot.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(slot[ContainerFormat.MagicOffset..], ContainerFormat.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.VersionOffset..], ContainerFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.PrefixSizeOffset..], ContainerFormat.PrefixSize);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[ContainerFormat.TagOffset..], tag);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.FlagsOffset..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.SlotSizeOffset..], (uint)slotSize);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[ContainerFormat.GenerationOffset..], generation);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.TableOffsetOffset..], ContainerFormat.PrefixSize);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.EntrySizeOffset..], ContainerFormat.EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.EntryCountOffset..], (uint)entries.Count);
        Span<byte> table = slot.Slice(ContainerFormat.PrefixSize, entries.Count * ContainerFormat.EntrySize);
        for (int i = 0; i < entries.Count; i++)
        {
            entries[i].Write(table.Slice(i * ContainerFormat.EntrySize, ContainerFormat.EntrySize));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(slot[ContainerFormat.ChecksumOffset..], Crc32C.Compute(slot[..ContainerFormat.ChecksumOffset], table));
    }
}
