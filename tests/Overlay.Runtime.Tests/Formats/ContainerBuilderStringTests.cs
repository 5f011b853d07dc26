using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Overlay.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// <see cref="HeapWriter.AppendString"/> and a <c>[VarString]</c> stored through
/// <c>RecordsWriter.Append(value, heap)</c>, which validate a string while encoding it
/// (<c>Utf8.FromUtf16</c>): every UTF-8 length class gives the bytes <see cref="Encoding.UTF8"/>
/// gives, and a string with no UTF-8 form throws <see cref="ArgumentException"/> and appends nothing.
/// </summary>
public class ContainerBuilderStringTests
{
    private const ulong Tag = ContainerFiles.Tag;

    public static TheoryData<string> Valid => new()
    {
        "a", // 1 byte a unit
        "0123456", "01234567", "012345678", // around the 8-byte granule
        new string('x', 15), new string('x', 16), new string('x', 17), new string('q', 1000),
        "é", new string('é', 9), "Ωmega ÿ", // 2 bytes
        "€", "日本語のテキスト", new string('\uFFFD', 5), "\uFFFF\uE000", // 3 bytes, including the BMP's ends and the private use area
        "😀", "a😀b", string.Concat(Enumerable.Repeat("𝄞😀", 9)), "\U0010FFFF", // 4 bytes: surrogate pairs
        "aé€😀", "x\0y", // every class at once; NUL is a character like any other
    };

    // By index: xunit serializes theory data as UTF-8, which would turn a lone surrogate into U+FFFD.
    public static TheoryData<int> Invalid => new(Enumerable.Range(0, s_invalid.Length));

    private static readonly string[] s_invalid =
    [
        "\ud800", "\udc00", // a lone high, a lone low
        "abc\ud83d", // a high at the end
        "\ude00abc", // a low at the start
        "a\ud800b", "\ud800\ud800", "\udc00\ud800", // a high followed by a non-low, two highs, a reversed pair
        new string('é', 40) + "😀\ud83d", // after valid multi-byte text
        new string('z', 200) + "\udfff" + new string('z', 200), // in the middle of a long ASCII run (the vectorized path)
    ];

    [Theory]
    [MemberData(nameof(Valid))]
    public void EveryUtf8LengthClassIsStoredAsEncodingUtf8EncodesIt(string value)
    {
        using var temp = new TempPath();
        HeapRef direct, before, after;
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines", 1);
            HeapWriter heap = builder.AddHeap("heap");
            before = heap.AppendString("<");
            direct = heap.AppendString(value);
            lines.Append(new BuilderLine { Id = 7, Text = value }, heap);
            after = heap.AppendString(">");
            builder.Seal();
        }

        byte[] expected = Encoding.UTF8.GetBytes(value);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        HeapSection read = container.Heap("heap");
        Assert.Equal(expected, read.ToArray(direct));
        Assert.Equal(value, container.Records<BuilderLine.ReadOnlyView>("lines")[0].Load(read).Text);

        // The block: header (size, ALOC) before the payload, padded with zeros to 8, at least 8.
        long payload = Math.Max(8, (expected.Length + 7) / 8 * 8);
        SectionInfo section = container.Sections.Single(s => s.Name == "heap");
        byte[] file = File.ReadAllBytes(temp.Path);
        int block = (int)(section.Offset + direct.Offset - 8);
        Assert.Equal((uint)(8 + payload), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(block)));
        Assert.Equal(0x434F4C41u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(block + 4)));
        Assert.All(file.AsSpan(block + 8 + expected.Length, (int)payload - expected.Length).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(before.Offset + 16, direct.Offset);
        Assert.Equal(direct.Offset + (2 * (8 + payload)), after.Offset);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void AStringWithoutAUtf8FormThrowsAndAppendsNothing(int index)
    {
        string value = s_invalid[index];
        Assert.Throws<EncoderFallbackException>(() => new UTF8Encoding(false, true).GetByteCount(value)); // the data is what it claims
        using var temp = new TempPath();
        HeapRef first, next;
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines", 2);
            HeapWriter heap = builder.AddHeap("heap");
            first = heap.AppendString("first");
            Assert.Throws<ArgumentException>("value", () => heap.AppendString(value));
            Assert.Throws<ArgumentException>("Text", () => lines.Append(new BuilderLine { Id = 1, Kind = 2, Text = value }, heap));
            Assert.Equal((1L, 0L), (heap.Count, lines.Count));

            next = heap.AppendString("next");
            lines.Append(new BuilderLine { Id = 3, Text = "ok" }, heap);
            builder.Seal();
        }

        // The next string lands right after the first; the refused bytes were cleared, not kept.
        Assert.Equal(first.Offset + 16, next.Offset);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        HeapSection read = container.Heap("heap");
        Assert.Equal("next", Encoding.UTF8.GetString(read.ToArray(next)));
        RecordSection<BuilderLine.ReadOnlyView> records = container.Records<BuilderLine.ReadOnlyView>("lines");
        Assert.Equal(1, records.Count);
        Assert.Equal((3L, "ok"), (records[0].Load(read).Id, records[0].Load(read).Text));
        SectionInfo section = container.Sections.Single(s => s.Name == "heap");
        Assert.Equal(8 + 16 + 16 + 16, section.Length);
        byte[] file = File.ReadAllBytes(temp.Path);
        Assert.All(file.AsSpan((int)section.Offset + 8 + 8 + 5, 3).ToArray(), b => Assert.Equal(0, b)); // "first"'s padding
        Assert.All(file.AsSpan((int)section.Offset + 8 + 16 + 8 + 4, 4).ToArray(), b => Assert.Equal(0, b)); // "next"'s padding
    }
}
