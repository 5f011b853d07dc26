using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Overlay.Indexes;
using Overlay.Probes;
using Overlay.Tests.Indexes;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// Process crash of a hash index (issue 10): a child (<c>tests/Overlay.Probes</c>, scenario
/// <c>hash-index-writer</c>, <see cref="IndexKillWorkload"/>) sets and removes keys over a widening
/// key space (so the table grows again and again, with a 2-slot tail that makes doublings carry
/// entries), flushes after each batch and reports it; it is killed with SIGKILL at a random moment,
/// and the file, reopened with recovery, must hold exactly the reported batch's state except for
/// the keys the next batch changed (<see cref="HashIndexCrashCheck"/>). 100 trials in CI, four
/// children at a time; <c>scripts/index-durability.sh N</c> for more.
/// </summary>
public class HashIndexKillTests
{
    private readonly ITestOutputHelper _output;

    public HashIndexKillTests(ITestOutputHelper output) => _output = output;

    private static int Trials =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_INDEX_KILL_TRIALS"), out int n) && n > 0 ? n : 100;

    [Fact]
    public void EveryFlushedEntrySurvivesSigkill()
    {
        var stopwatch = Stopwatch.StartNew();
        int trials = Trials;
        var reports = new (long Batch, long Capacity)[trials];
        Parallel.For(0, trials, new ParallelOptions { MaxDegreeOfParallelism = 4 }, trial => reports[trial] = Trial(trial));
        long batches = 0;
        long largest = 0;
        foreach ((long batch, long capacity) in reports)
        {
            batches += batch + 1;
            largest = Math.Max(largest, capacity);
        }

        _output.WriteLine($"{trials} kill trials passed in {stopwatch.Elapsed.TotalSeconds:F1} s; the children reported {batches} flushed batches in all, the largest table {largest} slots");
    }

    /// <summary>One child, killed after a random delay; returns the last batch it reported and its capacity then.</summary>
    private static (long Batch, long Capacity) Trial(int trial)
    {
        using var temp = new TempPath();
        MappedHashIndex<ulong, TwinValue>.Create(temp.Path, new HashIndexOptions { InitialCapacity = 8, TailSlots = 2, MaxLoadPercent = 90, Seed = 0x1D3A }).Dispose();

        (long batch, long capacity, Dictionary<ulong, ulong> flushed, Dictionary<ulong, HashSet<ulong>> touched) =
            IndexKillChild.RunAndKill(trial, "hash-index-writer", "OVERLAY_PROBE_INDEX", temp.Path);

        HashIndexCrashCheck.Check(temp.Path, flushed, touched, $"trial {trial} (killed after batch {batch}, {flushed.Count} entries flushed)");
        return (batch, capacity);
    }
}
