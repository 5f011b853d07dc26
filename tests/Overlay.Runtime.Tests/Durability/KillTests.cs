using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Overlay.Layouts;
using Overlay.Probes;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

using ReadOnlyKillFile = RecordFile<KillHeader.ReadOnlyView, KillRecord.ReadOnlyView>;
using WritableKillFile = RecordFile<KillHeader.View, KillRecord.View>;

/// <summary>
/// Process crash (issue 11): a child (<c>tests/Overlay.Probes</c>, scenario <c>durability-writer</c>,
/// <see cref="KillWorkload"/>) appends, edits in place and flushes, printing the count after each
/// flush; it is killed with SIGKILL at a random moment, and the file, reopened in the same boot,
/// must hold every record of every batch the child reported, byte for byte, and of the batch it was
/// in, only records it had fully appended, with its edit made, half made or not. 200 trials in CI,
/// four children at a time; <c>scripts/durability.sh N</c> for more.
/// </summary>
public class KillTests
{
    private readonly ITestOutputHelper _output;

    public KillTests(ITestOutputHelper output) => _output = output;

    private static int Trials =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_KILL_TRIALS"), out int n) && n > 0 ? n : 200;

    [Fact]
    public void EveryReportedRecordSurvivesSigkill()
    {
        var stopwatch = Stopwatch.StartNew();
        int trials = Trials;
        var batches = new long[trials];
        Parallel.For(0, trials, new ParallelOptions { MaxDegreeOfParallelism = 4 }, trial => batches[trial] = Trial(trial));
        long total = 0;
        foreach (long b in batches)
        {
            total += b;
        }

        _output.WriteLine($"{trials} kill trials passed in {stopwatch.Elapsed.TotalSeconds:F1} s; the children reported {total} flushed batches in all");
    }

    /// <summary>One child, killed after a random delay; returns the batches it reported.</summary>
    private static long Trial(int trial)
    {
        using var temp = new TempPath();
        using (WritableKillFile created = WritableKillFile.Create(temp.Path, KillWorkload.Magic))
        {
            created.Flush();
        }

        var random = new Random(trial * 31 + 7);
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add("durability-writer");
        start.Environment["OVERLAY_PROBE_FILE"] = temp.Path;
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

        // Anywhere from the first batches to a few hundred.
        Thread.Sleep(random.Next(0, 60));
        process.Kill();
        process.WaitForExit();

        long reportedBatch = -1;
        long reportedCount = 0;
        lock (lines)
        {
            foreach (string line in lines)
            {
                string[] parts = line.Split(' ');
                if (parts.Length == 3 && parts[0] == "flushed")
                {
                    reportedBatch = long.Parse(parts[1], CultureInfo.InvariantCulture);
                    reportedCount = long.Parse(parts[2], CultureInfo.InvariantCulture);
                }
            }
        }

        Check(temp.Path, reportedBatch, reportedCount, $"trial {trial} (killed after batch {reportedBatch}, count {reportedCount})");
        return reportedBatch + 1;
    }

    private static void Check(string path, long reportedBatch, long reportedCount, string context)
    {
        List<KillRecord> done = KillWorkload.Replay(reportedBatch);
        Assert.True(done.Count == reportedCount, $"{context}: the replay has {done.Count} records");

        // The batch the kill interrupted: its appends may be counted, its edit made in part.
        long next = reportedBatch + 1;
        long nextCount = done.Count + KillWorkload.AppendsIn(next);
        (long record, long version, int word, long value) = KillWorkload.EditIn(next, nextCount);

        using ReadOnlyKillFile file = ReadOnlyKillFile.Open(path, KillWorkload.Magic, MapAccess.Read);
        Assert.True(file.Count >= reportedCount && file.Count <= nextCount, $"{context}: reopened with {file.Count} records, expected {reportedCount} to {nextCount}");
        for (long i = 0; i < file.Count; i++)
        {
            KillRecord found = file[i].Load();
            KillRecord expected = i < done.Count ? done[(int)i] : KillWorkload.Initial(i);
            bool edited = i == record;
            Assert.True(found.Index == expected.Index, $"{context}: record {i} has index {found.Index}, expected {expected.Index}");
            Assert.True(found.Version == expected.Version || (edited && found.Version == version), $"{context}: record {i} has version {found.Version}, expected {expected.Version}");
            for (int k = 0; k < 6; k++)
            {
                Assert.True(found.Words[k] == expected.Words[k] || (edited && k == word && found.Words[k] == value), $"{context}: record {i} word {k} is 0x{found.Words[k]:X16}, expected 0x{expected.Words[k]:X16}");
            }
        }
    }
}
