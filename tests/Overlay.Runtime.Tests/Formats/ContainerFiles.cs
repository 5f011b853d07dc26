using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;

namespace Overlay.Tests.Formats;

/// <summary>Helpers that make containers and edit their bytes the way a damaged or hostile file would.</summary>
internal static class ContainerFiles
{
    public const ulong Tag = 0x5453_4554_4E4F_4354UL;

    // Field offsets of a table entry (docs/formats.md §1.2).
    public const int Kind = 32;
    public const int Flags = 34;
    public const int Stride = 36;
    public const int Fingerprint = 40;
    public const int Offset = 48;
    public const int Length = 56;
    public const int Capacity = 64;
    public const int Count = 72;
    public const int Aux0 = 80;
    public const int Aux1 = 88;
    public const int Schema = 96;

    public static TestRecord Record(long i) => new() { Id = i, Value = i * 0.5, Flags = (int)(i % 7), Tag = $"r{i}" };

    /// <summary>A committed container with records "people" (n), their schema "schema.0", heap "names" and raw "blob" (table entries 0-3); both slots hold the same table.</summary>
    public static TempPath Sample(int records = 10)
    {
        var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            RecordSection<TestRecord.View> people = container.AddRecords<TestRecord.View>("people");
            HeapSection names = container.AddHeap("names");
            RawSection blob = container.AddRaw("blob");
            for (int i = 0; i < records; i++)
            {
                people.Append(Record(i));
                names.Allocate(System.Text.Encoding.UTF8.GetBytes($"name {i}"));
            }

            blob.Append("raw bytes"u8);
            container.Commit();
            container.Commit();
        }

        return temp;
    }

    public static int SlotSize(byte[] file) => (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(28));

    public delegate void SlotEdit(Span<byte> prefix, Span<byte> table);

    /// <summary>Applies <paramref name="edit"/> to both meta slots, then (unless told not to) recomputes each slot's checksum, so the edit reaches the checks after the checksum.</summary>
    public static void PatchBothSlots(string path, SlotEdit edit, bool fixChecksum = true, int slots = 2)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int size = SlotSize(bytes);
        for (int i = 2 - slots; i < 2; i++)
        {
            Span<byte> slot = bytes.AsSpan(i * size, size);
            long count = BinaryPrimitives.ReadUInt32LittleEndian(slot[48..]);
            edit(slot[..64], slot.Slice(64, (int)Math.Min(count * 128, size - 64)));
            if (fixChecksum)
            {
                Rechecksum(slot);
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    public static void Rechecksum(Span<byte> slot)
    {
        long count = BinaryPrimitives.ReadUInt32LittleEndian(slot[48..]);
        int tableOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(slot[40..]);
        int tableBytes = (int)Math.Min(count * 128, Math.Max(0, slot.Length - tableOffset));
        ReadOnlySpan<byte> table = tableOffset <= slot.Length ? slot.Slice(tableOffset, tableBytes) : default;
        BinaryPrimitives.WriteUInt32LittleEndian(slot[60..], Crc32C.Compute(slot[..60], table));
    }

    public static Span<byte> Entry(Span<byte> table, int index) => table.Slice(index * 128, 128);

    public static void SetU64(Span<byte> entry, int field, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(entry[field..], value);

    public static void SetU32(Span<byte> entry, int field, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(entry[field..], value);

    public static long GetI64(Span<byte> entry, int field) => BinaryPrimitives.ReadInt64LittleEndian(entry[field..]);
}
