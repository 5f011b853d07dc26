using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
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

        var random = new Random((trial * 31) + 11);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll"));
        start.ArgumentList.Add("hash-index-section-writer");
        start.Environment["OVERLAY_PROBE_CONTAINER"] = temp.Path;
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";

        var lines = new List<string>();
        using var firstReport = new ManualResetEventSlim();
        using Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                firstReport.Set();
            }
        };
        process.BeginOutputReadLine();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!firstReport.Wait(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            Assert.Fail($"trial {trial}: the child reported nothing in a minute; stderr:\n{error.Result}");
        }

        Thread.Sleep(random.Next(0, 150));
        process.Kill();
        process.WaitForExit();

        long batch = -1;
        long capacity = 0;
        lock (lines)
        {
            foreach (string line in lines)
            {
                string[] parts = line.Split(' ');
                if (parts.Length == 4 && parts[0] == "flushed")
                {
                    batch = long.Parse(parts[1], CultureInfo.InvariantCulture);
                    capacity = long.Parse(parts[3], CultureInfo.InvariantCulture);
                }
            }
        }

        Dictionary<ulong, ulong> flushed = IndexKillWorkload.Replay(batch);
        var touched = new Dictionary<ulong, HashSet<ulong>>();
        foreach ((ulong key, ulong? value) in IndexKillWorkload.Batch(batch + 1))
        {
            if (!touched.TryGetValue(key, out HashSet<ulong>? values))
            {
                touched[key] = values = [];
            }

            if (value is { } v)
            {
                values.Add(v);
            }
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, IndexKillWorkload.ContainerTag))
        using (MappedHashIndex<ulong, TwinValue> index = container.HashIndex<ulong, TwinValue>("index", recover: true))
        {
            HashIndexCrashCheck.Check(index, flushed, touched, $"trial {trial} (killed after batch {batch}, {flushed.Count} entries committed)");
        }
        return (batch, capacity);
    }
}
