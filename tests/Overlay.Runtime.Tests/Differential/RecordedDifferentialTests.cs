using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Differential;

/// <summary>
/// The CPython differential test on every back end, the Windows one included: a batch that keeps
/// to what Linux and Windows agree on (file offsets at Windows' 64 KiB granularity, a multiple of
/// Linux's page) is run through CPython's mmap on Linux and recorded (<see cref="DiffRecording"/>),
/// then replayed on <see cref="MemoryMap"/> here. Under Wine no Linux <c>python3</c> can run, so
/// <c>tests/Overlay.Wine.Tests</c> records the batch before it starts Wine and names the file in
/// <c>OVERLAY_DIFF_REFERENCE</c>; the replay there compares with Windows' documented differences
/// (<see cref="WindowsDifferences"/>). Without that variable (the Linux runs) the test records the
/// batch itself and replays it on Linux, exactly. <c>OVERLAY_DIFF_SEED=n</c> replaces the random seed.
/// </summary>
public sealed class RecordedDifferentialTests : IDisposable
{
    /// <summary>Sequences per seed: two seeds make 600, replayed in about 10 s under Wine.</summary>
    public const int SequencesPerSeed = 300;

    /// <summary>Windows' allocation granularity, the file offset unit of the batch, on every OS.</summary>
    public const long OffsetUnit = 64 * 1024;

    private const int FixedSeed = 20261204;

    private const int MaxReported = 5;

    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-diff-recorded-").FullName;

    public RecordedDifferentialTests(ITestOutputHelper output) => _output = output;

    /// <summary>The fixed seed and a random one (or <c>OVERLAY_DIFF_SEED</c>), as the recording step uses them.</summary>
    public static (int Seed, string Origin)[] Seeds()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("OVERLAY_DIFF_SEED");
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? [(FixedSeed, "fixed"), (Random.Shared.Next(), "random")]
            : [(FixedSeed, "fixed"), (int.Parse(fromEnvironment, CultureInfo.InvariantCulture), "OVERLAY_DIFF_SEED")];
    }

    /// <summary>Records the batch into <paramref name="path"/> (<c>Overlay.Runtime.Tests --record-differential PATH</c>, on Linux).</summary>
    public static string RecordTo(string path)
    {
        DirectoryInfo work = Directory.CreateTempSubdirectory("overlay-diff-record-");
        try
        {
            var clock = Stopwatch.StartNew();
            DiffRecording recording = DiffRecording.Record(Seeds(), SequencesPerSeed, OffsetUnit, work.FullName);
            recording.Save(path);
            return $"recorded {recording.Seeds.Count} x {SequencesPerSeed} sequences (seeds {string.Join(", ", recording.Seeds.ConvertAll(s => $"{s.Seed} {s.Origin}"))}) with {recording.Python} in {clock.Elapsed.TotalSeconds:F1} s into {path}";
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void CPythonsRecordedRunsReplayOnThisBackEnd()
    {
        string? reference = Environment.GetEnvironmentVariable(DiffRecording.Variable);
        DiffRecording recording;
        if (!string.IsNullOrEmpty(reference))
        {
            recording = DiffRecording.Load(reference);
            _output.WriteLine($"replaying {reference}, recorded with {recording.Python}");
        }
        else
        {
            Assert.False(OperatingSystem.IsWindows(), $"no Linux python3 here: run the recording step first and name its file in {DiffRecording.Variable} (tests/Overlay.Wine.Tests does both).");
            recording = DiffRecording.Record(Seeds(), SequencesPerSeed, OffsetUnit, _directory);
            _output.WriteLine($"recorded now with {recording.Python}");
        }

        Assert.Equal(OffsetUnit, recording.OffsetUnit);
        Func<string, JsonArray, string, (string, string?)>? backEnd = OperatingSystem.IsWindows() ? WindowsDifferences.Apply : null;
        var statistics = new DiffStatistics();
        var failure = new StringBuilder();
        int compared = 0;
        long operations = 0;
        var clock = Stopwatch.StartNew();
        foreach ((int seed, string origin, List<JsonObject> results) in recording.Seeds)
        {
            string reproduce = $"seed {seed} ({origin}); reproduce with OVERLAY_DIFF_SEED={seed}";
            var divergences = new List<string>();
            int diverged = 0;
            for (int i = 0; i < results.Count; i++)
            {
                DiffSequence sequence = SequenceGenerator.Generate(seed, i, recording.TrackFileFalse, recording.OffsetUnit);
                if (sequence.Map.IsFile)
                {
                    sequence.OverlayPath = Path.Combine(_directory, $"{seed}-{i}.overlay.bin");
                    File.WriteAllBytes(sequence.OverlayPath, sequence.Map.Content!);
                }

                string? divergence;
                int steps;
                try
                {
                    divergence = DiffComparer.Compare(sequence, results[i], statistics, out steps, backEnd);
                }
                catch (Exception e)
                {
                    divergence = $"sequence {sequence.Id}: {sequence.Map}: the Overlay side threw outside an operation: {e}";
                    steps = 0;
                }

                if (sequence.OverlayPath is not null)
                {
                    File.Delete(sequence.OverlayPath);
                }

                compared++;
                operations += steps;
                if (divergence is not null && diverged++ < MaxReported)
                {
                    divergences.Add(divergence);
                }
            }

            if (diverged != 0)
            {
                failure.AppendLine($"{diverged} of {results.Count} sequences diverge from CPython; {reproduce}. First {divergences.Count}:");
                divergences.ForEach(d => failure.AppendLine(d));
            }
        }

        _output.WriteLine($"{compared} sequences, {operations} operations replayed in {clock.Elapsed.TotalSeconds:F1} s on {(OperatingSystem.IsWindows() ? "Windows" : "Linux")}, offsets in units of {recording.OffsetUnit}.");
        _output.WriteLine(statistics.ToString());
        Assert.True(failure.Length == 0, failure.ToString());
        Assert.Equal(recording.Seeds.Count * SequencesPerSeed, compared);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
