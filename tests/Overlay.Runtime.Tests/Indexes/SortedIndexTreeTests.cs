using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// The version 2 summary tree (16-key nodes, 17 children, leaves the key array's blocks) and the
/// version 1 reader kept beside it: keys compared as bytes (<see cref="Guid"/>, layouts) at sizes
/// around node and level boundaries against a sorted model, values through the prefetching
/// <c>TryGetValue</c>, the tree's shape, both versions as container sections, and damaged trees
/// (every hit still right, nothing read outside). The integer key types are in
/// <see cref="SortedIndexKeyTypeTests"/>.
/// </summary>
public class SortedIndexTreeTests
{
    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    public void GuidAndLayoutKeysAtNodeBoundaries(uint version)
    {
        foreach (int count in new[] { 1, 15, 16, 17, 255, 256, 257, 272, 273, 4097, 4624, 4625 })
        {
            CheckBytes(IndexKeyFormat<Guid>.Default, RandomGuid, count, version);
            CheckBytes(IndexKeyFormat.ForLayout<SkuKey>(), RandomSku, count, version);
        }
    }

    [Fact]
    public void GuidKeysOverThreeLevels() => CheckBytes(IndexKeyFormat<Guid>.Default, RandomGuid, 70_001, SortedIndexHeader.Version);

    [Theory]
    [InlineData(1u, 4097)]
    [InlineData(2u, 1)]
    [InlineData(2u, 16)]
    [InlineData(2u, 17)]
    [InlineData(2u, 4624)]
    [InlineData(2u, 70_001)]
    [InlineData(3u, 1)]
    [InlineData(3u, 16)]
    [InlineData(3u, 17)]
    [InlineData(3u, 4624)]
    [InlineData(3u, 70_001)]
    public void ValuesOfHitsAndNothingForMisses(uint version, int count)
    {
        using var temp = new TempPath();
        Build(temp.Path, count, version);
        using var index = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(temp.Path);
        Assert.Equal(count, index.Count);
        for (long i = 0; i < count; i++)
        {
            // Keys 10, 20, ...: each hit's value is its key; the keys between miss.
            Assert.True(index.TryGetValue((i + 1) * 10, out Counter.ReadOnlyView value), $"key {(i + 1) * 10} of {count}");
            Assert.Equal((i + 1) * 10, value.Value);
            Assert.False(index.TryGetValue(((i + 1) * 10) + 3, out _));
        }

        Assert.False(index.ContainsKey(long.MinValue));
        Assert.False(index.ContainsKey(long.MaxValue));
        Assert.Equal(10, index.First().Value.Value);
        Assert.Equal(count * 10L, index.Last().Value.Value);
    }

