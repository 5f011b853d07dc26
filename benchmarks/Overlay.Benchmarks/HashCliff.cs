using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Overlay.Indexes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 10's cliff at 50M keys, taken apart (docs/benchmarks/indexes.md, 2026-12-05 "The cliff"):
/// <c>Overlay.Benchmarks --hash-cliff probes N[,N...] [seeds]</c> counts probe lengths;
/// <c>--hash-cliff build DIR N [capacity]</c> builds the files once; <c>--hash-cliff run DIR N
/// [rounds] [batch]</c> times them side by side. Counts first, because the machine's virtual CPU
/// has no hardware performance counters (<c>perf stat -e cycles</c> says "not supported").
/// </summary>
/// <remarks>
/// <c>probes</c>: for each key count, the bulk builder's table (its own plan: capacity and seed),
/// filled as linear probing places the keys (<see cref="IndexBenchmarks.KeyOf"/>, hash function 2),
/// then the probe length (slots read) of every hit and of as many misses (the benchmark's), their
/// mean, p50, p99 and maximum, the 64-byte lines and 4 KiB pages one lookup touches, and linear
/// probing's expectation at that load (Knuth: ½(1 + 1/(1 − α)) for a hit, ½(1 + 1/(1 − α)²) for a
/// miss); beside it the raw-pointer hash's table (<see cref="RawHash"/>: 40-byte slots, about half
/// full). <c>run</c>: the files of <c>build</c> opened read-only, every page read once, then rounds
/// that each look up the next batch of random keys in every way in a rotating order (so that load
/// falls on every way alike), with the minor and major page faults of each way's lookups (from
/// <c>/proc/self/stat</c>): a fault in the timed loop means the warm-up did not leave the page mapped.
/// </remarks>
internal static unsafe partial class HashCliff
{
    private const int HashStride = 48;
    private const int RawStride = 40;

    public static int Run(string[] args) => args.Length > 1 ? args[1] switch
    {
        "probes" => Probes(args),
        "build" => Build(args),
        "run" => Time(args),
        _ => Usage(),
    } : Usage();

    private static int Usage()
    {
        Console.Error.WriteLine("--hash-cliff probes N[,N...] [seeds] | build DIR N [capacity] | run DIR N [rounds] [batch] [pattern]");
        return 2;
    }

    private static int Probes(string[] args)
    {
        int[] counts = args[2].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        int seeds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        foreach (int n in counts)
        {
            using var planner = new HashIndexBuilder<ulong, Value32.ReadOnlyView>();
            long capacity = (long)MappedHashIndex<ulong, Value32.ReadOnlyView>.PlanNew(new HashIndexOptions { InitialCapacity = n }, planner.KeyFormat, out _).Capacity;
            double load = (double)n / capacity;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {n:N0} keys, 2^{System.Numerics.BitOperations.Log2((ulong)capacity)} slots, load {load:P1}; theory (random placement): hit {(1 + (1 / (1 - load))) / 2:F2}, miss {(1 + (1 / ((1 - load) * (1 - load)))) / 2:F2} slots"));
            for (int s = 0; s < seeds; s++)
            {
                ulong prepared = StableHash.PrepareSeed(SplitMix((ulong)s + 0xC11FF));
                Report($"  hash fn 2, seed {s}", n, capacity, HashStride, k =>
                {
                    ulong h = StableHash.Hash8Fold(k, prepared);
                    return (long)((h > 1 ? h : h + 2) & (ulong)(capacity - 1));
                });
            }

            Report("  hash fn 2, random keys", n, capacity, HashStride, k =>
            {
                ulong h = StableHash.Hash8Fold(SplitMix(k), StableHash.PrepareSeed(7));
                return (long)((h > 1 ? h : h + 2) & (ulong)(capacity - 1));
            });
            int rawBits = Math.Max(21, 64 - System.Numerics.BitOperations.LeadingZeroCount(((ulong)n * 2) - 1));
            Report($"  raw (2^{rawBits}, load {(double)n / (1L << rawBits):P1})", n, 1L << rawBits, RawStride, k => (long)((k * 0x9E3779B97F4A7C15UL) >> (64 - rawBits)));
        }

        return 0;
    }

    /// <summary>Places <paramref name="n"/> keys by linear probing (no wrap: a tail past the end), then counts each hit's and miss's probe.</summary>
    private static void Report(string name, int n, long capacity, int stride, Func<ulong, long> home)
    {
        long[] homes = new long[n];
        for (int i = 0; i < n; i++)
        {
            homes[i] = home(IndexBenchmarks.KeyOf(i));
        }

        Array.Sort(homes);
        long tail = Math.Max(1024, capacity / 64);
        ulong[] occupied = new ulong[(capacity + tail + 63) / 64];
        var hits = new Stats(stride);
        long next = 0;
        foreach (long h in homes)
        {
            long at = Math.Max(h, next);
            occupied[at >> 6] |= 1UL << (int)(at & 63);
            hits.Add(h, at - h + 1);
            next = at + 1;
        }

        var misses = new Stats(stride);
        for (int i = 0; i < n; i++)
        {
            long h = home(IndexBenchmarks.KeyOf(n + i) & ~1UL);
            long at = h;
            while ((occupied[at >> 6] & (1UL << (int)(at & 63))) != 0)
            {
                at++;
            }

            misses.Add(h, at - h + 1);
        }

        Console.WriteLine($"{name,-36} hits   {hits}");
        Console.WriteLine($"{"",-36} misses {misses}");
    }

