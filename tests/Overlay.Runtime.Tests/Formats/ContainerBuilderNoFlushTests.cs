using System;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// <c>ContainerBuilder.Create(path, tag, flushToDisk: false)</c> (<c>docs/formats.md</c> §1.4): no
/// flush in the background, none in <see cref="ContainerBuilder.Seal"/>, no directory sync, and
/// otherwise the very file the durable builder makes. The flushes are seen through
/// <see cref="ContainerBuilder.Flushes"/>, counted where each is made.
/// </summary>
public class ContainerBuilderNoFlushTests
{
    private const ulong Tag = ContainerFiles.Tag;
    private const int Lines = 90_000; // 24-byte records: 2.1 MB, past two 1 MiB chunks; the heap about 3 MB

    private static string Text(int i) => (i % 5) switch
    {
        0 => string.Empty,
        1 => new string('é', i % 23),
        2 => string.Concat(Enumerable.Repeat("😀", i % 7)),
        _ => $"line {i} " + new string((char)('a' + (i % 26)), i % 31),
    };

    [Theory]
    [InlineData(0L)]
    [InlineData(Lines)]
    [InlineData(Lines / 3)]
    public void TheNotFlushedFileIsByteForByteTheDurableOne(long hint)
    {
        using var durable = new TempPath();
        using var cached = new TempPath();
        Assert.Equal(2, Build(durable.Path, hint, flushToDisk: true));
        Assert.Equal(0, Build(cached.Path, hint, flushToDisk: false));

        Assert.Equal(File.ReadAllBytes(durable.Path), File.ReadAllBytes(cached.Path));
        using MappedContainer container = MappedContainer.Open(cached.Path, Tag, MapAccess.Read);
        RecordSection<BuilderLine.ReadOnlyView> read = container.Records<BuilderLine.ReadOnlyView>("lines");
        HeapSection heap = container.Heap("text");
        Assert.Equal(Lines, read.Count);
        for (int i = 0; i < Lines; i += 7)
        {
            BuilderLine line = read[i].Load(heap);
            Assert.Equal((i, i % 5, Text(i)), (line.Id, line.Kind, line.Text));
        }

        Assert.Equal((Lines + 99) / 100 * 4, container.Raw("raw").Length);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(cached.Path)!, Path.GetFileName(cached.Path) + ".build-*"));
    }

    [Fact]
    public void PastTheBackgroundFlushStepTheDurableBuilderFlushesAndTheOtherDoesNot()
    {
        // More than ContainerBuilder.FlushStep streams into the new file: the durable builder starts
        // a flush on a pool thread; the one without flushToDisk counts the same bytes and starts none.
        using var durable = new TempPath();
        using var cached = new TempPath();
        (int durableFlushes, long durableCounted) = BuildPastTheFlushStep(durable.Path, flushToDisk: true);
        (int cachedFlushes, long cachedCounted) = BuildPastTheFlushStep(cached.Path, flushToDisk: false);

        Assert.True(durableFlushes >= 3, $"{durableFlushes} flushes: at least one in the background, Seal's and the directory's");
        Assert.Equal(0, cachedFlushes);
        Assert.True(cachedCounted >= ContainerBuilder.FlushStep, $"{cachedCounted} bytes counted: the step was passed");
        Assert.True(durableCounted < ContainerBuilder.FlushStep, $"{durableCounted} bytes counted since the durable builder's last flush");
        Assert.Equal(File.ReadAllBytes(durable.Path), File.ReadAllBytes(cached.Path));
    }

    [Fact]
    public void TheNotFlushedFileReplacesAnExistingOneWhole()
    {
        using var temp = new TempPath();
        File.WriteAllBytes(temp.Path, "the old file"u8.ToArray());
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag, flushToDisk: false))
        {
            builder.AddRaw("raw").Append("the new one"u8);

            // Until Seal renames it, the path holds the old file.
            Assert.Equal("the old file"u8.ToArray(), File.ReadAllBytes(temp.Path));
            builder.Seal();
            Assert.Equal(0, builder.Flushes);
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal("the new one"u8.ToArray(), container.Raw("raw").ToArray());
    }

    private static int Build(string path, long hint, bool flushToDisk)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, Tag, flushToDisk: flushToDisk);
        RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines", hint);
        HeapWriter text = builder.AddHeap("text");
        RawWriter raw = builder.AddRaw("raw");
        builder.AddRaw("empty");
        for (int i = 0; i < Lines; i++)
        {
            lines.Append(new BuilderLine { Id = i, Kind = i % 5, Text = Text(i) }, text);
            if (i % 100 == 0)
            {
                raw.Append(BitConverter.GetBytes(i));
            }
        }

        builder.Seal();
        return builder.Flushes;
    }

    private static (int Flushes, long Counted) BuildPastTheFlushStep(string path, bool flushToDisk)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, Tag, flushToDisk: flushToDisk);
        RawWriter blob = builder.AddRaw("blob");
        RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines");
        HeapWriter text = builder.AddHeap("text");
        byte[] chunk = new byte[BuilderSection.ChunkSize];
        for (int i = 0; i < (ContainerBuilder.FlushStep / chunk.Length) + 4; i++)
        {
            // The blob fills a chunk first: it streams into the new file and its bytes count towards the step.
            chunk.AsSpan().Fill((byte)i);
            blob.Append(chunk);
            lines.Append(new BuilderLine { Id = i, Kind = 1, Text = Text(i) }, text);
        }

        long counted = builder.Unflushed;
        builder.Seal();
        return (builder.Flushes, counted);
    }
}
