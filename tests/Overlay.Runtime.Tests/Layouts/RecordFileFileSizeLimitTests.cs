using System;
using System.Linq;
using Overlay.Tests.Safety;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// <c>RecordFile.AppendRange</c> of 64 KiB or more writes through the file handle; when that write
/// really fails (the probe <c>append-range-past-file-size-limit</c> lowers its file-size limit,
/// <c>RLIMIT_FSIZE</c>, so that the range is written in part and then refused with EFBIG, as a full
/// disk would) the failure is the documented I/O exception, nothing is appended, and the file takes
/// the next ranges and reopens with every record intact.
/// </summary>
public class RecordFileFileSizeLimitTests
{
    [Theory]
    [InlineData("LimitRow")] // HasInMemoryLayout: the values' own bytes, one write
    [InlineData("KillRecord")] // stored by Store into a buffer, written a chunk at a time
    public void ARangeRefusedByTheFileSizeLimitAppendsNothingAndTheFileTakesTheNext(string layout)
    {
        using var temp = new TempPath();
        (int exitCode, string output, string error) = ProbeRunner.RunIgnoringFileSizeSignal("append-range-past-file-size-limit", temp.Path, layout);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode == 0 && lines.LastOrDefault() == "ok", $"the probe exited {exitCode} (153 is SIGXFSZ: the signal was not ignored)\nstdout:\n{output}\nstderr:\n{error}");

        // EFBIG is an I/O error (docs/errors.md: a MapIOException), not an argument the caller passed.
        string refused = Assert.Single(lines, l => l.StartsWith("refused ", StringComparison.Ordinal) || l == "accepted");
        Assert.StartsWith("refused Overlay.MapIOException: ", refused, StringComparison.Ordinal);
        Assert.Contains("[Errno 27]", refused, StringComparison.Ordinal);
        Assert.Equal(Value(lines, "before"), Value(lines, "after"));

        // The two ranges after it, and nothing of the refused one (its ids are negative).
        long before = long.Parse(Value(lines, "before"), System.Globalization.CultureInfo.InvariantCulture);
        int size = layout == "LimitRow" ? 16 : 64;
        Assert.Equal($"{before + (2 * ((256 << 10) / size))} bad 0", Value(lines, "reopened"));
    }

    private static string Value(string[] lines, string key) =>
        Assert.Single(lines, l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];
}
