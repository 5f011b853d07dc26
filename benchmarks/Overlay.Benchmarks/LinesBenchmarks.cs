using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue #2, benchmark 2: every line of a 256 MiB file of 80-byte lines, through
/// <see cref="MemoryMap.ReadLine"/> (a new array per line, Python's contract) and through
/// <see cref="MemoryMap.EnumerateLines"/> (spans over the map, nothing allocated per line).
/// Two references that are not library code: a loop of <c>IndexOf('\n')</c> over an exported span
/// (what EnumerateLines does per line), and a scan that compares 32 bytes at a time with <c>\n</c>
/// and walks the bits of the mask (what a line enumerator could do instead).
/// Targets (against Python's readline loop, timed by mmap_bench.py): ReadLine at least 2x,
/// EnumerateLines at least 5x.
/// </summary>
[MemoryDiagnoser]
public class LinesBenchmarks
{
    private MemoryMap _map = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The three loops first run over the first 800 lines, until tier 1.
        _map = MemoryMap.Open(BenchFiles.LinesPath, MapAccess.Read, length: 800 * BenchFiles.LineBytes);
        Tiering.Promote(() =>
        {
            ReadLineLoop();
            EnumerateLines();
            SpanLoop();
            MaskScan();
        });
        _map.Dispose();

        _map = MemoryMap.Open(BenchFiles.LinesPath, MapAccess.Read);
        if (ReadLineLoop() != BenchFiles.LineCount || EnumerateLines() != BenchFiles.LineCount || SpanLoop() != BenchFiles.LineCount || MaskScan() != BenchFiles.LineCount)
        {
            throw new InvalidOperationException("lines.txt does not hold the expected number of lines.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _map.Dispose();

    [Benchmark(Description = "ReadLine() loop")]
    [PerOp(PerOpKind.MillionLinesPerSecond, BenchFiles.LineCount)]
    public long ReadLineLoop()
    {
        MemoryMap map = _map;
        map.Position = 0;
        long count = 0;
        while (map.ReadLine().Length != 0)
        {
            count++;
        }

        return count;
    }

    [Benchmark(Baseline = true, Description = "EnumerateLines()")]
    [PerOp(PerOpKind.MillionLinesPerSecond, BenchFiles.LineCount)]
    public long EnumerateLines()
    {
        _map.Position = 0;
        long count = 0;
        foreach (ReadOnlySpan<byte> line in _map.EnumerateLines())
        {
            count += line.Length >> 63; // touch the span; adds 0
            count++;
        }

        return count;
    }

    [Benchmark(Description = "(reference) span IndexOf('\\n') per line")]
    [PerOp(PerOpKind.MillionLinesPerSecond, BenchFiles.LineCount)]
    public long SpanLoop()
    {
        using ReadOnlyMappedMemory export = _map.AcquireReadOnlyMemory();
        ReadOnlySpan<byte> rest = export.Span;
        long count = 0;
        while (!rest.IsEmpty)
        {
            int newline = rest.IndexOf((byte)'\n');
            rest = newline < 0 ? default : rest.Slice(newline + 1);
            count++;
        }

        return count;
    }

    [Benchmark(Description = "(reference) 32-byte newline mask scan")]
    [PerOp(PerOpKind.MillionLinesPerSecond, BenchFiles.LineCount)]
    public long MaskScan()
    {
        using ReadOnlyMappedMemory export = _map.AcquireReadOnlyMemory();
        ReadOnlySpan<byte> span = export.Span;
        ref byte start = ref MemoryMarshal.GetReference(span);
        Vector256<byte> newline = Vector256.Create((byte)'\n');
        int lineStart = 0;
        long count = 0;
        long bytes = 0;
        int i = 0;
        for (; i <= span.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
        {
            uint mask = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), newline).ExtractMostSignificantBits();
            while (mask != 0)
            {
                int end = i + BitOperations.TrailingZeroCount(mask) + 1;
                ReadOnlySpan<byte> line = span.Slice(lineStart, end - lineStart);
                bytes += line.Length;
                lineStart = end;
                count++;
                mask &= mask - 1;
            }
        }

        for (; i < span.Length; i++)
        {
            if (span[i] == (byte)'\n')
            {
                bytes += i + 1 - lineStart;
                lineStart = i + 1;
                count++;
            }
        }

        if (lineStart < span.Length)
        {
            count++;
        }

        return count + (bytes >> 62); // bytes < 2^62: adds 0, but keeps the slices alive
    }
}
