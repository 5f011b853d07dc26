using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// One random bulk build, drawn from a seed, for the file form's and the section form's seeded
/// tests: small key spaces (repeats), keys spaced by powers of two (crowded homes), tiny tails
/// (runs past the end) and tiny memory budgets (the spill path and many partitions).
/// </summary>
internal sealed record BulkBuildCase(int Count, ulong KeySpace, ulong Spacing, HashIndexOptions Options, long Budget)
{
    public static BulkBuildCase Draw(Random random, int seed) => new(
        Count: random.Next(4) == 0 ? random.Next(0, 20) : random.Next(0, 3000),
        KeySpace: random.Next(3) == 0 ? (ulong)random.Next(1, 200) : ulong.MaxValue >> 2,
        Spacing: random.Next(4) == 0 ? 1UL << random.Next(1, 20) : 1,
        Options: new HashIndexOptions
        {
            InitialCapacity = random.Next(4) == 0 ? random.Next(0, 5000) : 0,
            MaxLoadPercent = random.Next(HashIndexOptions.MinimumLoadPercent, HashIndexOptions.MaximumLoadPercent + 1),
            Seed = (ulong)random.NextInt64(),
            TailSlots = random.Next(3) == 0 ? random.Next(1, 4) : random.Next(1, 300),
            Tag = (ulong)seed,
        },
        Budget: random.Next(2) == 0 ? random.Next(24, 2000) : HashIndexBuilder<ulong, Counter.View>.DefaultMemoryBudget);

    /// <summary>A key of the case's key space and spacing.</summary>
    public ulong NextKey(Random random) => (ulong)random.NextInt64((long)Math.Min(KeySpace, long.MaxValue)) * Spacing;

    /// <summary>Runs <paramref name="body"/> for <paramref name="seed"/>, naming the seed if it fails, and empties <paramref name="directory"/> after.</summary>
    public static void Run(int seed, string directory, Action<int> body)
    {
        try
        {
            body(seed);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"key set with seed {seed} failed: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        finally
        {
            foreach (string file in Directory.GetFileSystemEntries(directory))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// The index built from the case answers as the model and as the index the same keys were
    /// inserted into with the same options: count, seed, load, capacity (equal when no key
    /// repeats: the plan counts every Add), every value, 200 misses, and its entries.
    /// </summary>
    public void AssertBuiltLikeInserted(MappedHashIndex<ulong, Counter.ReadOnlyView> built, MappedHashIndex<ulong, Counter.ReadOnlyView> inserted, Dictionary<ulong, long> model, Random random)
    {
        Assert.Equal(model.Count, built.Count);
        Assert.Equal(Options.Seed, built.Seed);
        Assert.Equal(Options.MaxLoadPercent, built.MaxLoadPercent);
        if (model.Count == Count)
        {
            Assert.Equal(inserted.Capacity, built.Capacity);
        }
        else
        {
            Assert.True(built.Capacity >= inserted.Capacity, $"built capacity {built.Capacity} < inserted {inserted.Capacity}");
        }

        foreach ((ulong key, long value) in model)
        {
            Assert.True(built.TryGetValue(key, out Counter.ReadOnlyView view), $"key {key} missing");
            Assert.Equal(value, view.Value);
            Assert.Equal(inserted.GetValue(key).Value, view.Value);
        }

        for (int i = 0; i < 200; i++)
        {
            ulong miss = (ulong)random.NextInt64() | (1UL << 62);
            Assert.Equal(model.ContainsKey(miss), built.ContainsKey(miss));
            Assert.Equal(inserted.ContainsKey(miss), built.ContainsKey(miss));
        }

        Assert.Equal(model.OrderBy(e => e.Key), Entries(built).OrderBy(e => e.Key));
        Assert.Equal(Entries(inserted).OrderBy(e => e.Key), Entries(built).OrderBy(e => e.Key));
    }

    /// <summary>The index's entries as (key, value) pairs, in its order.</summary>
    public static List<KeyValuePair<ulong, long>> Entries(MappedHashIndex<ulong, Counter.ReadOnlyView> index)
    {
        var entries = new List<KeyValuePair<ulong, long>>();
        foreach (KeyValuePair<ulong, Counter.ReadOnlyView> entry in index)
        {
            entries.Add(new KeyValuePair<ulong, long>(entry.Key, entry.Value.Value));
        }

        return entries;
    }
}
