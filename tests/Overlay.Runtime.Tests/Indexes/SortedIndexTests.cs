using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

using Builder = SortedIndexBuilder<long, Counter.ReadOnlyView>;
using Sorted = MappedSortedIndex<long, Counter.ReadOnlyView>;

public class SortedIndexTests
{
    [Fact]
    public void BuildsFromUnsortedInputLargerThanItsMemoryBudget()
    {
        using var temp = new TempPath();
        var random = new Random(7);
        var model = new SortedDictionary<long, long>();
        using (var builder = new Builder(memoryBudget: 17 * 1000))
        {
            for (int i = 0; i < 50_000; i++)
            {
                long key = random.NextInt64(-100_000, 100_000);
                builder.Add(key, new Counter { Value = i });
                model[key] = i;
            }

            Assert.True(builder.Runs >= 49, $"{builder.Runs} runs");
            Assert.Equal(model.Count, builder.Build(temp.Path));
        }

        using Sorted index = Sorted.Open(temp.Path);
        Assert.Equal(model.Count, index.Count);
        Assert.Equal(model.First().Key, index.First().Key);
        Assert.Equal(model.Last().Key, index.Last().Key);
        Assert.Equal(model.Last().Value, index.Last().Value.Value);
        foreach ((long key, long value) in model)
        {
            Assert.True(index.TryGetValue(key, out Counter.ReadOnlyView view), $"key {key}");
            Assert.Equal(value, view.Value);
        }

        for (long key = -100_010; key < 100_010; key += 7)
        {
            Assert.Equal(model.ContainsKey(key), index.ContainsKey(key));
        }

        // Every key in order, signed keys in numeric order.
        Assert.Equal(model.Keys, Keys(index));
        Assert.Equal(model.Keys.Where(k => k >= -5000 && k <= 5000), index.Range(-5000, 5000).ToKeys());
        Assert.Empty(index.Range(5000, -5000).ToKeys());
        Assert.Empty(index.Range(200_000, 300_000).ToKeys());
    }

