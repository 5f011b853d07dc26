using System;
using System.Threading;

namespace Overlay.Benchmarks;

/// <summary>
/// Brings the code a benchmark runs to tier 1 before BenchmarkDotNet measures it. An operation
/// over 256 MiB takes tens of milliseconds, so the short job calls it only about 20 times before
/// the measured iterations: fewer than the 30 calls after which the runtime recompiles a method
/// (MemoryMap.Find, SpanHelpers.IndexOf, ...) at tier 1, and the first run measured tier-0 or
/// ReadyToRun code. Setup therefore runs the same code on a small input often enough, with pauses
/// for the call-counting delay and the background compilation.
/// </summary>
internal static class Tiering
{
    public static void Promote(Action smallWork)
    {
        for (int round = 0; round < 4; round++)
        {
            for (int i = 0; i < 60; i++)
            {
                smallWork();
            }

            Thread.Sleep(150);
        }
    }
}
