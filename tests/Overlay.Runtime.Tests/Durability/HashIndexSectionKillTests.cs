using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Probes;
using Overlay.Tests.Indexes;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// Process crash of a hash index in a container section (issue 10): the workload of
/// <see cref="HashIndexKillTests"/> in a child (scenario <c>hash-index-section-writer</c>) that also
/// grows another section each batch (so the index's section relocates to grow and the map moves)
/// and commits the container after each batch; killed with SIGKILL at a random moment, the
/// container reopened and its index recovered must hold exactly the last reported commit's state
/// except for the keys the next batch changed (<see cref="HashIndexCrashCheck"/>). 40 trials in
/// CI, four children at a time (<c>OVERLAY_INDEX_KILL_TRIALS</c> for more).
/// </summary>
public class HashIndexSectionKillTests
{
    private readonly ITestOutputHelper _output;

    public HashIndexSectionKillTests(ITestOutputHelper output) => _output = output;

    private static int Trials =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_INDEX_KILL_TRIALS"), out int n) && n > 0 ? n : 40;

    [Fact]
    public void EveryCommittedEntrySurvivesSigkill()
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

        _output.WriteLine($"{trials} kill trials of the section form passed in {stopwatch.Elapsed.TotalSeconds:F1} s; the children reported {batches} flushed batches in all, the largest table {largest} slots");
    }

    /// <summary>One child, killed after a random delay; returns the last batch it reported and its capacity then.</summary>
    private static (long Batch, long Capacity) Trial(int trial)
    {
        using var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, IndexKillWorkload.ContainerTag))
        {
            container.AddHashIndex<ulong, TwinValue>("index", new HashIndexOptions { InitialCapacity = 8, TailSlots = 2, MaxLoadPercent = 90, Seed = 0x1D3A }).Dispose();
            container.AddRaw("other");
            container.Commit();
        }

        (long batch, long capacity, Dictionary<ulong, ulong> flushed, Dictionary<ulong, HashSet<ulong>> touched) =
            IndexKillChild.RunAndKill(trial, "hash-index-section-writer", "OVERLAY_PROBE_CONTAINER", temp.Path);

        using (MappedContainer container = MappedContainer.Open(temp.Path, IndexKillWorkload.ContainerTag))
        using (MappedHashIndex<ulong, TwinValue> index = container.HashIndex<ulong, TwinValue>("index", recover: true))
        {
            HashIndexCrashCheck.Check(index, flushed, touched, $"trial {trial} (killed after batch {batch}, {flushed.Count} entries committed)");
        }
        return (batch, capacity);
    }
}
