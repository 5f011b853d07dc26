using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// Format version 3's radix table (docs/indexes.md, "The radix table"): the table the builder
/// writes against one computed from the sorted keys directly, point lookups of keys spread evenly,
/// in sequence, bunched (the tree fallback) and around zero for signed keys, a rebuild that
/// removes most keys, and damaged tables (every hit still right, nothing read outside).
/// </summary>
public class SortedIndexRadixTests
{
    public static TheoryData<string> Shapes => new() { "random", "sequential", "bunched", "around zero", "wide gaps" };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheBuildersTableIsTheKeysBucketStartsAndEveryHitIsRight(string shape)
    {
        long[] keys = Keys(shape, 70_001);
        using var temp = new TempPath();
        Build(temp.Path, keys);
        byte[] bytes = File.ReadAllBytes(temp.Path);
        (ulong min, int shift, uint buckets, uint[] table) = Table(bytes);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.InRange(buckets, 2u, (uint)(keys.Length / 4));

        // The table from the keys themselves: bucket b starts at the first key whose bucket is b or later.
        ulong[] ordered = keys.Select(k => (ulong)k ^ (1UL << 63)).ToArray();
        Assert.Equal(ordered[0], min);
        Assert.True((ordered[^1] - min) >> shift < buckets, "the largest key is in a bucket");
        Assert.True(shift == 0 || (ordered[^1] - min) >> (shift - 1) >= (ulong)(keys.Length / 4), "the shift is the smallest that fits the limit");
        int at = 0;
        for (uint b = 0; b < buckets; b++)
        {
            while (at < ordered.Length && (ordered[at] - min) >> shift < b)
            {
                at++;
            }

            Assert.True(table[b] == (uint)at, $"bucket {b} of {buckets} ({shape})");
        }

        Assert.Equal((uint)keys.Length, table[buckets]);

        using var index = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(temp.Path);
        var present = new HashSet<long>(keys);
        foreach (long key in keys)
        {
            Assert.True(index.TryGetValue(key, out Counter.ReadOnlyView value), $"{shape}: key {key}");
            Assert.Equal(key, value.Value);
        }

        var random = new Random(3);
        foreach (long probe in keys.Take(5000).Select(k => k + random.Next(-2, 3)).Concat([long.MinValue, long.MaxValue, 0, -1, 1]))
        {
            Assert.True(present.Contains(probe) == index.ContainsKey(probe), $"{shape}: probe {probe}");
        }
    }

    [Fact]
    public void FewerThanSixteenKeysOrAGuidKeyHaveNoTable()
    {
        using var temp = new TempPath();
        Build(temp.Path, Enumerable.Range(1, 15).Select(i => (long)i).ToArray());
        Assert.Equal(0u, Table(File.ReadAllBytes(temp.Path)).Buckets);
        using (var index = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(temp.Path))
        {
            Assert.True(index.ContainsKey(15));
        }

        using var guids = new TempPath();
        using (var builder = new SortedIndexBuilder<Guid, NoValue>())
        {
            for (int i = 0; i < 1000; i++)
            {
                builder.Add(Guid.NewGuid());
            }

            builder.Build(guids.Path);
        }

        Assert.Equal(0u, Table(File.ReadAllBytes(guids.Path)).Buckets);
    }

    [Fact]
    public void ARebuildThatRemovesMostKeysSizesTheTableForWhatIsLeft()
    {
        long[] keys = Keys("random", 40_000);
        using var first = new TempPath();
        Build(first.Path, keys);
        using var second = new TempPath();
        using (var index = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(first.Path))
        using (var builder = new SortedIndexBuilder<long, Counter.ReadOnlyView>())
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (i % 50 != 0)
                {
                    builder.Remove(keys[i]);
                }
            }

