using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// A sealed builder's file read byte by byte against <c>docs/formats.md</c> (§1.1 prefix, §1.2
/// entries, §1.3 heap blocks, §1.4 the builder's files), with none of the runtime's readers: what
/// another implementation would have to find there, with and without a capacity hint.
/// </summary>
public class ContainerBuilderFormatTests
{
    private const ulong Tag = 0x0123_4567_89AB_CDEFUL;
    private static readonly string[] s_texts = ["", "hello", "exactly8", "é€😀 and a longer tail of text"];

    [Theory]
    [InlineData(0L)]
    [InlineData(4L)]
    [InlineData(2L)]
    public void ASealedFileIsExactlyWhatTheFormatPageDescribes(long hint)
    {
        using var temp = new TempPath();
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag, maximumEntries: 4))
        {
            RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines", hint);
            HeapWriter writer = builder.AddHeap("heap");
            for (int i = 0; i < s_texts.Length; i++)
            {
                lines.Append(new BuilderLine { Id = 1000 + i, Kind = -i, Text = s_texts[i] }, writer);
            }

            builder.Seal();
        }

        byte[] file = File.ReadAllBytes(temp.Path);
        const int S = 4096; // 4 entries fit the smallest slot
        Assert.True(file.Length > 2 * S);
        byte[][] tables = new byte[2][];
        for (int slot = 0; slot < 2; slot++)
        {
            ReadOnlySpan<byte> p = file.AsSpan(slot * S, S);
            Assert.Equal("OVLCNTNR", Encoding.ASCII.GetString(p[..8]));
            Assert.Equal(1u, U32(p, 8));
            Assert.Equal(64u, U32(p, 12));
            Assert.Equal(Tag, U64(p, 16));
            Assert.Equal(1u, U32(p, 24)); // sealed
            Assert.Equal((uint)S, U32(p, 28));
            Assert.Equal(slot == 0 ? 2UL : 1UL, U64(p, 32)); // generation 2 in slot 0, 1 in slot 1
            uint tableOffset = U32(p, 40);
            Assert.True(tableOffset >= 64 && tableOffset % 8 == 0);
            Assert.Equal(128u, U32(p, 44));
            Assert.Equal(3u, U32(p, 48)); // lines, its schema, heap
            Assert.Equal(0UL, U64(p, 52));
            byte[] checksummed = [.. p[..60], .. p.Slice((int)tableOffset, 3 * 128)];
            Assert.Equal(Crc32C(checksummed), U32(p, 60));
            tables[slot] = p.Slice((int)tableOffset, 3 * 128).ToArray();
        }

        Assert.Equal(tables[0], tables[1]);
        (string Name, ushort Kind, uint Stride, ulong Fingerprint, long Offset, long Length, long Capacity, long Count, uint Schema)[] entries =
            Enumerable.Range(0, 3).Select(i => Entry(tables[0].AsSpan(i * 128, 128))).ToArray();

        int stride = BuilderLine.SizeInBytes;
        Assert.Equal(("lines", (ushort)1, (uint)stride, BuilderLine.LayoutFingerprint, 4L * stride, 4L, 2u), (entries[0].Name, entries[0].Kind, entries[0].Stride, entries[0].Fingerprint, entries[0].Length, entries[0].Count, entries[0].Schema));
        Assert.Equal(("schema.0", (ushort)5, 1u, 0UL), (entries[1].Name, entries[1].Kind, entries[1].Stride, entries[1].Fingerprint));
        Assert.Equal(("heap", (ushort)2, 8u, 0UL, 3L), (entries[2].Name, entries[2].Kind, entries[2].Stride, entries[2].Fingerprint, entries[2].Count));
        Assert.All(entries, e => Assert.Equal(e.Length, e.Capacity));

        // Back to back from 2S on page boundaries, zeros between, the file ending with the last.
        var byOffset = entries.OrderBy(e => e.Offset).ToArray();
        Assert.Equal(2L * S, byOffset[0].Offset);
        for (int i = 1; i < byOffset.Length; i++)
        {
            long end = byOffset[i - 1].Offset + byOffset[i - 1].Length;
            Assert.Equal((end + 4095) / 4096 * 4096, byOffset[i].Offset);
            Assert.All(file.AsSpan((int)end, (int)(byOffset[i].Offset - end)).ToArray(), b => Assert.Equal(0, b));
        }

        Assert.Equal(byOffset[^1].Offset + byOffset[^1].Length, file.Length);

        // The heap: 8 zero bytes, then a block per non-empty string: [u32 size][u32 "ALOC"][UTF-8][zeros to 8, at least 8].
        ReadOnlySpan<byte> heap = file.AsSpan((int)entries[2].Offset, (int)entries[2].Length);
        Assert.Equal(0UL, U64(heap, 0));
        int at = 8;
        var payloads = new System.Collections.Generic.Dictionary<long, byte[]>();
        foreach (string text in s_texts.Where(t => t.Length > 0))
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            int padded = Math.Max(8, (utf8.Length + 7) / 8 * 8);
            Assert.Equal((uint)(8 + padded), U32(heap, at));
            Assert.Equal(0x434F4C41u, U32(heap, at + 4));
            Assert.Equal(utf8, heap.Slice(at + 8, utf8.Length).ToArray());
            Assert.All(heap.Slice(at + 8 + utf8.Length, padded - utf8.Length).ToArray(), b => Assert.Equal(0, b));
            payloads[at + 8] = utf8;
            at += 8 + padded;
        }

        Assert.Equal(heap.Length, at);

        // The records: each field at its layout offset, little-endian; the string a 12-byte (u64 heap offset, u32 length) reference, (0, 0) for empty.
        LayoutField id = BuilderLine.LayoutInfo.Fields.Single(f => f.Name == "Id");
        LayoutField kind = BuilderLine.LayoutInfo.Fields.Single(f => f.Name == "Kind");
        LayoutField textField = BuilderLine.LayoutInfo.Fields.Single(f => f.Name == "Text");
        Assert.Equal(12, textField.SizeInBytes);
        ReadOnlySpan<byte> records = file.AsSpan((int)entries[0].Offset, (int)entries[0].Length);
        for (int i = 0; i < s_texts.Length; i++)
        {
            ReadOnlySpan<byte> record = records.Slice(i * stride, stride);
            Assert.Equal(1000L + i, (long)U64(record, id.Offset));
            Assert.Equal(-i, (int)U32(record, kind.Offset));
            ulong offset = U64(record, textField.Offset);
            uint length = U32(record, textField.Offset + 8);
            if (s_texts[i].Length == 0)
            {
                Assert.Equal((0UL, 0u), (offset, length));
            }
            else
            {
                Assert.Equal(payloads[(long)offset], heap.Slice((int)offset, (int)length).ToArray());
            }
        }
    }

    private static (string, ushort, uint, ulong, long, long, long, long, uint) Entry(ReadOnlySpan<byte> e)
    {
        int nameLength = e[..32].IndexOf((byte)0);
        Assert.All(e[(nameLength < 0 ? 32 : nameLength)..32].ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(e[34..])); // flags
        Assert.Equal(0UL, U64(e, 80) | U64(e, 88)); // a sealed heap has no free list
        Assert.Equal(0u, U32(e, 100)); // unversioned
        Assert.All(e[104..128].ToArray(), b => Assert.Equal(0, b));
        return (Encoding.UTF8.GetString(e[..(nameLength < 0 ? 32 : nameLength)]), BinaryPrimitives.ReadUInt16LittleEndian(e[32..]), U32(e, 36), U64(e, 40),
            (long)U64(e, 48), (long)U64(e, 56), (long)U64(e, 64), (long)U64(e, 72), U32(e, 96));
    }

    private static uint U32(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);

    private static ulong U64(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);

    // CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) bit by bit: independent of the runtime's.
    private static uint Crc32C(byte[] bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
