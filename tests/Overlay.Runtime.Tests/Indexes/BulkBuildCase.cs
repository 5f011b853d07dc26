using System;
using System.IO;
using Overlay.Indexes;

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
}