            builder.Build(second.Path, index);
        }

        long[] left = keys.Where((_, i) => i % 50 == 0).ToArray();
        Assert.InRange(Table(File.ReadAllBytes(second.Path)).Buckets, 2u, (uint)(left.Length / 4));
        using var rebuilt = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(second.Path);
        Assert.Equal(left.Length, rebuilt.Count);
        foreach (long key in left)
        {
            Assert.True(rebuilt.TryGetValue(key, out Counter.ReadOnlyView value));
            Assert.Equal(key, value.Value);
        }
    }

    [Theory]
    [InlineData("random")]
    [InlineData("bunched")]
    public void DamagedTablesMissOrAnswerRightButNeverReadOutside(string shape)
    {
        long[] keys = Keys(shape, 20_000);
        using var temp = new TempPath();
        Build(temp.Path, keys);
        byte[] original = File.ReadAllBytes(temp.Path);
        (_, _, uint buckets, _) = Table(original);
        long table = TableOffset(original);
        var random = new Random(11);
        for (int round = 0; round < 12; round++)
        {
            // Some entries set to anything (past the count, below their neighbours), or the whole
            // table; the header's shift and minimum too (the header checksum redone).
            byte[] bytes = (byte[])original.Clone();
            int damaged = round < 10 ? 1 + (round * 50) : (int)buckets + 1;
            for (int i = 0; i < damaged; i++)
            {
                long entry = round < 10 ? random.NextInt64(buckets + 1) : i;
                uint value = random.Next(4) switch { 0 => uint.MaxValue - (uint)random.Next(20), 1 => (uint)random.Next(keys.Length + 40), 2 => 0, _ => (uint)random.Next() };
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)(table + (entry * 4))), value);
            }

            if (round >= 10)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(104), (uint)random.Next(64));
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(96), (ulong)random.NextInt64());
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(124), Overlay.Formats.Crc32C.Compute(bytes.AsSpan(0, 124), default));
            }

            File.WriteAllBytes(temp.Path, bytes);
            using var index = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(temp.Path);
            foreach (long key in keys)
            {
                for (long probe = key - 1; probe <= key + 1; probe++)
                {
                    if (index.TryGetValue(probe, out Counter.ReadOnlyView value))
                    {
                        Assert.Equal(probe, value.Value);
                    }
                }
            }

            // The range scans take the tree, which is whole: every key is still found there.
            Assert.Equal(keys.Length, index.Range(long.MinValue, long.MaxValue).ToKeys().Count);
        }
    }

    private static long[] Keys(string shape, int count)
    {
        var random = new Random(count);
        var keys = new SortedSet<long>();
        while (keys.Count < count)
        {
            long n = keys.Count;
            keys.Add(shape switch
            {
                "random" => random.NextInt64(long.MinValue, long.MaxValue),
                "sequential" => n + 1,
                // Nine in ten keys in a narrow cluster, the rest anywhere: the cluster's buckets are too wide.
                "bunched" => random.Next(10) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : 1_000_000 + random.Next(100_000),
                "around zero" => random.Next(-count, count),
                _ => (long)random.Next(1 << 20) << 30,
            });
        }

        return [.. keys];
    }

    private static void Build(string path, long[] keys)
    {
        using var builder = new SortedIndexBuilder<long, Counter.ReadOnlyView>();
        foreach (long key in keys.Reverse())
        {
            builder.Add(key, new Counter { Value = key });
        }

        builder.Build(path);
    }

    /// <summary>Where the table starts: after the tree (header 80: its offset, 56: its nodes of 16 eight-byte keys), on a 64-byte boundary.</summary>
    private static long TableOffset(byte[] bytes) =>
        ((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(80)) + ((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(56)) * 16 * 8) + 63) & ~63L;

    /// <summary>The header's radix fields and the table.</summary>
    private static (ulong Min, int Shift, uint Buckets, uint[] Entries) Table(byte[] bytes)
    {
        ulong min = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(96));
        int shift = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(104));
        uint buckets = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(108));
        var entries = new uint[buckets == 0 ? 0 : buckets + 1];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)TableOffset(bytes) + (i * 4)));
        }

        return (min, shift, buckets, entries);
    }
}
