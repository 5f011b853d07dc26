using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Overlay.Probes;
using Xunit;

namespace Overlay.Tests.Durability;

/// <summary>
/// The child half of the hash index kill trials (<see cref="HashIndexKillTests"/>,
/// <see cref="HashIndexSectionKillTests"/>): starts a probe scenario running
/// <see cref="IndexKillWorkload"/> on a file, kills it with SIGKILL a random moment after its first
/// report, and returns what the crashed file must hold: the last reported durable batch's entries,
/// and the values the next batch may have left for each key it touched.
/// </summary>
internal static class IndexKillChild
{
    /// <summary>Runs one trial's child to its kill.</summary>
    /// <param name="trial">The trial number (seeds the delay, names the trial in failures).</param>
    /// <param name="scenario">The probe scenario.</param>
    /// <param name="variable">The environment variable that gives the scenario its file.</param>
    /// <param name="path">The file.</param>
    public static (long Batch, long Capacity, Dictionary<ulong, ulong> Durable, Dictionary<ulong, HashSet<ulong>> Touched) RunAndKill(
        int trial, string scenario, string variable, string path)
    {
        var random = new Random((trial * 31) + 11);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll"));
        start.ArgumentList.Add(scenario);
        start.Environment[variable] = path;
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

        Dictionary<ulong, ulong> durable = IndexKillWorkload.Replay(batch);
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

        return (batch, capacity, durable, touched);
    }
}