    [Fact]
    public void ModelSequencesAgreeWithASortedDictionary()
    {
        // On tmpfs where there is one: every build waits for its file to reach the disk.
        string directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        using var temp = new ShmPath(directory);
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var model = new SortedDictionary<long, long>();
            File.Delete(temp.Path);
            int rebuilds = random.Next(1, 4);
            for (int round = 0; round < rebuilds; round++)
            {
                using var builder = new Builder(memoryBudget: 17 * random.Next(1, 64), runDirectory: directory);
                int changes = random.Next(0, 200);
                long space = random.Next(1, 500);
                for (int i = 0; i < changes; i++)
                {
                    long key = random.NextInt64(-space, space);
                    if (random.Next(4) == 0)
                    {
                        builder.Remove(key);
                        model.Remove(key);
                    }
                    else
                    {
                        long value = random.NextInt64();
                        builder.Add(key, new Counter { Value = value });
                        model[key] = value;
                    }
                }

                Sorted? existing = round == 0 ? null : Sorted.Open(temp.Path);
                try
                {
                    Assert.Equal(model.Count, builder.Build(temp.Path, existing));
                }
                finally
                {
                    existing?.Dispose();
                }

                using Sorted index = Sorted.Open(temp.Path);
                string where = $"seed {seed}, round {round}";
                Assert.True(model.Keys.SequenceEqual(Keys(index)), where);
                for (int probe = 0; probe < 50; probe++)
                {
                    long key = random.NextInt64(-space - 2, space + 2);
                    Assert.True(model.TryGetValue(key, out long expected) == index.TryGetValue(key, out Counter.ReadOnlyView view), $"{where}: key {key}");
                    if (model.ContainsKey(key))
                    {
                        Assert.Equal(expected, view.Value);
                    }

                    long to = key + random.Next(0, 40);
                    Assert.True(model.Keys.Where(k => k >= key && k <= to).SequenceEqual(index.Range(key, to).ToKeys()), $"{where}: range {key}..{to}");
                }

                if (model.Count == 0)
                {
                    Assert.Throws<InvalidOperationException>(() => index.First());
                    Assert.Throws<InvalidOperationException>(() => index.Last());
                }
                else
                {
                    Assert.Equal(model.Keys.First(), index.First().Key);
                    Assert.Equal(model.Keys.Last(), index.Last().Key);
                }
            }
        }
    }

    [Fact]
    public void ARebuildOverTheOpenFileLeavesItsReadersOnTheOldOne()
    {
        using var temp = new TempPath();
        using (var builder = new Builder())
        {
            builder.Add(1, new Counter { Value = 10 });
            builder.Add(2, new Counter { Value = 20 });
            builder.Build(temp.Path);
        }

        using Sorted old = Sorted.Open(temp.Path);
        using (var builder = new Builder())
        {
            builder.Remove(1);
            builder.Add(3, new Counter { Value = 30 });
            Assert.Equal(2, builder.Build(temp.Path, old));
        }

        Assert.Equal([1L, 2L], Keys(old));
        using Sorted rebuilt = Sorted.Open(temp.Path);
        Assert.Equal([2L, 3L], Keys(rebuilt));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".build-*"));
    }

    [Fact]
    public void ValuesAreWritableInPlaceWhenOpenedForWriting()
    {
        using var temp = new TempPath();
        using (var builder = new SortedIndexBuilder<long, Counter.View>())
        {
            builder.Add(5, new Counter { Value = 1 });
            builder.Build(temp.Path);
        }

        using (var writer = MappedSortedIndex<long, Counter.View>.Open(temp.Path, MapAccess.Write))
        {
            Assert.True(writer.TryGetValue(5, out Counter.View view));
            view.Value = 99;
            writer.Flush();
            Assert.Throws<IOException>(() => MappedSortedIndex<long, Counter.View>.Open(temp.Path, MapAccess.Write));
        }

        using Sorted reader = Sorted.Open(temp.Path);
        Assert.Equal(99, reader.First().Value.Value);
        Assert.Throws<NotSupportedException>(() => MappedSortedIndex<long, Counter.View>.Open(temp.Path));
    }

    [Fact]
    public void LayoutKeysSortByTheirStoredBytes()
    {
        using var temp = new TempPath();
        IndexKeyFormat<SkuKey> keys = IndexKeyFormat.ForLayout<SkuKey>();
        using (var builder = new SortedIndexBuilder<SkuKey, NoValue>(keys))
        {
            foreach (string code in new[] { "b", "a", "c", "ab" })
            {
                builder.Add(new SkuKey { Code = code, Warehouse = 1 });
            }

            builder.Build(temp.Path);
        }

        using var index = MappedSortedIndex<SkuKey, NoValue>.Open(temp.Path, keyFormat: keys);
        var codes = new List<string>();
        foreach (var entry in index)
        {
            codes.Add(entry.Key.Code);
        }

        Assert.Equal(["a", "ab", "b", "c"], codes);
        Assert.True(index.ContainsKey(new SkuKey { Code = "ab", Warehouse = 1 }));
        Assert.False(index.ContainsKey(new SkuKey { Code = "ab", Warehouse = 2 }));
    }

    [Theory]
    [InlineData(0, 8, 5UL, "magic")]
    [InlineData(16, 4, 4UL, "another key type")]
    [InlineData(52, 4, 2UL, "another key type")]
    [InlineData(20, 4, 16UL, "another value layout")]
    [InlineData(40, 8, 1UL << 40, "keys in")]
    [InlineData(40, 8, 1000UL, "are not where")]
    [InlineData(48, 4, 0UL, "block size")]
    [InlineData(56, 8, 7UL, "are not where")] // 100 keys: 7 blocks (version 1's count), one tree node
    [InlineData(8, 4, 4UL, "format version")]
    [InlineData(108, 4, 26UL, "radix table")] // 100 keys allow 25 buckets
    [InlineData(104, 4, 64UL, "radix table")]
    [InlineData(112, 4, 1UL, "reserved")]
    [InlineData(48, 4, 8UL, "summary tree needs 16")]
    [InlineData(72, 8, 8UL, "are not where")]
    [InlineData(80, 8, 1UL << 62, "are not where")]
    public void HostileHeadersAreRefused(int offset, int size, ulong value, string expected)
    {
        using var temp = new TempPath();
        using (var builder = new Builder())
        {
            for (long key = 0; key < 100; key++)
            {
                builder.Add(key, new Counter { Value = key });
            }

            builder.Build(temp.Path);
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        if (size == 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)value);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(124), Overlay.Formats.Crc32C.Compute(bytes.AsSpan(0, 124), default));
        File.WriteAllBytes(temp.Path, bytes);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => Sorted.Open(temp.Path)).Message);
    }

    [Fact]
    public void DamagedSummariesAndKeysAreWalkedSafely()
    {
        using var temp = new TempPath();
        using (var builder = new Builder())
        {
            for (long key = 0; key < 1000; key++)
            {
                builder.Add(key, new Counter { Value = key });
            }

            builder.Build(temp.Path);
        }

        byte[] original = File.ReadAllBytes(temp.Path);
        var random = new Random(3);
        for (int round = 0; round < 200; round++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int i = 0; i < 30; i++)
            {
                bytes[random.Next(128, bytes.Length)] = (byte)random.Next(256);
            }

            File.WriteAllBytes(temp.Path, bytes);
            using Sorted index = Sorted.Open(temp.Path);
            for (long key = -5; key < 1005; key += 3)
            {
                index.TryGetValue(key, out _);
                foreach (var entry in index.Range(key, key + 20))
                {
                    _ = entry.Value.Value;
                }
            }
        }
    }

    private static List<long> Keys(Sorted index)
    {
        var keys = new List<long>();
        foreach (var entry in index)
        {
            keys.Add(entry.Key);
        }

        return keys;
    }
}

internal sealed class ShmPath(string directory) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(directory, $"overlay-sorted-{Guid.NewGuid():N}.idx");

    public void Dispose() => File.Delete(Path);
}

internal static class RangeExtensions
{
    public static List<long> ToKeys(this MappedSortedIndex<long, Counter.ReadOnlyView>.RangeEnumerable range)
    {
        var keys = new List<long>();
        foreach (var entry in range)
        {
            keys.Add(entry.Key);
        }

        return keys;
    }
}