    private sealed class Stats(int stride)
    {
        private readonly List<long> _lengths = [];
        private double _lines;
        private double _pages;

        public void Add(long home, long slots)
        {
            _lengths.Add(slots);
            long first = home * stride;
            long last = ((home + slots) * stride) - 1;
            _lines += (last >> 6) - (first >> 6) + 1;
            _pages += (last >> 12) - (first >> 12) + 1;
        }

        public override string ToString()
        {
            _lengths.Sort();
            int c = _lengths.Count;
            return string.Create(CultureInfo.InvariantCulture,
                $"slots mean {_lengths.Average():F2} p50 {_lengths[c / 2]} p99 {_lengths[(int)(c * 0.99)]} max {_lengths[^1]}; lines {_lines / c:F2}, pages {_pages / c:F3}");
        }
    }

    private static int Build(string[] args)
    {
        string directory = args[2];
        int n = int.Parse(args[3], CultureInfo.InvariantCulture);
        long capacity = args.Length > 4 ? long.Parse(args[4], CultureInfo.InvariantCulture) : 0;
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        string name = capacity == 0 ? "hash.idx" : $"hash-{capacity}.idx";
        using (var builder = new HashIndexBuilder<ulong, Value32.View>(runDirectory: directory))
        {
            for (int i = 0; i < n; i++)
            {
                builder.Add(IndexBenchmarks.KeyOf(i), new Value32 { A = i });
            }

            builder.Build(Path.Combine(directory, name), capacity == 0 ? null : new HashIndexOptions { InitialCapacity = capacity });
        }

        Console.WriteLine($"{name}: {clock.Elapsed.TotalSeconds:F1} s");
        if (!File.Exists(Path.Combine(directory, "raw.bin")))
        {
            clock.Restart();
            RawHash.BuildInSlotOrder(Path.Combine(directory, "raw.bin"), n).Dispose();
            Console.WriteLine($"raw.bin: {clock.Elapsed.TotalSeconds:F1} s");
        }

        return 0;
    }

