using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using FASTER.core;
using Overlay.Indexes;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>FASTER's value: the same 32 bytes as <see cref="Value32"/>, blittable (no serializer).</summary>
public struct FasterValue32
{
    public long A;
    public long B;
    public long C;
    public long D;
}

/// <summary>
/// Issue 10: point lookups (hits) on 1M keys (ulong → 32 bytes), Overlay's hash index against
/// Microsoft.FASTER.Core 2.6.5's <c>FasterKV</c>, side by side in one run. FASTER is configured
/// as a user would for a read-heavy workload that fits in memory: an index of 2^20 buckets (64 MiB,
/// about 7 slots a key), a log device on disk, and an in-memory log of 256 MiB (the 1M records
/// take about 48 MiB), so every read is served from memory, never from the device; one session,
/// one thread. Run with <c>--filter '*IndexFasterBenchmarks*'</c>.
/// </summary>
public class IndexFasterBenchmarks
{
    private const int Keys = 1_000_000;
    private const int Batch = 1000;

    private string _directory = "";
    private LookupKeys _hits = null!;
    private MappedHashIndex<ulong, Value32.ReadOnlyView> _hash = null!;
    private IDevice _device = null!;
    private FasterKV<long, FasterValue32> _faster = null!;
    private ClientSession<long, FasterValue32, FasterValue32, FasterValue32, Empty, SimpleFunctions<long, FasterValue32>> _session = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"overlay-faster-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(_directory);
        _hits = new LookupKeys(Keys, Batch, IndexBenchmarks.KeyOf, seed: 42);

        string hashPath = Path.Combine(_directory, "hash.idx");
        IndexBenchmarks.BuildHash(hashPath);
        _hash = MappedHashIndex<ulong, Value32.ReadOnlyView>.Open(hashPath, MapAccess.Read);

        _device = Devices.CreateLogDevice(Path.Combine(_directory, "faster.log"), deleteOnClose: true);
        _faster = new FasterKV<long, FasterValue32>(
            1L << 20,
            new LogSettings { LogDevice = _device, PageSizeBits = 22, MemorySizeBits = 28, MutableFraction = 0.9 });
        _session = _faster.For(new SimpleFunctions<long, FasterValue32>()).NewSession<SimpleFunctions<long, FasterValue32>>();
        for (long i = 0; i < Keys; i++)
        {
            long key = unchecked((long)IndexBenchmarks.KeyOf(i));
            var value = new FasterValue32 { A = i };
            _session.Upsert(ref key, ref value);
        }

        _session.CompletePending(wait: true);
        // Both read the same first batch: each check starts the keys over.
        long overlay = OverlayHashHits();
        _hits.Restart();
        long faster = FasterHits();
        _hits.Restart();
        if (overlay != faster)
        {
            throw new InvalidOperationException("Overlay and FASTER disagree on the values.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hash.Dispose();
        _session.Dispose();
        _faster.Dispose();
        _device.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public long OverlayHashHits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            if (_hash.TryGetValue(key, out Value32.ReadOnlyView value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long FasterHits()
    {
        long sum = 0;
        FasterValue32 output = default;
        foreach (ulong k in _hits.Next())
        {
            long key = unchecked((long)k);
            Status status = _session.Read(ref key, ref output);
            if (status.Found)
            {
                sum += output.A;
            }
        }

        return sum;
    }
}
