using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Overlay.Indexes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 10, "the same at 50M keys": lookups in a hash index built by <see cref="HashIndexBuilder{TKey, TValue}"/>
/// and a sorted index built by <see cref="SortedIndexBuilder{TKey, TValue}"/> (ulong → 32 bytes),
/// at each key count of <c>OVERLAY_INDEX_SCALE_KEYS</c> (comma-separated; default 1M;
/// <c>benchmarks/index-50m.sh</c> runs 1M and 50M side by side): hash hits and misses, sorted point
/// hits, and scans of 1,000 keys from random starts; random keys, 1,000 per invocation. Beside
/// them the baseline, the raw-pointer hash (<see cref="RawHash"/>) at the same key count, built by
/// <see cref="RawHash.BuildInSlotOrder"/> (cheaply, not synced: its build is not measured). Warm
/// cache: after the builds, every page of the three files is read once through the map the
/// lookups use, so a lookup pays neither a disk read nor a first-touch fault. Each key count's
/// files are built once per process and shared by the five benchmarks; they are deleted when the
/// process exits.
/// </summary>
public class IndexScaleBenchmarks
{
    private const int Batch = 1000;

    private static readonly Dictionary<int, Fixture> s_fixtures = [];

    private Fixture _fixture = null!;

    /// <summary>The key counts: <c>OVERLAY_INDEX_SCALE_KEYS</c>, comma-separated; 1M by default.</summary>
    public static IEnumerable<int> KeyCounts =>
        (Environment.GetEnvironmentVariable("OVERLAY_INDEX_SCALE_KEYS") ?? "1000000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => int.Parse(k, System.Globalization.CultureInfo.InvariantCulture));

    [ParamsSource(nameof(KeyCounts))]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!s_fixtures.TryGetValue(Keys, out Fixture? fixture))
        {
            fixture = new Fixture(Keys);
            s_fixtures[Keys] = fixture;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => fixture.Dispose();
        }

        _fixture = fixture;
        Tiering.Promote(() =>
        {
            RawPointerHashHits();
            HashHits();
            HashMisses();
            SortedHits();
        });
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public long RawPointerHashHits()
    {
        long sum = 0;
        RawHash raw = _fixture.Raw;
        foreach (ulong key in _fixture.Hits.Next())
        {
            sum += raw.Get(key);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long HashHits()
    {
        long sum = 0;
        MappedHashIndex<ulong, Value32.ReadOnlyView> hash = _fixture.Hash;
        foreach (ulong key in _fixture.Hits.Next())
        {
            if (hash.TryGetValue(key, out Value32.ReadOnlyView value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int HashMisses()
    {
        int found = 0;
        MappedHashIndex<ulong, Value32.ReadOnlyView> hash = _fixture.Hash;
        foreach (ulong key in _fixture.Misses.Next())
        {
            found += hash.ContainsKey(key) ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long SortedHits()
    {
        long sum = 0;
        MappedSortedIndex<ulong, Value32.ReadOnlyView> sorted = _fixture.Sorted;
        foreach (ulong key in _fixture.Hits.Next())
        {
            if (sorted.TryGetValue(key, out Value32.ReadOnlyView value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    /// <summary>16 scans of 1,000 keys each: the time per key.</summary>
    [Benchmark(OperationsPerInvoke = 16 * 1000)]
    public long SortedScan1000()
    {
        long sum = 0;
        foreach (ulong from in _fixture.RangeStarts.Next())
        {
            int n = 0;
            foreach (var entry in _fixture.Sorted.Range(from, ulong.MaxValue))
            {
                sum += entry.Value.A;
                if (++n == 1000)
                {
                    break;
                }
            }
        }

        return sum;
    }

    /// <summary>One key count's two index files and raw table, open read-only, and its random keys.</summary>
    private sealed class Fixture : IDisposable
    {
        private readonly string _directory;

        public Fixture(int keys)
        {
            _directory = Path.Combine(Path.GetTempPath(), $"overlay-index-scale-{Environment.ProcessId}-{keys}");
            Directory.CreateDirectory(_directory);
            var random = new Random(42);
            Hits = new LookupKeys(keys, Batch, IndexBenchmarks.KeyOf, seed: 42);
            Misses = new LookupKeys(keys, Batch, i => IndexBenchmarks.KeyOf(keys + i) & ~1UL, seed: 43); // even: never a key

            // Below the largest key, so that every scan finds 1,000 keys.
            RangeStarts = new LookupKeys(16 * 1000, 16, _ => (ulong)random.NextInt64(long.MaxValue), seed: 44);

            string hashPath = Path.Combine(_directory, "hash.idx");
            string sortedPath = Path.Combine(_directory, "sorted.idx");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (var builder = new HashIndexBuilder<ulong, Value32.View>(runDirectory: _directory))
            {
                for (int i = 0; i < keys; i++)
                {
                    builder.Add(IndexBenchmarks.KeyOf(i), new Value32 { A = i });
                }

                builder.Build(hashPath);
            }

            Console.WriteLine($"// IndexScaleBenchmarks: {keys} keys, hash index built in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(hashPath).Length} bytes)");
            clock.Restart();
            using (var builder = new SortedIndexBuilder<ulong, Value32.ReadOnlyView>(runDirectory: _directory))
            {
                for (int i = 0; i < keys; i++)
                {
                    builder.Add(IndexBenchmarks.KeyOf(i), new Value32 { A = i });
                }

                builder.Build(sortedPath);
            }

            Console.WriteLine($"// IndexScaleBenchmarks: {keys} keys, sorted index built in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(sortedPath).Length} bytes)");
            clock.Restart();
            Raw = RawHash.BuildInSlotOrder(Path.Combine(_directory, "raw.bin"), keys);
            Console.WriteLine($"// IndexScaleBenchmarks: {keys} keys, raw-pointer hash built in slot order in {clock.Elapsed.TotalSeconds:F1} s (not synced)");
            Hash = MappedHashIndex<ulong, Value32.ReadOnlyView>.Open(hashPath, MapAccess.Read);
            Sorted = MappedSortedIndex<ulong, Value32.ReadOnlyView>.Open(sortedPath);

            // Warm: every page read once through the maps the lookups use.
            long sum = 0;
            foreach (var entry in Hash)
            {
                sum += entry.Value.A;
            }

            foreach (var entry in Sorted.Range(0, ulong.MaxValue))
            {
                sum += entry.Value.A;
            }

            sum += Raw.Touch();

            // The baseline answers what the index answers (the slot-order build is not Put's).
            foreach (ulong key in Hits.Next())
            {
                if (Raw.Get(key) != Hash.GetValue(key).A)
                {
                    throw new InvalidOperationException($"The raw-pointer hash's value for key {key} is not the index's.");
                }
            }

            Hits.Restart();
            Console.WriteLine($"// IndexScaleBenchmarks: {keys} keys, warmed (checksum {sum})");

            // How much of each map the kernel holds in 2 MiB entries: lookups in the 4 KiB-mapped
            // parts cost many times more (docs/benchmarks/indexes.md, "The cliff at 50M keys").
            if (OperatingSystem.IsLinux())
            {
                HashCliff.Mappings(_directory);
            }
        }

        public LookupKeys Hits { get; }

        public LookupKeys Misses { get; }

        public LookupKeys RangeStarts { get; }

        public RawHash Raw { get; }

        public MappedHashIndex<ulong, Value32.ReadOnlyView> Hash { get; }

        public MappedSortedIndex<ulong, Value32.ReadOnlyView> Sorted { get; }

        public void Dispose()
        {
            Hash.Dispose();
            Sorted.Dispose();
            Raw.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
