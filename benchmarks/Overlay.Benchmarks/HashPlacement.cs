using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Overlay.Indexes;

namespace Overlay.Benchmarks;

/// <summary>
/// How evenly hash functions 1 and 2 place structured key sets (docs/indexes.md, "What function 2
/// gives up"): <c>Overlay.Benchmarks --hash-placement [bits] [seeds]</c>. For each key set and
/// function, a table of 2^bits home slots is filled to 75 % under each of <c>seeds</c> seeds, as
/// linear probing places them (the home is the stored hash's low bits; the total displacement does
/// not depend on the insertion order), and the mean displacement per key (slots past its home)
/// is reported: its mean, 99th percentile and worst over the seeds, and how many seeds pass 3 slots
/// (twice what a random placement gives, 1.5). A count, not a time: it runs no lookups.
/// </summary>
/// <remarks>
/// "candidate" is not a function files can record: function 2 followed by <c>h ^ (h &gt;&gt; 32)</c>,
/// measured here only for placement, as a possible definition of a later function.
/// </remarks>
internal static class HashPlacement
{
    public static int Run(string[] args)
    {
        int bits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        int seeds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        long capacity = 1L << bits;
        int count = (int)(capacity * 3 / 4);
        (string Name, Func<long, ulong> Key)[] keySets =
        [
            ("0, 1, 2, ...", i => (ulong)i),
            ("i << 20", i => (ulong)i << 20),
            ("i << 32", i => (ulong)i << 32),
            ("i * 4096", i => (ulong)i * 4096),
            ("IndexBenchmarks.KeyOf", IndexBenchmarks.KeyOf),
            ("random (splitmix64)", i => SplitMix((ulong)i)),
        ];
        (string Name, Func<ulong, ulong, ulong> Hash)[] functions =
        [
            ("function 1", StableHash.Hash8),
            ("function 2", StableHash.Hash8Fold),
            ("function 2 without its last shift (as first drafted)", (key, seed) =>
            {
                ulong high = Math.BigMul(((key << 32) | (key >> 32)) ^ 0xe7037ed1a0b428dbUL, key ^ seed, out ulong low);
                return high ^ low;
            }),
        ];

        Console.WriteLine($"# 2^{bits} home slots, {count:N0} keys (75 %), {seeds} seeds; mean displacement per key, over the seeds");
        long[] homes = new long[count];
        foreach ((string keyName, Func<long, ulong> key) in keySets)
        {
            foreach ((string functionName, Func<ulong, ulong, ulong> hash) in functions)
            {
                var means = new List<double>(seeds);
                long longest = 0;
                for (int s = 0; s < seeds; s++)
                {
                    ulong prepared = StableHash.PrepareSeed(SplitMix((ulong)s + 0x5EED));
                    for (int i = 0; i < count; i++)
                    {
                        ulong h = hash(key(i), prepared);
                        homes[i] = (long)((h > 1 ? h : h + 2) & (ulong)(capacity - 1));
                    }

                    Array.Sort(homes);
                    long next = 0;
                    long total = 0;
                    foreach (long home in homes)
                    {
                        long at = Math.Max(home, next);
                        total += at - home;
                        longest = Math.Max(longest, at - home);
                        next = at + 1;
                    }

                    means.Add((double)total / count);
                }

                means.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {keyName,-22} {functionName,-10}  mean {means.Average(),6:F2}  p99 {means[seeds * 99 / 100],6:F2}  worst {means[^1],7:F2}  seeds over 3: {means.Count(m => m > 3),4}  longest displacement {longest}"));
            }
        }

        return 0;
    }

    private static ulong SplitMix(ulong x)
    {
        x = unchecked(x * 0x9E3779B97F4A7C15UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }
}
