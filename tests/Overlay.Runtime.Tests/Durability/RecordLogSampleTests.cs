using System;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Overlay.Tests.Samples;
using Xunit;

namespace Overlay.Tests.Durability;

/// <summary>
/// samples/RecordLog, run as a user runs it (its own build, through <see cref="SampleProgram"/>): the demo (a writer and a read-only follower in a second process) and the crash
/// demo (a writer killed with SIGKILL mid-batch, the log reopened and checked). Its output is
/// checked, not only its exit code.
/// </summary>
public class RecordLogSampleTests
{
    [Fact]
    public async Task TheFollowerSeesEveryReadingAsTheCountGrows()
    {
        string printed = await SampleProgram.RunAsync("RecordLog");
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
        string printed = await SampleProgram.RunAsync("RecordLog", "--crash-demo", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
}
