using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tests.Indexes;

using CounterBuilder = HashIndexBuilder<ulong, Counter.View>;
using CounterIndex = MappedHashIndex<ulong, Counter.View>;
using ReadOnlyCounterIndex = MappedHashIndex<ulong, Counter.ReadOnlyView>;

/// <summary>
/// The bulk builder's section form (<see cref="MappedContainer.BuildHashIndex{TKey, TValue}"/>,
/// <see cref="MappedContainer.ReplaceHashIndex{TKey, TValue}"/>): seeded key sets built into a
/// section, checked against a <see cref="Dictionary{TKey, TValue}"/> and against the same keys
/// inserted into a section with the same options, before and after a read-only reopen; the
/// boundaries (no keys, one, repeats, the spill past the memory budget, a retry at twice the
/// capacity that moves the extent); no commit, no section; bad input. A failure names its seed.
/// The hostile checks of the section open run on bulk-built sections in <see cref="HashIndexBuiltSectionTests"/>.
/// </summary>
public sealed class HashIndexSectionBuildTests : IDisposable
{
    private const ulong Tag = 0x4255_4C4B;

    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-hash-section-build-").FullName;

    private string ContainerPath => Path.Combine(_directory, "c.ovc");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RandomKeySetsAgreeWithADictionaryAndWithInsertsIntoASection()
    {
        for (int seed = 1; seed <= Conformance.RandomRounds.OnThisBackEnd(120); seed++)
        {
            Run(seed);
        }
    }

    /// <summary>Reruns one key set: paste the seed a failure printed.</summary>
    [Theory]
    [InlineData(1)]
    public void Replay(int seed) => Run(seed);

    [Fact]
    public void NoKeysMakesAnEmptySectionOfTheSmallestCapacity()
    {
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            using var builder = new CounterBuilder();
            using CounterIndex index = container.BuildHashIndex("empty", builder);
            Assert.Equal(0, index.Count);
            Assert.Equal(16, index.Capacity);
            container.Commit();
        }

