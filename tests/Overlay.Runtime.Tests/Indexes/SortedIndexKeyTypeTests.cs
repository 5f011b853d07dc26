using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// Lookups of every integer key type in numeric order (signed keys below zero, the extremes), in
/// blocks full and partial, against a sorted model: integer keys take the numeric search
/// (the summary tree's vector counts in version 2, the Eytzinger descent in version 1), which must
/// answer exactly as the byte-compare search did. The sizes straddle a block (16 keys), a full
/// tree node (17 blocks: 272 keys) and a full two-level tree (289 blocks: 4,624 keys).
/// </summary>
public class SortedIndexKeyTypeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(272)]
    [InlineData(273)]
    [InlineData(4097)]
    [InlineData(4624)]
    [InlineData(4625)]
    public void EveryIntegerKeyType(int count)
    {
        foreach (uint version in new[] { SortedIndexHeader.Version1, SortedIndexHeader.Version2, SortedIndexHeader.Version })
        {
            IntegerKeys.ForEach(new EveryType(version), count);
        }
    }

    [Fact]
    public void WideIntegerKeysOverThreeLevels()
    {
        // 70,001 keys: 4,376 blocks under levels of 258, 16 and 1 nodes (the 16-bit types cannot hold as many).
        Check<int>(70_001, 1, SortedIndexHeader.Version);
        Check<uint>(70_001, 2, SortedIndexHeader.Version);
        Check<long>(70_001, 3, SortedIndexHeader.Version);
        Check<ulong>(70_001, 4, SortedIndexHeader.Version);
        Check<UInt128>(70_001, 5, SortedIndexHeader.Version);
    }

    [Fact]
    public void ComputedRanksEqualTheBuildersInOrderWalk()
    {
        for (int m = 1; m <= 3000; m++)
        {
            // The builder's walk: an in-order traversal of the implicit tree (node k's children 2k, 2k + 1).
            var expected = new long[m + 1];
            long next = 0;
            var stack = new Stack<long>();
            long node = 1;
            while (stack.Count > 0 || node <= m)
            {
                if (node <= m)
                {
                    stack.Push(node);
                    node *= 2;
                }
                else
                {
                    node = stack.Pop();
                    expected[node] = next++;
                    node = (node * 2) + 1;
                }
            }

            for (long k = 1; k <= m; k++)
            {
                Assert.True(expected[k] == MappedSortedIndex<long, NoValue>.InOrderRank(k, m), $"node {k} of {m}");
            }
        }

        // Far beyond what a test can build: the extremes stay in range.
        const long Huge = (1L << 40) + 12345;
        Assert.Equal(0, MappedSortedIndex<long, NoValue>.InOrderRank(1L << 40, Huge));
        Assert.Equal(Huge - 1, MappedSortedIndex<long, NoValue>.InOrderRank((1L << 40) - 1, Huge));
    }

    [Fact]
    public void CountThrowsAfterDispose()
    {
        using var temp = new TempPath();
        using (var builder = new SortedIndexBuilder<long, NoValue>())
        {
            builder.Add(5);
            builder.Build(temp.Path);
        }

        var index = MappedSortedIndex<long, NoValue>.Open(temp.Path);
        Assert.Equal(1, index.Count);
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Count);
    }

    private static void Check<T>(int wanted, int seed, uint version)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var random = new Random(seed);
        var keys = new SortedSet<T> { T.MinValue, T.MaxValue, T.Zero };
        while (keys.Count < Math.Max(wanted, 3))
        {
            keys.Add(IntegerKeys.RandomValue<T>(random));
        }

        using var temp = new TempPath();
        using (var builder = new SortedIndexBuilder<T, NoValue>() { FormatVersion = version })
        {
            foreach (T key in keys.Reverse())
            {
                builder.Add(key);
            }

            builder.Build(temp.Path);
        }

        using var index = MappedSortedIndex<T, NoValue>.Open(temp.Path);
        Assert.Equal(keys.Count, index.Count);
        Assert.Equal(keys.Min, index.First().Key);
        Assert.Equal(keys.Max, index.Last().Key);
        foreach (T key in keys)
        {
            Assert.True(index.ContainsKey(key), $"{typeof(T).Name} key {key} (seed {seed}, version {version})");
        }

        // Probes between and around the keys: present exactly when the model has them, and a
        // range from a probe starts at the model's first key not below it.
        for (int i = 0; i < 2000; i++)
        {
            T probe = i < 4 ? (i switch { 0 => T.MinValue, 1 => T.MaxValue, 2 => T.Zero, _ => T.One }) : IntegerKeys.RandomValue<T>(random);
            Assert.True(keys.Contains(probe) == index.ContainsKey(probe), $"{typeof(T).Name} probe {probe} (seed {seed}, version {version})");
            T? expectedFirst = keys.GetViewBetween(probe, T.MaxValue).Cast<T?>().FirstOrDefault();
            T? first = null;
            foreach (KeyValuePair<T, NoValue> entry in index.Range(probe, T.MaxValue))
            {
                first = entry.Key;
                break;
            }

            Assert.True(Nullable.Equals(expectedFirst, first), $"{typeof(T).Name} range from {probe}: {first}, expected {expectedFirst} (seed {seed}, version {version})");
        }
    }

    private readonly struct EveryType(uint version) : IntegerKeys.ICheck
    {
        public void Run<T>(int wanted, int seed)
            where T : struct, IBinaryInteger<T>, IMinMaxValue<T> => Check<T>(wanted, seed, version);
    }
}
