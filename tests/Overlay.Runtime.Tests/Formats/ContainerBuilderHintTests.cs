using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// <see cref="ContainerBuilder.AddRecords{TRecord}(string, long)"/>'s capacity hint
/// (<c>docs/formats.md</c> §1.4): the records' extent is reserved in the new file so that they and
/// the streaming heap are both written once. A wrong hint (too small, too large, far off) must give
/// the very file an exact one gives; every file is read back whole.
/// </summary>
public class ContainerBuilderHintTests
{
    private const ulong Tag = ContainerFiles.Tag;
    private const int Lines = 90_000; // 24-byte records: 2.1 MB, past two 1 MiB chunks; the heap about 3 MB

    public static TheoryData<long> WrongHints => new() { Lines - 1, Lines + 1, Lines / 3, 1, Lines * 3L, Lines * 40L };

    private static string Text(int i) => (i % 5) switch
    {
        0 => string.Empty,
        1 => new string('é', i % 23),
        2 => string.Concat(Enumerable.Repeat("😀", i % 7)),
        _ => $"line {i} " + new string((char)('a' + (i % 26)), i % 31),
    };

    [Theory]
    [MemberData(nameof(WrongHints))]
    public void AWrongHintGivesTheFileAnExactOneGives(long hint)
    {
        using var exact = new TempPath();
        using var wrong = new TempPath();
        Build(exact.Path, Lines, Lines);
        Build(wrong.Path, Lines, hint);

        Assert.Equal(File.ReadAllBytes(exact.Path), File.ReadAllBytes(wrong.Path));
        Check(wrong.Path, Lines);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(Lines)]
    public void NoHintAndAnExactHintReadBackTheSame(long hint)
    {
        using var temp = new TempPath();
        Build(temp.Path, Lines, hint);
        Check(temp.Path, Lines);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void FewerRecordsThanAChunkWithAHintOfManyMore(int count)
    {
        using var exact = new TempPath();
        using var wrong = new TempPath();
        Build(exact.Path, count, count);
        Build(wrong.Path, count, 500_000);

        Assert.Equal(File.ReadAllBytes(exact.Path), File.ReadAllBytes(wrong.Path));
        Check(wrong.Path, count);
    }

    [Fact]
    public void TwoHintedSectionsOneTooLargeOneTooSmallMoveIntoPlace()
    {
        using var exact = new TempPath();
        using var wrong = new TempPath();
        BuildTwo(exact.Path, Lines, 2 * Lines);
        BuildTwo(wrong.Path, 3 * Lines, Lines / 2);
        Assert.Equal(File.ReadAllBytes(exact.Path), File.ReadAllBytes(wrong.Path));

        using MappedContainer container = MappedContainer.Open(wrong.Path, Tag, MapAccess.Read);
        RecordSection<BuilderLine.ReadOnlyView> first = container.Records<BuilderLine.ReadOnlyView>("first");
        RecordSection<TestRecord.ReadOnlyView> second = container.Records<TestRecord.ReadOnlyView>("second");
        HeapSection heap = container.Heap("text");
        Assert.Equal((Lines, 2L * Lines), (first.Count, second.Count));
        for (int i = 0; i < Lines; i++)
        {
            Assert.Equal(Text(i), first[i].Load(heap).Text);
        }

        for (int i = 0; i < 2 * Lines; i++)
        {
            Assert.Equal(ContainerFiles.Record(i), second[i].Load());
        }

        AssertBackToBack(container, wrong.Path);
    }

    [Fact]
    public void AHintAfterAnotherSectionStartedStreamingIsIgnored()
    {
        using var temp = new TempPath();
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            RawWriter raw = builder.AddRaw("raw");
            raw.Append(new byte[(1 << 20) + 10]); // fills a chunk: the raw section streams in place
            RecordsWriter<TestRecord> records = builder.AddRecords<TestRecord>("records", 100_000);
            for (int i = 0; i < 100_000; i++)
            {
                records.Append(ContainerFiles.Record(i));
            }

            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        RecordSection<TestRecord.ReadOnlyView> read = container.Records<TestRecord.ReadOnlyView>("records");
        Assert.Equal(100_000, read.Count);
        Assert.Equal(ContainerFiles.Record(99_999), read[99_999].Load());
        Assert.Equal((1 << 20) + 10, container.Raw("raw").Length);
        AssertBackToBack(container, temp.Path);
    }

    [Fact]
    public void AFilePastTheBackgroundFlushStepSealsWhole()
    {
        // More than ContainerBuilder.FlushStep written into the new file: flushes run on a pool
        // thread while records are appended, and Seal waits for them before its own.
        using var temp = new TempPath();
        int count = (int)(ContainerBuilder.FlushStep / BuilderLine.SizeInBytes) + 100_000;
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines", count);
            HeapWriter text = builder.AddHeap("text");
            for (int i = 0; i < count; i++)
            {
                lines.Append(new BuilderLine { Id = i, Kind = i & 7, Text = (i & 4095) == 0 ? Text(i) : null! }, text);
            }

            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        RecordSection<BuilderLine.ReadOnlyView> read = container.Records<BuilderLine.ReadOnlyView>("lines");
        HeapSection heap = container.Heap("text");
        Assert.Equal(count, read.Count);
        for (int i = 0; i < count; i += 997)
        {
            BuilderLine line = read[i].Load(heap);
            Assert.Equal((i, i & 7, (i & 4095) == 0 ? Text(i) : string.Empty), (line.Id, line.Kind, line.Text));
        }

        Assert.Equal(read[count - 1].Id, count - 1);
        AssertBackToBack(container, temp.Path);
    }

    [Fact]
    public void ABadHintIsRefused()
    {
        using var temp = new TempPath();
        using ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddRecords<TestRecord>("negative", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddRecords<TestRecord>("huge", long.MaxValue / 8));
        builder.AddRecords<TestRecord>("fine", 10).Append(ContainerFiles.Record(1));
        builder.Seal();
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal(["fine", "schema.0"], container.Sections.Select(s => s.Name).ToArray());
    }

    private static void Build(string path, int count, long hint)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, Tag);
        RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines", hint);
        HeapWriter text = builder.AddHeap("text");
        RawWriter raw = builder.AddRaw("raw");
        builder.AddRaw("empty");
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(i, lines.Append(new BuilderLine { Id = i, Kind = i % 5, Text = Text(i) }, text));
            if (i % 100 == 0)
            {
                raw.Append(BitConverter.GetBytes(i));
            }
        }

        builder.Seal();
    }

    private static void BuildTwo(string path, long firstHint, long secondHint)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, Tag);
        RecordsWriter<BuilderLine> first = builder.AddRecords<BuilderLine>("first", firstHint);
        RecordsWriter<TestRecord> second = builder.AddRecords<TestRecord>("second", secondHint);
        HeapWriter text = builder.AddHeap("text");
        for (int i = 0; i < Lines; i++)
        {
            first.Append(new BuilderLine { Id = i, Kind = i % 5, Text = Text(i) }, text);
            second.Append(ContainerFiles.Record(2 * i));
            second.Append(ContainerFiles.Record((2 * i) + 1));
        }

        builder.Seal();
    }

    private static void Check(string path, int count)
    {
        using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
        RecordSection<BuilderLine.ReadOnlyView> read = container.Records<BuilderLine.ReadOnlyView>("lines");
        HeapSection heap = container.Heap("text");
        Assert.Equal(count, read.Count);
        for (int i = 0; i < count; i++)
        {
            BuilderLine line = read[i].Load(heap);
            Assert.Equal((i, i % 5, Text(i)), (line.Id, line.Kind, line.Text));
        }

        byte[] raw = container.Raw("raw").ToArray();
        Assert.Equal(Enumerable.Range(0, (count + 99) / 100).Select(i => i * 100).ToArray(), Enumerable.Range(0, raw.Length / 4).Select(i => BitConverter.ToInt32(raw, i * 4)).ToArray());
        AssertBackToBack(container, path);
    }

    // Sections back to back on page boundaries from the meta slots' end, every byte between them
    // zero (a moved section leaves nothing stale behind), the file ending with the last one.
    private static void AssertBackToBack(MappedContainer container, string path)
    {
        SectionInfo[] byOffset = container.Sections.OrderBy(s => s.Offset).ToArray();
        byte[] file = File.ReadAllBytes(path);
        long position = byOffset[0].Offset;
        foreach (SectionInfo section in byOffset)
        {
            Assert.Equal((position + 4095) / 4096 * 4096, section.Offset);
            Assert.All(file.AsSpan((int)position, (int)(section.Offset - position)).ToArray(), b => Assert.Equal(0, b));
            Assert.Equal(section.Length, section.Capacity);
            position = section.Offset + section.Length;
            if (section.Length == 0)
            {
                // An empty section still takes 8 bytes of offsets (zero, or past the file's end when last).
                Assert.All(file.AsSpan((int)position, (int)Math.Min(8, file.Length - position)).ToArray(), b => Assert.Equal(0, b));
                position += 8;
            }
        }

        Assert.Equal(byOffset[^1].Offset + byOffset[^1].Length, file.Length);
    }
}