        using (MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read))
        using (ReadOnlyCounterIndex index = reader.HashIndex<ulong, Counter.ReadOnlyView>("empty"))
        {
            Assert.Equal(0, index.Count);
            Assert.False(index.ContainsKey(0));
            Assert.Empty(BulkBuildCase.Entries(index));
            SectionInfo info = reader.Sections.Single(s => s.Name == "empty");
            Assert.Equal(SectionKind.Index, info.Kind);
            Assert.Equal(0, info.Count);
        }

        Assert.Equal([ContainerPath], Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void OneKeyIsFoundAndTheSectionTakesInsertsAndGrowsAfterwards()
    {
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            using var builder = new CounterBuilder();
            builder.Add(42UL, new Counter { Value = 7 });
            using CounterIndex index = container.BuildHashIndex("one", builder, new HashIndexOptions { Tag = 9 });
            Assert.Equal(0, builder.Added);
            Assert.Equal(1, index.Count);
            Assert.Equal(7, index.GetValue(42).Value);
            Assert.False(index.ContainsKey(43));

            // An ordinary section: inserts, growth (relocations) and removals, durable at the commit.
            for (ulong k = 0; k < 1000; k++)
            {
                index.Set(k + 1000, new Counter { Value = (long)k });
            }

            Assert.True(index.Remove(42));
            container.Commit();
        }

        using MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read);
        using ReadOnlyCounterIndex read = reader.HashIndex<ulong, Counter.ReadOnlyView>("one", tag: 9);
        Assert.Equal(1000, read.Count);
        Assert.Equal(999, read.GetValue(1999).Value);
        Assert.False(read.ContainsKey(42));
    }

    [Fact]
    public void RepeatedKeysKeepTheLastValueAddedAcrossTheSpill()
    {
        string spill = Path.Combine(_directory, "spill");
        Directory.CreateDirectory(spill);
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            // 24-byte entries, a 240-byte budget: ten entries a spill, every repeat in another one.
            using var builder = new CounterBuilder(memoryBudget: 240, runDirectory: spill);
            for (int round = 0; round < 5; round++)
            {
                for (ulong k = 0; k < 100; k++)
                {
                    builder.Add(k, new Counter { Value = (round * 1000) + (long)k });
                }
            }

            Assert.True(builder.Spilled > 0);
            using CounterIndex index = container.BuildHashIndex("repeats", builder);
            Assert.Equal(100, index.Count);
            container.Commit();
        }

        Assert.Empty(Directory.GetFileSystemEntries(spill));
        using MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read);
        using ReadOnlyCounterIndex read = reader.HashIndex<ulong, Counter.ReadOnlyView>("repeats");
        for (ulong k = 0; k < 100; k++)
        {
            Assert.Equal(4000 + (long)k, read.GetValue(k).Value);
        }
    }

    [Fact]
    public void TheSpillPathWithLayoutKeysAndASetLeavesNoFileBehind()
    {
        var format = IndexKeyFormat.ForLayout<SkuKey>();
        string spill = Path.Combine(_directory, "spill");
        Directory.CreateDirectory(spill);
        var expected = new HashSet<(string, int)>();
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            using var builder = new HashIndexBuilder<SkuKey, NoValue>(format, memoryBudget: 4096, runDirectory: spill);
            var random = new Random(5);
            for (int i = 0; i < 20_000; i++)
            {
                var key = new SkuKey { Code = $"SKU-{random.Next(12_000)}", Warehouse = random.Next(3) };
                builder.Add(key);
                expected.Add((key.Code, key.Warehouse));
            }

            Assert.True(builder.Spilled > 0);
            using MappedHashIndex<SkuKey, NoValue> index = container.BuildHashIndex("skus", builder);
            Assert.Equal(expected.Count, index.Count);
            container.Commit();
        }

        // The partitions went beside the container and were deleted; the spill too.
        Assert.Equal(new[] { ContainerPath, spill }.Order(), Directory.GetFileSystemEntries(_directory).Order());
        Assert.Empty(Directory.GetFileSystemEntries(spill));
        using MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read);
        using MappedHashIndex<SkuKey, NoValue> read = reader.HashIndex<SkuKey, NoValue>("skus", format);
        Assert.Equal(expected.Count, read.Count);
        foreach ((string code, int warehouse) in expected)
        {
            Assert.True(read.ContainsKey(new SkuKey { Code = code, Warehouse = warehouse }));
        }

        Assert.False(read.ContainsKey(new SkuKey { Code = "SKU-12000", Warehouse = 0 }));
    }

    /// <summary>
    /// A run past the tail makes the build start again at twice the capacity, in a larger extent.
    /// The first extent is a free one reused from an earlier session with a section after it, so the
    /// larger table cannot grow in place: it moves, and the build's first bytes are not carried.
    /// </summary>
    [Fact]
    public void ARetryAtTwiceTheCapacityMovesTheExtentWhenItCannotGrowInPlace()
    {
        var options = new HashIndexOptions { InitialCapacity = 3000, Seed = 77, TailSlots = 1 };
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            // A section of the same table size, replaced: its extent is free space for the next session.
            using var builder = new CounterBuilder();
            for (ulong k = 0; k < 3000; k++)
            {
                builder.Add(k, new Counter { Value = 1 });
            }

            container.BuildHashIndex("first", builder, options).Dispose();
            container.AddRaw("after").Append("after the free extent"u8);
            container.Commit();
            for (ulong k = 0; k < 3000; k++)
            {
                builder.Add(k, new Counter { Value = 1 });
            }

            container.ReplaceHashIndex("first", builder, options).Dispose();
            container.Commit();
        }

        // Three keys whose home is the table's last slot (the plan for 3000 entries): a run of three
        // with a tail of one passes the end.
        long capacity;
        using (MappedContainer container = MappedContainer.Open(ContainerPath, Tag))
        using (ReadOnlyCounterIndex first = container.HashIndex<ulong, Counter.ReadOnlyView>("first"))
        {
            capacity = first.Capacity;
        }

        ulong prepared = StableHash.PrepareSeed(77);
        var crowded = new List<ulong>();
        for (ulong k = 1_000_000; crowded.Count < 3; k++)
        {
            if ((CounterIndex.HashOf(BitConverter.GetBytes(k), prepared, StableHash.NewFileFunction) & (ulong)(capacity - 1)) == (ulong)(capacity - 1))
            {
                crowded.Add(k);
            }
        }

        var model = new Dictionary<ulong, long>();
        using (MappedContainer container = MappedContainer.Open(ContainerPath, Tag))
        {
            using var builder = new CounterBuilder();
            for (ulong k = 0; k < 2997; k++)
            {
                builder.Add(k * 3, new Counter { Value = (long)k });
                model[k * 3] = (long)k;
            }

            foreach (ulong k in crowded)
            {
                builder.Add(k, new Counter { Value = -(long)k });
                model[k] = -(long)k;
            }

            using CounterIndex index = container.BuildHashIndex("second", builder, options);
            Assert.Equal(2 * capacity, index.Capacity);
            Assert.Equal(model.Count, index.Count);
            Assert.Equal("after the free extent"u8.ToArray(), container.Raw("after").ToArray());

            // It began in the free extent before "after" and moved past it.
            Assert.True(container.Sections.Single(s => s.Name == "second").Offset > container.Sections.Single(s => s.Name == "after").Offset);
            Assert.True(container.FreeBytes >= 100_000);
            container.Commit();
        }

        using MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read);
        using ReadOnlyCounterIndex read = reader.HashIndex<ulong, Counter.ReadOnlyView>("second");
        Assert.Equal(model.OrderBy(e => e.Key), BulkBuildCase.Entries(read).OrderBy(e => e.Key));
        using ReadOnlyCounterIndex old = reader.HashIndex<ulong, Counter.ReadOnlyView>("first");
        Assert.Equal(3000, old.Count);
    }

    [Fact]
    public void WithoutACommitTheContainerIsAsItWas()
    {
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            using var builder = new CounterBuilder();
            builder.Add(1UL, new Counter { Value = 1 });
            container.BuildHashIndex("kept", builder).Dispose();
            container.Commit();
        }

        byte[] committed = File.ReadAllBytes(ContainerPath);
        using (MappedContainer container = MappedContainer.Open(ContainerPath, Tag))
        {
            using var builder = new CounterBuilder();
            for (ulong k = 0; k < 5000; k++)
            {
                builder.Add(k, new Counter { Value = 2 });
            }

            container.BuildHashIndex("dropped", builder).Dispose();
            for (ulong k = 0; k < 10; k++)
            {
                builder.Add(k + 100, new Counter { Value = 3 });
            }

            container.ReplaceHashIndex("kept", builder).Dispose();

            // Closed without a commit: as a crash, the last commit's table is what the file holds.
        }

        using MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read);
        Assert.DoesNotContain(reader.Sections, s => s.Name == "dropped");
        using ReadOnlyCounterIndex kept = reader.HashIndex<ulong, Counter.ReadOnlyView>("kept");
        Assert.Equal(1, kept.Count);
        Assert.Equal(1, kept.GetValue(1).Value);
        Assert.False(kept.ContainsKey(100));
        int slots = 2 * Formats.ContainerFiles.SlotSize(committed);
        Assert.Equal(committed.AsSpan(0, slots).ToArray(), File.ReadAllBytes(ContainerPath).AsSpan(0, slots).ToArray());
    }

    [Fact]
    public void AReplacementHoldsOnlyTheBuildersEntriesAndClosesTheOpenIndex()
    {
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            using var builder = new CounterBuilder();
            for (ulong k = 0; k < 1000; k++)
            {
                builder.Add(k, new Counter { Value = 1 });
            }

            CounterIndex open = container.BuildHashIndex("index", builder, new HashIndexOptions { Tag = 5 });
            container.Commit();
            Counter.View view = open.GetValue(1);
            int sectionsBefore = container.Sections.Count;
            long freeBefore = container.FreeBytes;

            for (ulong k = 500; k < 3000; k++)
            {
                builder.Add(k, new Counter { Value = 2 });
            }

            using CounterIndex replaced = container.ReplaceHashIndex("index", builder, new HashIndexOptions { Tag = 5 });
            Assert.Equal(2500, replaced.Count);
            Assert.False(replaced.ContainsKey(0));
            Assert.Equal(2, replaced.GetValue(500).Value);
            Assert.Throws<ObjectDisposedException>(() => open.ContainsKey(1));
            Assert.ThrowsAny<InvalidOperationException>(() => view.Value);
            open.Dispose();

            // The old extent is free space; the section keeps its place in the table.
            Assert.Equal(sectionsBefore, container.Sections.Count);
            Assert.True(container.FreeBytes > freeBefore);
            container.Commit();
        }

        using MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read);
        using ReadOnlyCounterIndex read = reader.HashIndex<ulong, Counter.ReadOnlyView>("index", tag: 5);
        Assert.Equal(2500, read.Count);
        Assert.Equal(2, read.GetValue(2999).Value);
    }

    [Fact]
    public void BadInputIsRefusedWithTypedExceptionsAndLosesNothing()
    {
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        {
            using var builder = new CounterBuilder();
            builder.Add(1UL, new Counter { Value = 1 });
            container.AddHashIndex<ulong, Counter.View>("taken").Dispose();
            container.AddRaw("raw");

            Assert.Throws<ArgumentNullException>(() => container.BuildHashIndex<ulong, Counter.View>("x", null!));
            Assert.Throws<ArgumentNullException>(() => container.BuildHashIndex(null!, builder));
            Assert.Throws<ArgumentException>(() => container.BuildHashIndex("taken", builder));
            Assert.Throws<ArgumentException>(() => container.BuildHashIndex("", builder));
            Assert.Throws<ArgumentOutOfRangeException>(() => container.BuildHashIndex("x", builder, new HashIndexOptions { MaxLoadPercent = 99 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => container.ReplaceHashIndex("taken", builder, new HashIndexOptions { TailSlots = 0 }));
            Assert.Throws<KeyNotFoundException>(() => container.ReplaceHashIndex("missing", builder));
            Assert.Throws<InvalidDataException>(() => container.ReplaceHashIndex("raw", builder));

            // Other types or another tag: refused, nothing written, the builder keeps its entries.
            using (var other = new HashIndexBuilder<ulong, NoValue>())
            {
                other.Add(1UL);
                Assert.Contains("other types", Assert.Throws<InvalidDataException>(() => container.ReplaceHashIndex("taken", other)).Message);
                Assert.Equal(1, other.Added);
            }

            Assert.Throws<InvalidDataException>(() => container.ReplaceHashIndex("taken", builder, new HashIndexOptions { Tag = 3 }));
            using (MappedHashIndex<ulong, Counter.View> open = container.HashIndex<ulong, Counter.View>("taken"))
            {
                Assert.Throws<InvalidDataException>(() => container.ReplaceHashIndex("taken", builder, new HashIndexOptions { Tag = 3 }));
                using var asSet = new HashIndexBuilder<ulong, Counter.ReadOnlyView>();
                Assert.Throws<InvalidOperationException>(() => container.ReplaceHashIndex("taken", asSet));
            }

            Assert.Equal(1, builder.Added);
            Assert.DoesNotContain(container.Sections, s => s.Name == "x");

            var disposed = new CounterBuilder();
            disposed.Dispose();
            Assert.Throws<ObjectDisposedException>(() => container.BuildHashIndex("x", disposed));
            Assert.Throws<ObjectDisposedException>(() => container.ReplaceHashIndex("taken", disposed));
            container.Commit();
        }

        using (MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read))
        {
            using var builder = new CounterBuilder();
            Assert.Throws<NotSupportedException>(() => reader.BuildHashIndex("x", builder));
            Assert.Throws<NotSupportedException>(() => reader.ReplaceHashIndex("taken", builder));
        }

        MappedContainer closed = MappedContainer.Open(ContainerPath, Tag);
        closed.Dispose();
        using (var builder = new CounterBuilder())
        {
            Assert.Throws<ObjectDisposedException>(() => closed.BuildHashIndex("x", builder));
        }

        Assert.Equal([ContainerPath], Directory.GetFileSystemEntries(_directory));
    }

    private void Run(int seed) => BulkBuildCase.Run(seed, _directory, RunCore);

    private void RunCore(int seed)
    {
        var random = new Random(seed);
        var drawn = BulkBuildCase.Draw(random, seed);
        int count = drawn.Count;
        HashIndexOptions options = drawn.Options;
        long budget = drawn.Budget;

        var model = new Dictionary<ulong, long>();
        using (MappedContainer container = MappedContainer.Create(ContainerPath, Tag))
        using (var builder = new CounterBuilder(memoryBudget: budget, runDirectory: _directory))
        {
            // Records before, so that neither index starts at the file's first extent.
            container.AddRaw("before").Append("before"u8);
            using (CounterIndex inserted = container.AddHashIndex<ulong, Counter.View>("inserted", options))
            {
                for (int i = 0; i < count; i++)
                {
                    ulong key = drawn.NextKey(random);
                    long value = random.NextInt64();
                    builder.Add(key, new Counter { Value = value });
                    inserted.Set(key, new Counter { Value = value });
                    model[key] = value;
                }
            }

            Assert.Equal(count, builder.Added);
            using CounterIndex built = container.BuildHashIndex("built", builder, options);
            Assert.Equal(model.Count, built.Count);
            container.Commit();
        }

        Assert.Equal([ContainerPath], Directory.GetFileSystemEntries(_directory));
        using MappedContainer reader = MappedContainer.Open(ContainerPath, Tag, MapAccess.Read);
        using ReadOnlyCounterIndex a = reader.HashIndex<ulong, Counter.ReadOnlyView>("built", tag: (ulong)seed);
        using ReadOnlyCounterIndex b = reader.HashIndex<ulong, Counter.ReadOnlyView>("inserted", tag: (ulong)seed);
        Assert.Equal(model.Count, reader.Sections.Single(s => s.Name == "built").Count);
        drawn.AssertBuiltLikeInserted(a, b, model, random);
    }
}
