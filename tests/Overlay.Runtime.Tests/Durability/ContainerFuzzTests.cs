using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Overlay.Formats;
using Overlay.Fuzz;
using Overlay.Tests.Formats;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// Hostile containers at scale: the harness's container seeds (every section kind, [VarString] and
/// [VarBytes] records, schemas, a relocated section with a free extent, a sealed builder file, an
/// empty one), mutated generically or in their structure — every prefix field of either slot,
/// every field of every table entry (with the slot's CRC-32C recomputed as the runtime computes it,
/// so the hostile value reaches the checks after the checksum), heap block headers and free-list
/// links, the heap references inside records, and the embedded schemas' bytes — then walked through
/// every public way in (<see cref="ContainerTarget"/>). 9,000 iterations in CI.
/// </summary>
public class ContainerFuzzTests
{
    private readonly ITestOutputHelper _output;

    public ContainerFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void MutatedContainersOpenOrAreRefusedAndWalkWithoutFaults() =>
        new FormatFuzzer(new ContainerTarget(), Mutate, _output).Run(FormatFuzzer.Iterations(9_000), FormatFuzzer.Seed(20261211));

    private static readonly (int At, int Size, string Name)[] s_prefix =
        [(0, 8, "magic"), (8, 4, "version"), (12, 4, "prefix size"), (16, 8, "tag"), (24, 4, "flags"), (28, 4, "slot size"), (32, 8, "generation"), (40, 4, "table offset"), (44, 4, "entry size"), (48, 4, "entry count"), (52, 8, "reserved")];

    private static readonly (int At, int Size, string Name)[] s_entry =
        [(0, 8, "name"), (24, 8, "name end"), (ContainerFiles.Kind, 2, "kind"), (ContainerFiles.Flags, 2, "flags"), (ContainerFiles.Stride, 4, "stride"), (ContainerFiles.Fingerprint, 8, "fingerprint"),
         (ContainerFiles.Offset, 8, "offset"), (ContainerFiles.Length, 8, "length"), (ContainerFiles.Capacity, 8, "capacity"), (ContainerFiles.Count, 8, "count"), (ContainerFiles.Aux0, 8, "aux 0"),
         (ContainerFiles.Aux1, 8, "aux 1"), (ContainerFiles.Schema, 4, "schema"), (100, 4, "layout version"), (104, 8, "reserved")];