    [Fact]
    public void VersionOneFilesStillOpenAndAnswer()
    {
        using var temp = new TempPath();
        Build(temp.Path, 1000, SortedIndexHeader.Version1);
        byte[] bytes = File.ReadAllBytes(temp.Path);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        using var index = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(temp.Path);
        Assert.Equal([500L, 510, 520], index.Range(500, 525).ToKeys());

        // A rebuild from a version 1 index writes version 3 with the same entries.
        using var rebuilt = new TempPath();
        using (var builder = new SortedIndexBuilder<long, Counter.ReadOnlyView>())
        {
            builder.Add(15, new Counter { Value = 15 });
            builder.Build(rebuilt.Path, index);
        }

        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(rebuilt.Path).AsSpan(8)));
        using var second = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(rebuilt.Path);
        Assert.Equal(1001, second.Count);
        Assert.Equal([10L, 15, 20], second.Range(10, 20).ToKeys());
    }

    [Fact]
    public void TheTreesShapeFollowsItsBlocks()
    {
        for (long blocks = 0; blocks <= 6000; blocks++)
        {
            long[] levels = MappedSortedIndex<long, NoValue>.TreeLevels(blocks);
            long nodes = MappedSortedIndex<long, NoValue>.TreeNodes(blocks);
            if (blocks <= 1)
            {
                Assert.Empty(levels);
                Assert.Equal(0, nodes);
                continue;
            }

            // Root first: one root; each level's size is the one below over 17, rounded up; the
            // last level is over the blocks; the levels lie one after another.
            long start = 0;
            long size = 1;
            for (int l = 0; l < levels.Length; l += 2)
            {
                Assert.Equal(start, levels[l]);
                long below = levels[l + 1];
                Assert.Equal(size, (below + 16) / 17);
                start += size;
                size = below;
            }

            Assert.Equal(blocks, levels[^1]);
            Assert.Equal(start, nodes);
        }

        // 1M u64 keys (issue 10's shape): 62,500 blocks under 4 levels of 3,677, 217, 13 and 1 nodes.
        Assert.Equal([0L, 13, 1, 217, 14, 3677, 231, 62_500], MappedSortedIndex<long, NoValue>.TreeLevels(62_500));
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    public void BothVersionsAsContainerSections(uint version)
    {
        using TempPath temp = Formats.ContainerFiles.Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Formats.ContainerFiles.Tag))
        using (var builder = new SortedIndexBuilder<long, Counter.View>() { FormatVersion = version })
        {
            for (long i = 5000; i >= 1; i--)
            {
                builder.Add(i * 10, new Counter { Value = i * 10 });
            }

            container.AddSortedIndex("by-key", builder).Dispose();
            container.Commit();
        }

        using MappedContainer reader = MappedContainer.Open(temp.Path, Formats.ContainerFiles.Tag, MapAccess.Read);
        using MappedSortedIndex<long, Counter.ReadOnlyView> index = reader.SortedIndex<long, Counter.ReadOnlyView>("by-key");
        for (long i = 1; i <= 5000; i++)
        {
            Assert.True(index.TryGetValue(i * 10, out Counter.ReadOnlyView value));
            Assert.Equal(i * 10, value.Value);
            Assert.False(index.ContainsKey((i * 10) + 1));
        }
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    public void DamagedTreesMissOrAnswerRightButNeverReadOutside(uint version)
    {
        using var temp = new TempPath();
        const int Count = 5_000;
        Build(temp.Path, Count, version);
        byte[] original = File.ReadAllBytes(temp.Path);
        long summary = (long)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(80));

        // Version 3 puts the values after the tree and the radix table: only those two are damaged.
        long summaryEnd = version == 3 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(72)) : original.Length;
        var random = new Random(7);
        for (int round = 0; round < 30; round++)
        {
            // Only the summary is damaged: the keys and values are right, so any hit must be.
            byte[] bytes = (byte[])original.Clone();
            for (int i = 0; i < 1 + (round % 40); i++)
            {
                bytes[random.NextInt64(summary, summaryEnd)] = (byte)random.Next(256);
            }

            File.WriteAllBytes(temp.Path, bytes);
            using var index = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(temp.Path);
            for (long key = -7; key < (Count * 10) + 20; key += 13)
            {
                if (index.TryGetValue(key, out Counter.ReadOnlyView value))
                {
                    Assert.True(key % 10 == 0 && key > 0 && key <= Count * 10, $"a hit on {key}, which is not a key (round {round})");
                    Assert.Equal(key, value.Value);
                }

                foreach (var entry in index.Range(key, key + 30))
                {
                    Assert.Equal(entry.Key, entry.Value.Value);
                }
            }
        }

        // Guid keys take the byte-compare descent: fully random summaries, no fault.
        using var guids = new TempPath();
        var keys = new List<Guid>();
        using (var builder = new SortedIndexBuilder<Guid, NoValue>() { FormatVersion = version })
        {
            for (int i = 0; i < 5000; i++)
            {
                keys.Add(RandomGuid(random));
                builder.Add(keys[^1]);
            }

            builder.Build(guids.Path);
        }

        original = File.ReadAllBytes(guids.Path);
        summary = (long)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(80));
        for (int round = 0; round < 20; round++)
        {
            byte[] bytes = (byte[])original.Clone();
            random.NextBytes(bytes.AsSpan((int)summary));
            File.WriteAllBytes(guids.Path, bytes);
            using var index = MappedSortedIndex<Guid, NoValue>.Open(guids.Path);
            foreach (Guid key in keys)
            {
                index.ContainsKey(key);
            }

            Assert.False(index.ContainsKey(Guid.Empty));
        }
    }

    private static void Build(string path, int count, uint version)
    {
        using var builder = new SortedIndexBuilder<long, Counter.ReadOnlyView>() { FormatVersion = version };
        for (long i = count; i >= 1; i--)
        {
            builder.Add(i * 10, new Counter { Value = i * 10 });
        }

        builder.Build(path);
    }

    private static Guid RandomGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);

        // A few keys share their first bytes, so that compares reach past them.
        bytes[..(random.Next(4) == 0 ? 6 : 0)].Clear();
        return new Guid(bytes);
    }

    private static SkuKey RandomSku(Random random)
    {
        const string Letters = "abc";
        int length = random.Next(1, 6);
        var code = new char[length];
        for (int i = 0; i < length; i++)
        {
            code[i] = Letters[random.Next(Letters.Length)];
        }

        return new SkuKey { Code = new string(code), Warehouse = random.Next(-3, 3) };
    }

    /// <summary>
    /// An index of about <paramref name="count"/> distinct keys against the model of their stored
    /// bytes in byte order: every key present, <c>First</c>/<c>Last</c>, and random probes (present
    /// exactly when the model has them; a range from a probe starts at the model's first key not below it).
    /// </summary>
    private static void CheckBytes<T>(IndexKeyFormat<T> format, Func<Random, T> make, int count, uint version)
        where T : struct
    {
        var random = new Random(count);
        var model = new SortedDictionary<byte[], T>(Comparer<byte[]>.Create((a, b) => IndexKeyFormat<T>.Compare(a, b)));
        for (int attempts = 0; model.Count < count && attempts < count * 20; attempts++)
        {
            T key = make(random);
            model[Bytes(format, key)] = key;
        }

        using var temp = new TempPath();
        using (var builder = new SortedIndexBuilder<T, NoValue>(format) { FormatVersion = version })
        {
            foreach (T key in model.Values.Reverse())
            {
                builder.Add(key);
            }

            builder.Build(temp.Path);
        }

        using var index = MappedSortedIndex<T, NoValue>.Open(temp.Path, keyFormat: format);
        string what = $"{format.Name}, {model.Count} keys, version {version}";
        Assert.Equal(model.Count, index.Count);
        Assert.Equal(model.Keys.First(), Bytes(format, index.First().Key));
        Assert.Equal(model.Keys.Last(), Bytes(format, index.Last().Key));
        foreach (T key in model.Values)
        {
            Assert.True(index.ContainsKey(key), what);
        }

        byte[][] sorted = model.Keys.ToArray();
        T last = model.Values.Last();
        for (int i = 0; i < Math.Min(2000, (count * 2) + 10); i++)
        {
            T probe = make(random);
            byte[] bytes = Bytes(format, probe);
            Assert.True(model.ContainsKey(bytes) == index.ContainsKey(probe), what);
            int at = LowerBound(sorted, bytes);
            byte[]? first = null;
            foreach (var entry in index.Range(probe, last))
            {
                first = Bytes(format, entry.Key);
                break;
            }

            Assert.True(at < sorted.Length ? first is not null && first.AsSpan().SequenceEqual(sorted[at]) : first is null, $"{what}: range from a probe");
        }
    }

    private static int LowerBound(byte[][] sorted, byte[] key)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (IndexKeyFormat<Guid>.Compare(sorted[mid], key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static byte[] Bytes<T>(IndexKeyFormat<T> format, T key)
        where T : struct
    {
        byte[] bytes = new byte[format.Size];
        format.Write(in key, bytes);
        return bytes;
    }
}
