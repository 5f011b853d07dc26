using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Overlay.Indexes;

namespace Overlay.Benchmarks;

/// <summary>
/// Hash functions 1 and 2 of the hash index (docs/indexes.md, "Why function 2") measured side by
/// side in time: <c>Overlay.Benchmarks --hash-side-by-side [rounds]</c>. The same 1M keys as
/// <see cref="IndexBenchmarks"/> (<c>ulong</c> → 32-byte value) in two files that differ only in
/// the function they record (same seed), beside the raw-pointer hash. Every round looks up the
/// next 10,000 keys of a seeded random order in each way once, in a rotating order, and the
/// minimum, 25th percentile and median of the rounds are reported per way: on 2 cores shared with
/// other builds, BenchmarkDotNet's one-after-the-other cases see different loads, while here the
/// load falls on every way alike (as <see cref="WineSideBySide"/> does for the Wine comparisons).
/// </summary>
internal static class HashSideBySide
{
    private const int Keys = 1_000_000;
    private const int Batch = 10_000;
    private const ulong Seed = 0x5EED_0F_FA57_4A54;

    public static int Run(string[] args)
    {
        // Whole passes over the keys (100 rounds each), so that every way's hits add up alike whatever its order.
        int rounds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int given) ? (given + 99) / 100 * 100 : 500;
        string directory = Path.Combine(Path.GetTempPath(), $"overlay-hash-side-by-side-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        // The hand probes read the same files as the library's lookups: in another order, or the
        // second of the two in a round would find the first's slots in the cache.
        LookupKeys Hits(int seed = 42) => new(Keys, Batch, IndexBenchmarks.KeyOf, seed);
        LookupKeys Misses() => new(Keys, Batch, i => IndexBenchmarks.KeyOf(Keys + i) & ~1UL, seed: 43);
        try
        {
            string two = Path.Combine(directory, "function2.idx");
            string one = Path.Combine(directory, "function1.idx");
            Build(two, 2);
            Build(one, 1);
            using var f2 = MappedHashIndex<ulong, Value32.ReadOnlyView>.Open(two, MapAccess.Read);
            using var f1 = MappedHashIndex<ulong, Value32.ReadOnlyView>.Open(one, MapAccess.Read);
            using var hand2 = new HandProbe(two);
            using var hand1 = new HandProbe(one);
            using RawHash raw = RawHash.Build(Path.Combine(directory, "raw.bin"), Keys);

            // Each way's loop is written out, so that the lookup inlines into it as in IndexBenchmarks
            // (behind a delegate call per key, lookups overlap their cache misses less).
            LookupKeys rawKeys = Hits(), f2Keys = Hits(), f1Keys = Hits(), f2Misses = Misses(), f1Misses = Misses(), hand2Keys = Hits(44), hand1Keys = Hits(44);
            LookupKeys pinnedKeys = Hits(45), pinnedMisses = Misses();
            (string Name, Func<long> Run, bool Hits)[] ways =
            [
                ("raw-pointer hash, hits", () =>
                {
                    long sum = 0;
                    foreach (ulong key in rawKeys.Next())
                    {
                        sum += raw.Get(key);
                    }

                    return sum;
                }, true),
                ("Overlay TryGetValue, function 2, hits", () =>
                {
                    long sum = 0;
                    foreach (ulong key in f2Keys.Next())
                    {
                        if (f2.TryGetValue(key, out Value32.ReadOnlyView value))
                        {
                            sum += value.A;
                        }
                    }

                    return sum;
                }, true),
                ("Overlay TryGetValue, function 1, hits", () =>
                {
                    long sum = 0;
                    foreach (ulong key in f1Keys.Next())
                    {
                        if (f1.TryGetValue(key, out Value32.ReadOnlyView value))
                        {
                            sum += value.A;
                        }
                    }

                    return sum;
                }, true),
                ("Overlay ContainsKey, function 2, misses", () =>
                {
                    long found = 0;
                    foreach (ulong key in f2Misses.Next())
                    {
                        found += f2.ContainsKey(key) ? 1 : 0;
                    }

                    return found;
                }, false),
                ("Overlay ContainsKey, function 1, misses", () =>
                {
                    long found = 0;
                    foreach (ulong key in f1Misses.Next())
                    {
                        found += f1.ContainsKey(key) ? 1 : 0;
                    }

                    return found;
                }, false),
                ("Overlay PinReadOnly, function 2, hits", () => f2.PinReadOnly<Value32.ReadOnlyRef, LookupKeys, long>(pinnedKeys, static (pin, keys) =>
                {
                    long sum = 0;
                    foreach (ulong key in keys.Next())
                    {
                        if (pin.TryGetValue(key, out Value32.ReadOnlyRef value))
                        {
                            sum += value.A;
                        }
                    }

                    return sum;
                }), true),
                ("Overlay PinReadOnly, function 2, misses", () => f2.PinReadOnly<Value32.ReadOnlyRef, LookupKeys, long>(pinnedMisses, static (pin, keys) =>
                {
                    long found = 0;
                    foreach (ulong key in keys.Next())
                    {
                        found += pin.ContainsKey(key) ? 1 : 0;
                    }

                    return found;
                }), false),
                ("HandProbe, function 2 file, hits", () =>
                {
                    long sum = 0;
                    foreach (ulong key in hand2Keys.Next())
                    {
                        sum += hand2.Get(key);
                    }

                    return sum;
                }, true),
                ("HandProbe, function 1 file, hits", () =>
                {
                    long sum = 0;
                    foreach (ulong key in hand1Keys.Next())
                    {
                        sum += hand1.Get(key);
                    }

                    return sum;
                }, true),
            ];

            Console.WriteLine($"# {Environment.ProcessorCount} cores, {rounds} rounds of {Batch:N0} lookups per way, each way once per round in rotating order; load {InterleavedRounds.Load()}");
            Measure(ways, rounds);
            Console.WriteLine($"# load at the end {InterleavedRounds.Load()}");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Build(string path, uint function)
    {
        using var index = MappedHashIndex<ulong, Value32.View>.Create(path, new HashIndexOptions { InitialCapacity = Keys, Seed = Seed, HashFunction = function });
        for (long i = 0; i < Keys; i++)
        {
            index.GetOrAdd(IndexBenchmarks.KeyOf(i)).A = i;
        }

        index.Flush();
    }

    private static void Measure((string Name, Func<long> Run, bool Hits)[] ways, int rounds)
    {
        (double[][] times, long[] sums) = InterleavedRounds.Run(Array.ConvertAll(ways, w => w.Run), rounds, Batch);
        for (int k = 0; k < ways.Length; k++)
        {
            // Every way saw the same keys: the hits' values add up alike, and no miss is found.
            if (ways[k].Hits ? sums[k] != sums[0] : sums[k] != 0)
            {
                throw new InvalidOperationException($"{ways[k].Name} found something else ({sums[k]} against {(ways[k].Hits ? sums[0] : 0)}).");
            }
        }

        double baseline = InterleavedRounds.Median(times[0]);
        for (int k = 0; k < ways.Length; k++)
        {
            double median = InterleavedRounds.Median(times[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ways[k].Name,-42} ns per lookup: min {times[k][0],6:F1}  p25 {times[k][rounds / 4],6:F1}  median {median,6:F1}  ({median / baseline:F2}x raw's median)"));
        }
    }
}
