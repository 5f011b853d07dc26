using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Tests.Durability;

/// <summary>
/// samples/RecordLog, run as a user runs it (its own build, which <c>dotnet test Overlay.sln</c>
/// makes first): the demo (a writer and a read-only follower in a second process) and the crash
/// demo (a writer killed with SIGKILL mid-batch, the log reopened and checked). Its output is
/// checked, not only its exit code.
/// </summary>
public class RecordLogSampleTests
{
    [Fact]
    public async Task TheFollowerSeesEveryReadingAsTheCountGrows()
    {
        (int exit, string printed) = await RunAsync();
        Assert.True(exit == 0, printed);
        Assert.Contains("writer: flushed 100", printed, StringComparison.Ordinal);
        Assert.Contains("follower: saw all 100 readings as the count grew, every one whole", printed, StringComparison.Ordinal);
        Assert.Matches(@"follower: \d+ readings \(\+\d+\)", printed);
        Assert.Contains("done: 100 readings written, follower exit code 0", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AWriterKilledMidBatchLosesNoFlushedReadingAndLeavesNoneHalfWritten(int seed)
    {
        (int exit, string printed) = await RunAsync("--crash-demo", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, printed);
        Match killed = Regex.Match(printed, @"killed the writer with SIGKILL after it reported (\d+) flushed readings");
        Assert.True(killed.Success, printed);
        Match reopened = Regex.Match(printed, @"reopened: (\d+) readings; the writer had reported (\d+) flushed");
        Assert.True(reopened.Success, printed);
        Assert.Equal(killed.Groups[1].Value, reopened.Groups[2].Value);
        Assert.True(long.Parse(reopened.Groups[1].Value) >= long.Parse(reopened.Groups[2].Value), printed);
        Assert.Contains("nothing half-written", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("LOST", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("BROKEN", printed, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Printed)> RunAsync(params string[] arguments)
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string sample = Path.Combine(FindRepositoryRoot(), "samples", "RecordLog", "bin", configuration, "net10.0", "RecordLog.dll");
        Assert.True(File.Exists(sample), $"{sample} is missing: build the solution first (dotnet test Overlay.sln -c {configuration} does).");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(sample);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, $"{await output}\n{await error}");
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Overlay.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Overlay.sln above {AppContext.BaseDirectory}.");
    }
}
