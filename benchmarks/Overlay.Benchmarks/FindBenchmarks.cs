using System;
using BenchmarkDotNet.Attributes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue #2, benchmark 1: <see cref="MemoryMap.Find"/> of an absent 8-byte needle over the whole
/// 256 MiB map against <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
/// over the same mapped bytes (a span exported by <see cref="MemoryMap.AcquireReadOnlyMemory"/>).
/// Target: Find at least 0.8x as fast as IndexOf (Ratio at most 1.25).
/// </summary>
public class FindBenchmarks
{
    private MemoryMap _map = null!;
    private ReadOnlyMappedMemory _export = null!;
    private byte[] _needle = null!;

    [GlobalSetup]
    public void Setup()
    {
        _needle = BenchFiles.Needle;

        // Both benchmarks first run on the first 64 KiB of the file, until tier 1.
        _map = MemoryMap.Open(BenchFiles.DataPath, MapAccess.Read, length: 64 * 1024);
        _export = _map.AcquireReadOnlyMemory();
        Tiering.Promote(() =>
        {
            SpanIndexOf();
            MemoryMapFind();
        });
        Cleanup();

        _map = MemoryMap.Open(BenchFiles.DataPath, MapAccess.Read);
        _export = _map.AcquireReadOnlyMemory();
        if (MemoryMapFind() != -1 || SpanIndexOf() != -1)
        {
            throw new InvalidOperationException("The needle occurs in data.bin: pick another.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _export.Dispose();
        _map.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Span.IndexOf (same mapped bytes)")]
    [PerOp(PerOpKind.GigabytesPerSecond, BenchFiles.DataBytes)]
    public int SpanIndexOf() => _export.Span.IndexOf(_needle);

    [Benchmark(Description = "MemoryMap.Find")]
    [PerOp(PerOpKind.GigabytesPerSecond, BenchFiles.DataBytes)]
    public long MemoryMapFind() => _map.Find(_needle, 0);
}