    private static byte[] Mutate(byte[] bytes, Random random, List<string> applied)
    {
        if (bytes.Length < 2 * ContainerFormat.MinimumSlotSize)
        {
            return bytes;
        }

        int slotSize = (int)Math.Min(ContainerFormat.MaximumSlotSize, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28)));
        slotSize = slotSize >= ContainerFormat.MinimumSlotSize && 2L * slotSize <= bytes.Length ? slotSize : ContainerFormat.MinimumSlotSize;
        // Half the edits go to both slots, so that whichever slot is the newer one carries them.
        int first = random.Next(2);
        int slots = random.Next(2) == 0 ? 2 : 1;
        bool rechecksum = random.Next(5) != 0;
        int kind = random.Next(6);
        for (int s = first; s < first + slots; s++)
        {
            Span<byte> slot = bytes.AsSpan((s % 2) * slotSize, slotSize);
            int count = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(slot[48..]), (slotSize - 64) / ContainerFormat.EntrySize);
            int tableOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(slot[40..]);
            tableOffset = tableOffset >= 64 && tableOffset + (count * 128L) <= slotSize ? tableOffset : 64;
            Random same = new(kind * 1000 + count); // the same choice of field in both slots
            switch (kind)
            {
                case 0:
                {
                    (int at, int size, string name) = s_prefix[same.Next(s_prefix.Length)];
                    FormatFuzzer.SetField(bytes, (s % 2) * slotSize + at, size, random, applied, $"slot {s % 2} {name}");
                    break;
                }

                case 1 or 2 when count > 0:
                {
                    int entry = same.Next(count);
                    (int at, int size, string name) = s_entry[same.Next(s_entry.Length)];
                    FormatFuzzer.SetField(bytes, (s % 2) * slotSize + tableOffset + (entry * 128) + at, size, random, applied, $"slot {s % 2} entry {entry} {name}");
                    break;
                }

                case 3 when count > 0:
                {
                    // Two entries swap a field (two sections overlap, a heap claims the records' bytes, ...).
                    int a = same.Next(count);
                    int b = same.Next(count);
                    (int at, int size, string name) = s_entry[same.Next(s_entry.Length)];
                    Span<byte> x = slot.Slice(tableOffset + (a * 128) + at, size);
                    Span<byte> y = slot.Slice(tableOffset + (b * 128) + at, size);
                    byte[] keep = x.ToArray();
                    y.CopyTo(x);
                    keep.CopyTo(y);
                    applied.Add($"slot {s % 2} entries {a} and {b} swap their {name}");
                    break;
                }

                default:
                    if (s == first)
                    {
                        MutateSections(bytes, slot, tableOffset, count, random, applied);
                    }

                    rechecksum = false;
                    break;
            }

            if (rechecksum)
            {
                Rechecksum(bytes.AsSpan((s % 2) * slotSize, slotSize));
            }
        }

        return bytes;
    }

    /// <summary>
    /// The slot's CRC-32C as the runtime computes it (prefix bytes [0, 60), then count × 128 table
    /// bytes), for any table offset and count the mutation left: where the runtime would refuse
    /// them before the checksum (docs/formats.md §4, step 5), whatever is written here does not matter.
    /// </summary>
    private static void Rechecksum(Span<byte> slot)
    {
        long tableOffset = BinaryPrimitives.ReadUInt32LittleEndian(slot[40..]);
        long tableBytes = BinaryPrimitives.ReadUInt32LittleEndian(slot[48..]) * 128L;
        ReadOnlySpan<byte> table = tableOffset <= slot.Length ? slot.Slice((int)tableOffset, (int)Math.Min(tableBytes, slot.Length - tableOffset)) : default;
        BinaryPrimitives.WriteUInt32LittleEndian(slot[60..], Crc32C.Compute(slot[..60], table));
    }

    /// <summary>Edits inside the sections the table names: heap blocks and free-list links, references in records, schema bytes.</summary>
    private static void MutateSections(byte[] bytes, ReadOnlySpan<byte> slot, int tableOffset, int count, Random random, List<string> applied)
    {
        if (count == 0)
        {
            return;
        }

        int index = random.Next(count);
        ReadOnlySpan<byte> entry = slot.Slice(tableOffset + (index * 128), 128);
        var kind = (SectionKind)BinaryPrimitives.ReadUInt16LittleEndian(entry[ContainerFiles.Kind..]);
        long offset = BinaryPrimitives.ReadInt64LittleEndian(entry[ContainerFiles.Offset..]);
        long length = BinaryPrimitives.ReadInt64LittleEndian(entry[ContainerFiles.Length..]);
        uint stride = BinaryPrimitives.ReadUInt32LittleEndian(entry[ContainerFiles.Stride..]);
        if (offset < 0 || length <= 0 || offset >= bytes.Length)
        {
            return;
        }

        length = Math.Min(length, bytes.Length - offset);
        switch (kind)
        {
            case SectionKind.Heap:
            {
                // A block header (size or state) or a free block's link, at a granule of the heap.
                long at = offset + (8 * random.NextInt64(Math.Max(1, length / 8)));
                int field = random.Next(3);
                FormatFuzzer.SetField(bytes, (int)at, field == 2 ? 8 : 4, random, applied, $"heap {index} {(field switch { 0 => "block size", 1 => "block state", _ => "free link" })}");
                if (field == 1 && random.Next(2) == 0 && at + 4 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)at), random.Next(2) == 0 ? ContainerFormat.HeapBlockFree : ContainerFormat.HeapBlockAllocated);
                }

                break;
            }

            case SectionKind.Records when stride > 0:
            {
                // A heap reference's offset or length, or any word of a record.
                long record = random.NextInt64(Math.Max(1, length / stride));
                int within = stride == FuzzEntry.SizeInBytes ? (random.Next(4) switch { 0 => 8, 1 => 16, 2 => 20, _ => 28 }) : 8 * random.Next((int)Math.Max(1, stride / 8));
                int size = within is 16 or 28 ? 4 : 8;
                FormatFuzzer.SetField(bytes, (int)(offset + (record * stride) + within), size, random, applied, $"records {index} record {record} word at {within}");
                break;
            }

            default:
            {
                // Schema and raw bytes: a 1, 2 or 4-byte number anywhere in the section.
                int size = 1 << random.Next(3);
                FormatFuzzer.SetField(bytes, (int)(offset + random.NextInt64(length)), size, random, applied, $"{kind} section {index} bytes");
                break;
            }
        }
    }
}
