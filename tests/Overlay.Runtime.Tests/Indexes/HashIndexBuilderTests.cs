using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tests.Indexes;

using CounterBuilder = HashIndexBuilder<ulong, Counter.View>;
using CounterIndex = MappedHashIndex<ulong, Counter.View>;
using ReadOnlyCounterIndex = MappedHashIndex<ulong, Counter.ReadOnlyView>;

/// <summary>
/// The bulk builder: seeded random key sets built in one pass, checked against a
/// <see cref="Dictionary{TKey, TValue}"/> and against the same keys inserted one by one; the
/// boundaries (no keys, one, homes that all collide, runs past the tail, the spill path); bad
/// input. A failure names its seed; <c>Replay</c> reruns one.
/// </summary>
public sealed class HashIndexBuilderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-hash-builder-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RandomKeySetsAgreeWithADictionaryAndWithInserts()
    {
        for (int seed = 1; seed <= Conformance.RandomRounds.OnThisBackEnd(300); seed++)
        {
            Run(seed);
        }
    }

    /// <summary>Reruns one key set: paste the seed a failure printed.</summary>
    [Theory]
    [InlineData(1)]
    public void Replay(int seed) => Run(seed);

    [Fact]
    public void NoKeysMakesAnEmptyTableOfTheSmallestCapacity()
    {
        string path = Path.Combine(_directory, "empty.idx");
        using (var builder = new CounterBuilder())
        {
            Assert.Equal(0, builder.Build(path));
        }

        using ReadOnlyCounterIndex index = ReadOnlyCounterIndex.Open(path, MapAccess.Read);
        Assert.Equal(0, index.Count);
        Assert.Equal(16, index.Capacity);
        Assert.False(index.ContainsKey(0));
        Assert.Empty(BulkBuildCase.Entries(index));
        AssertOnlyFile(path);
    }

    [Fact]
    public void OneKeyIsFoundAndTheTableCanBeChangedAfterwards()
    {
        string path = Path.Combine(_directory, "one.idx");
        using (var builder = new CounterBuilder())
        {
            builder.Add(42UL, new Counter { Value = 7 });
            Assert.Equal(1, builder.Added);
            Assert.Equal(1, builder.Build(path, new HashIndexOptions { Tag = 9 }));
            Assert.Equal(0, builder.Added);
        }

        using (CounterIndex index = CounterIndex.Open(path, tag: 9))
        {
            Assert.Equal(1, index.Count);
            Assert.Equal(7, index.GetValue(42).Value);
            Assert.False(index.ContainsKey(43));

            // A built file is an ordinary index: it takes inserts, growth and removals.
            for (ulong k = 0; k < 100; k++)
            {
                index.Set(k + 1000, new Counter { Value = (long)k });
            }

            Assert.True(index.Remove(42));
        }

        using ReadOnlyCounterIndex reader = ReadOnlyCounterIndex.Open(path, MapAccess.Read, tag: 9);
        Assert.Equal(100, reader.Count);
        Assert.Equal(99, reader.GetValue(1099).Value);
    }

    [Fact]
    public void KeysWhoseHomesAllCollideRunIntoTheTailAndDoubleTheTableAsInsertsDo()
    {
        const ulong seed = 12345;
        ulong prepared = StableHash.PrepareSeed(seed);

        // Twelve keys all at home 15 of a 16-slot table with a tail of 4: the run passes the tail.
        var keys = new List<ulong>();
        for (ulong k = 1; keys.Count < 12; k++)
        {
            if ((CounterIndex.HashOf(BitConverter.GetBytes(k), prepared, StableHash.NewFileFunction) & 15) == 15)
            {
                keys.Add(k);
            }
        }

        var options = new HashIndexOptions { Seed = seed, TailSlots = 4 };
        string built = Path.Combine(_directory, "built.idx");
        string inserted = Path.Combine(_directory, "inserted.idx");
        using (var builder = new CounterBuilder())
        {
            foreach (ulong k in keys)
            {
                builder.Add(k, new Counter { Value = (long)k * 2 });
            }

            builder.Build(built, options);
        }

        using (CounterIndex index = CounterIndex.Create(inserted, options))
        {
            foreach (ulong k in keys)
            {
                index.Set(k, new Counter { Value = (long)k * 2 });
            }
        }

        using ReadOnlyCounterIndex a = ReadOnlyCounterIndex.Open(built, MapAccess.Read);
        using ReadOnlyCounterIndex b = ReadOnlyCounterIndex.Open(inserted, MapAccess.Read);
        Assert.True(a.Capacity > 16);
        Assert.Equal(b.Capacity, a.Capacity);
        Assert.Equal(12, a.Count);
        foreach (ulong k in keys)
        {
            Assert.Equal((long)k * 2, a.GetValue(k).Value);
        }
    }

    [Fact]
    public void TheSpillPathWithLayoutKeysAndASetGivesTheSameAnswers()
    {
        var format = IndexKeyFormat.ForLayout<SkuKey>();
        string path = Path.Combine(_directory, "skus.idx");
        string spill = Path.Combine(_directory, "spill");
        Directory.CreateDirectory(spill);
        var expected = new HashSet<(string, int)>();
        using (var builder = new HashIndexBuilder<SkuKey, NoValue>(format, memoryBudget: 4096, runDirectory: spill))
        {
            var random = new Random(5);
            for (int i = 0; i < 5000; i++)
            {
                var key = new SkuKey { Code = $"SKU-{random.Next(3000)}", Warehouse = random.Next(3) };
                builder.Add(key);
                expected.Add((key.Code, key.Warehouse));
            }

            Assert.True(builder.Spilled > 0);
            Assert.Equal(expected.Count, builder.Build(path));
            Assert.Empty(Directory.GetFileSystemEntries(spill));
        }

        AssertOnlyFile(path, "spill");
        using var index = MappedHashIndex<SkuKey, NoValue>.Open(path, MapAccess.Read, format);
        Assert.Equal(expected.Count, index.Count);
        foreach ((string code, int warehouse) in expected)
        {
            Assert.True(index.ContainsKey(new SkuKey { Code = code, Warehouse = warehouse }));
        }

        Assert.False(index.ContainsKey(new SkuKey { Code = "SKU-3000", Warehouse = 0 }));
        Assert.Equal(expected.Count, Entries(index).Select(e => (e.Code, e.Warehouse)).Distinct().Count());
    }

    [Fact]
    public void ADisposedBuilderRefusesEverything()
    {
        var builder = new CounterBuilder();
        builder.Add(1UL, new Counter { Value = 1 });
        builder.Dispose();
        builder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => builder.Add(2UL, new Counter()));
        Assert.Throws<ObjectDisposedException>(() => builder.Add(2UL));
        Assert.Throws<ObjectDisposedException>(() => builder.Build(Path.Combine(_directory, "x.idx")));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void BadInputIsRefusedWithTypedExceptionsAndLosesNothing()
    {
        Assert.Throws<NotSupportedException>(() => new HashIndexBuilder<SkuKey, NoValue>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterBuilder(memoryBudget: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterBuilder(memoryBudget: (1L << 30) + 1));

        string path = Path.Combine(_directory, "taken.idx");
        File.WriteAllText(path, "not an index");
        using var builder = new CounterBuilder();
        builder.Add(1UL, new Counter { Value = 1 });
        Assert.Throws<ArgumentException>(() => builder.Add(2UL, new Product()));
        Assert.Throws<ArgumentNullException>(() => builder.Build(null!));

        // Refused before anything is written: the file stays, the builder keeps its entries.
        IOException exists = Assert.Throws<IOException>(() => builder.Build(path));
        Assert.Contains("already exists", exists.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build(Path.Combine(_directory, "bad.idx"), new HashIndexOptions { MaxLoadPercent = 99 }));
        Assert.Equal("not an index", File.ReadAllText(path));
        Assert.Equal(1, builder.Added);

        string good = Path.Combine(_directory, "good.idx");
        Assert.Equal(1, builder.Build(good));

        // Opened for another key or value type, the file says what differs.
        Assert.Throws<InvalidDataException>(() => MappedHashIndex<long, Counter.ReadOnlyView>.Open(good, MapAccess.Read));
        Assert.Throws<InvalidDataException>(() => MappedHashIndex<ulong, NoValue>.Open(good, MapAccess.Read));
        Assert.Equal(new[] { good, path }.Order(), Directory.GetFileSystemEntries(_directory).Order());
    }

    private static IEnumerable<SkuKey> Entries(MappedHashIndex<SkuKey, NoValue> index)
    {
        var keys = new List<SkuKey>();
        foreach (KeyValuePair<SkuKey, NoValue> entry in index)
        {
            keys.Add(entry.Key);
        }

        return keys;
    }

    private void AssertOnlyFile(string path, params string[] others) =>
        Assert.Equal(
            others.Select(o => Path.Combine(_directory, o)).Append(path).Order(),
            Directory.GetFileSystemEntries(_directory).Order());

    private void Run(int seed) => BulkBuildCase.Run(seed, _directory, RunCore);

    private void RunCore(int seed)
    {
        var random = new Random(seed);
        var drawn = BulkBuildCase.Draw(random, seed);
        int count = drawn.Count;
        HashIndexOptions options = drawn.Options;
        long budget = drawn.Budget;

        var model = new Dictionary<ulong, long>();
        string built = Path.Combine(_directory, "built.idx");
        string inserted = Path.Combine(_directory, "inserted.idx");
        using (var builder = new CounterBuilder(memoryBudget: budget, runDirectory: _directory))
        using (CounterIndex index = CounterIndex.Create(inserted, options))
        {
            for (int i = 0; i < count; i++)
            {
                ulong key = drawn.NextKey(random);
                long value = random.NextInt64();
                builder.Add(key, new Counter { Value = value });
                index.Set(key, new Counter { Value = value });
                model[key] = value;
            }

            Assert.Equal(count, builder.Added);
            Assert.Equal(model.Count, builder.Build(built, options));
        }

        Assert.Equal(new[] { built, inserted }.Order(), Directory.GetFileSystemEntries(_directory).Order());
        using ReadOnlyCounterIndex a = ReadOnlyCounterIndex.Open(built, MapAccess.Read, tag: (ulong)seed);
        using ReadOnlyCounterIndex b = ReadOnlyCounterIndex.Open(inserted, MapAccess.Read, tag: (ulong)seed);
        drawn.AssertBuiltLikeInserted(a, b, model, random);
    }
}
