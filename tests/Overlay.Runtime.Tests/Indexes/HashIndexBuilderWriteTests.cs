using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tests.Indexes;

using CounterBuilder = HashIndexBuilder<ulong, Counter.View>;

/// <summary>
/// How the bulk builder writes a table: in writes that end on 2 MiB boundaries of the file (where
/// the table starts in it, for a container's section too), so that the page cache can hold it in
/// folios the kernel maps with one TLB entry each (docs/benchmarks/indexes.md, "The cliff at 50M
/// keys"); the bytes are the same as a file build's.
/// </summary>
public sealed class HashIndexBuilderWriteTests : IDisposable
{
    private const long Folio = 2 << 20;
    private const int Keys = 300_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-hash-builder-writes-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(0L)]
    [InlineData(4096L)]
    [InlineData((7L << 20) + 12_345)]
    public void WritesEndOnTwoMebibyteBoundariesOfTheFile(long fileOffset)
    {
        var options = new HashIndexOptions { Seed = 0x5EED };
        var sink = new RecordingSink(fileOffset);
        using (var builder = Filled(new CounterBuilder(runDirectory: _directory)))
        {
            builder.BuildInto(sink, builder.Plan(options), Path.Combine(_directory, "parts"));
        }

        // The header comes last, at the table's start; the slots before it, front to back.
        (long headerOffset, int headerLength) = sink.Writes[^1];
        Assert.Equal((0L, 128), (headerOffset, headerLength));
        List<(long Offset, int Length)> slots = sink.Writes.GetRange(0, sink.Writes.Count - 1);
        Assert.True(slots.Count >= 4, $"{slots.Count} slot writes: too few to show where they end.");
        long expected = 128;
        for (int i = 0; i < slots.Count; i++)
        {
            (long offset, int length) = slots[i];
            Assert.Equal(expected, offset);
            expected += length;
            if (i < slots.Count - 1)
            {
                Assert.True((fileOffset + expected) % Folio == 0, $"Write {i} ends at file offset {fileOffset + expected}, not on a 2 MiB boundary.");
                Assert.InRange(length, 1, (4 << 20) + 24);
            }
        }

        Assert.Equal(sink.Bytes.Length, expected);

        // The same bytes as the file a build with the same options writes.
        string path = Path.Combine(_directory, "file.idx");
        using (var builder = Filled(new CounterBuilder(runDirectory: _directory)))
        {
            Assert.Equal(Keys, builder.Build(path, options));
        }

        Assert.Equal(File.ReadAllBytes(path), sink.Bytes.ToArray());
    }

    private static CounterBuilder Filled(CounterBuilder builder)
    {
        for (int i = 0; i < Keys; i++)
        {
            builder.Add(unchecked((ulong)i * 0x9E3779B97F4A7C15UL), new Counter { Value = i });
        }

        return builder;
    }

    /// <summary>A table kept in memory, with every write's place and size.</summary>
    private sealed class RecordingSink(long fileOffset) : HashTableSink
    {
        public List<(long Offset, int Length)> Writes { get; } = [];

        public MemoryStream Bytes { get; } = new();

        public override long FileOffset => fileOffset;

        public override void Reserve(long regionLength)
        {
        }

        public override void Write(ReadOnlySpan<byte> data, long offset)
        {
            Writes.Add((offset, data.Length));
            Bytes.Position = offset;
            Bytes.Write(data);
        }
    }
}
