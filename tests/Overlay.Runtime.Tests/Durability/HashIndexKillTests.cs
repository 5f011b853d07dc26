using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
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

        var random = new Random((trial * 31) + 11);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll"));
        start.ArgumentList.Add("hash-index-writer");
        start.Environment["OVERLAY_PROBE_INDEX"] = temp.Path;
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

        HashIndexCrashCheck.Check(temp.Path, flushed, touched, $"trial {trial} (killed after batch {batch}, {flushed.Count} entries flushed)");
        return (batch, capacity);
    }
}
