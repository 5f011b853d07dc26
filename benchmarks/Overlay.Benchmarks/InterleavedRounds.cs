using System;
using System.Diagnostics;
using System.IO;

namespace Overlay.Benchmarks;

/// <summary>
/// The interleaved harnesses' measurement (<c>--hash-side-by-side</c>, <c>--sorted-side-by-side</c>):
/// every way once per round, in an order that rotates each round, so that a load that comes and goes
/// on this shared 2-core machine lands on all ways alike, which one BenchmarkDotNet job after another
/// cannot promise.
/// </summary>
internal static class InterleavedRounds
{
    /// <summary>
    /// Runs each way <paramref name="rounds"/> times after promoting them to tier 1, and returns per
    /// way its times in nanoseconds per lookup (<paramref name="batch"/> lookups a run), sorted, and
    /// the sum of what its runs returned (the values found, to check the ways agree).
    /// </summary>
    public static (double[][] Times, long[] Sums) Run(Func<long>[] ways, int rounds, int batch)
    {
        Tiering.Promote(() =>
        {
            foreach (Func<long> run in ways)
            {
                run();
            }
        });

        var times = new double[ways.Length][];
        var sums = new long[ways.Length];
        for (int k = 0; k < ways.Length; k++)
        {
            times[k] = new double[rounds];
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int j = 0; j < ways.Length; j++)
            {
                int k = (round + j) % ways.Length;
                long start = Stopwatch.GetTimestamp();
                sums[k] += ways[k]();
                times[k][round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / batch;
            }
        }

        foreach (double[] way in times)
        {
            Array.Sort(way);
        }

        return (times, sums);
    }

    /// <summary>The median of times <see cref="Run"/> sorted.</summary>
    public static double Median(double[] sorted) => sorted[sorted.Length / 2];

    /// <summary>The one-minute load average, for the header line (Linux; "?" elsewhere).</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