    private static int Time(string[] args)
    {
        string directory = args[2];
        int n = int.Parse(args[3], CultureInfo.InvariantCulture);
        int rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50;
        int batch = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 100_000;
        string pattern = args.Length > 6 ? args[6] : "hash*.idx";
        var hits = new LookupKeys(n / batch * batch, batch, IndexBenchmarks.KeyOf, seed: 42);
        var misses = new LookupKeys(n / batch * batch, batch, i => IndexBenchmarks.KeyOf(n + i) & ~1UL, seed: 43);
        var raw = RawHash.Open(Path.Combine(directory, "raw.bin"), n);
        var ways = new List<(string Name, Func<ReadOnlySpan<ulong>, long> Lookup, LookupKeys Keys)>
        {
            ("raw hits", keys => { long s = 0; foreach (ulong k in keys) { s += raw.Get(k); } return s; }, hits),
        };
        var opened = new List<IDisposable> { raw };
        string prep = Environment.GetEnvironmentVariable("OVERLAY_CLIFF_PREP") ?? "none";
        foreach (string path in Directory.GetFiles(directory, pattern).Order())
        {
            Prepare(path, prep);
            var index = MappedHashIndex<ulong, Value32.ReadOnlyView>.Open(path, MapAccess.Read);
            var hand = new HandProbe(path);
            opened.Add(index);
            opened.Add(hand);
            string file = Path.GetFileName(path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {file}: {index.Count:N0} keys, {index.Capacity:N0} slots, load {(double)index.Count / index.Capacity:P1}"));
            long sum = 0;
            foreach (var entry in index)
            {
                sum += entry.Value.A;
            }

            ways.Add(($"{file} hits", keys =>
            {
                long s = 0;
                foreach (ulong k in keys)
                {
                    if (index.TryGetValue(k, out Value32.ReadOnlyView v))
                    {
                        s += v.A;
                    }
                }

                return s;
            }, hits));
            ways.Add(($"{file} hand hits", keys => { long s = 0; foreach (ulong k in keys) { s += hand.Get(k); } return s; }, hits));
            ways.Add(($"{file} misses", keys => { long s = 0; foreach (ulong k in keys) { s += index.ContainsKey(k) ? 1 : 0; } return s; }, misses));
            GC.KeepAlive(sum);
        }

        raw.Touch();
        Mappings(directory);
        var times = ways.Select(_ => new List<double>()).ToArray();
        long[] minor = new long[ways.Count];
        long[] major = new long[ways.Count];

        // One untimed round: every way's code tiered up before the first timed one.
        for (int w = 0; w < ways.Count; w++)
        {
            for (int j = 0; j < 40; j++)
            {
                ways[w].Lookup(ways[w].Keys.Next());
            }
        }

        for (int r = 0; r < rounds; r++)
        {
            ReadOnlySpan<ulong> hitBatch = hits.Next();
            ReadOnlySpan<ulong> missBatch = misses.Next();
            for (int j = 0; j < ways.Count; j++)
            {
                int w = (r + j) % ways.Count;
                ReadOnlySpan<ulong> keys = ways[w].Keys == hits ? hitBatch : missBatch;
                (long minor0, long major0) = Faults();
                long start = ThreadCpuNanoseconds();
                ways[w].Lookup(keys);
                double ns = (double)(ThreadCpuNanoseconds() - start) / keys.Length;
                (long minor1, long major1) = Faults();
                times[w].Add(ns);
                minor[w] += minor1 - minor0;
                major[w] += major1 - major0;
            }
        }

        Console.WriteLine($"# {rounds} rounds of {batch:N0} random keys per way, rotating order; ns of this thread's CPU time per lookup over the rounds (time preempted by other processes left out); faults summed");
        for (int w = 0; w < ways.Count; w++)
        {
            List<double> t = times[w];
            t.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {ways[w].Name,-36} min {t[0],7:F1}  p25 {t[t.Count / 4],7:F1}  median {t[t.Count / 2],7:F1}  minor faults {minor[w],8}  major {major[w],4}"));
        }

        foreach (IDisposable d in opened)
        {
            d.Dispose();
        }

        return 0;
    }

    /// <summary>
    /// How the kernel maps each file of <paramref name="directory"/> in this process (<c>/proc/self/smaps</c>):
    /// resident size and the part mapped by 2 MiB entries (<c>FilePmdMapped</c>), which is one TLB entry
    /// where 4 KiB pages need 512.
    /// </summary>
    internal static void Mappings(string directory)
    {
        string? current = null;
        var shown = new List<string>();
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-'))
            {
                int at = line.IndexOf('/');
                current = at >= 0 && line[at..].StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal) ? line[at..] : null;
                if (current != null)
                {
                    shown.Add(line.Split(' ')[0] + " " + Path.GetFileName(current));
                }
            }
            else if (current != null && (line.StartsWith("Size:", StringComparison.Ordinal) || line.StartsWith("Rss:", StringComparison.Ordinal)
                || line.StartsWith("FilePmdMapped:", StringComparison.Ordinal) || line.StartsWith("VmFlags:", StringComparison.Ordinal)))
            {
                shown[^1] += "  " + string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        foreach (string mapping in shown)
        {
            Console.WriteLine("# map " + mapping);
        }
    }

    /// <summary>
    /// Puts a file's pages in the page cache one way or another before it is opened
    /// (<c>OVERLAY_CLIFF_PREP</c>): <c>none</c> leaves them as they are; <c>drop</c> evicts them
    /// (<c>POSIX_FADV_DONTNEED</c>), so the warm-up reads them back through readahead;
    /// <c>huge</c> evicts them and reads them back through a map advised <c>MADV_HUGEPAGE</c>
    /// (2 MiB folios where the kernel can); <c>collapse</c> asks <c>MADV_COLLAPSE</c> of them in place.
    /// </summary>
    private static void Prepare(string path, string prep)
    {
        if (prep is "drop" or "huge")
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
            int result = PosixFadvise((int)file.SafeFileHandle.DangerousGetHandle(), 0, 0, 4);
            Console.WriteLine($"# {Path.GetFileName(path)}: POSIX_FADV_DONTNEED {result}");
        }

        if (prep is "huge" or "collapse")
        {
            using var map = MemoryMap.Open(path, MapAccess.Read);
            long start = Stopwatch.GetTimestamp();
            try
            {
                map.Advise(prep == "huge" ? MapAdvice.HugePage : MapAdvice.Collapse);
                if (prep == "huge")
                {
                    map.Advise(MapAdvice.PopulateRead);
                }

                Console.WriteLine($"# {Path.GetFileName(path)}: {prep} took {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s");
            }
            catch (MapIOException e)
            {
                Console.WriteLine($"# {Path.GetFileName(path)}: {prep} refused: {e.Message}");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, long* timespec);

    private static long ThreadCpuNanoseconds()
    {
        long* t = stackalloc long[2];
        ClockGetTime(3, t); // CLOCK_THREAD_CPUTIME_ID
        return (t[0] * 1_000_000_000) + t[1];
    }

    /// <summary>This process's minor and major page faults so far (<c>/proc/self/stat</c> fields 10 and 12).</summary>
    private static (long Minor, long Major) Faults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[7], CultureInfo.InvariantCulture), long.Parse(fields[9], CultureInfo.InvariantCulture));
    }

    private static ulong SplitMix(ulong x)
    {
        x = unchecked(x * 0x9E3779B97F4A7C15UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }
}
