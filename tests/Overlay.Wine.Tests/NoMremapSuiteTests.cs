using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Wine.Tests;

/// <summary>
/// macOS's resize path, tested on Linux: the whole of <c>tests/Overlay.Runtime.Tests</c> (its
/// built assembly, run by <c>dotnet test</c>) with <c>OVERLAY_PLATFORM_NO_MREMAP=1</c>, which makes
/// the Linux platform resize as Darwin must, by mapping afresh instead of <c>mremap</c>
/// (docs/platforms.md). No test is left out: the ones about the choice between the two paths
/// (<c>ResizeFallbackTests</c>) build their own platform objects and ignore the variable. In the
/// Wine collection: one CPU-heavy run at a time on the 2 shared cores.
/// </summary>
[Collection(WineEnvironment.Builds)]
public class NoMremapSuiteTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void EveryRuntimeTestPassesWithoutMremap()
    {
        string assembly = WineEnvironment.LinuxRuntimeTests();

        var clock = Stopwatch.StartNew();
        (int exit, string text) = WineEnvironment.Run(
            "dotnet",
            ["test", assembly, "--logger", "console;verbosity=minimal"],
            new Dictionary<string, string> { ["OVERLAY_PLATFORM_NO_MREMAP"] = "1", ["DOTNET_NOLOGO"] = "1" },
            s_timeout);
        output.WriteLine($"the runtime suite without mremap: {clock.Elapsed.TotalSeconds:F0} s");

        // vstest's summary: "Passed!  - Failed:     0, Passed:  1328, Skipped:     0, Total:  1328, ...".
        string? summary = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Contains("Failed:", StringComparison.Ordinal) && l.Contains("Total:", StringComparison.Ordinal));
        output.WriteLine(summary ?? "(no summary)");
        Assert.True(exit == 0 && summary is not null && summary.StartsWith("Passed!", StringComparison.Ordinal), $"the runtime tests without mremap exited {exit}:\n{text}");
        int total = int.Parse(summary.Split("Total:")[1].Split(',')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > 1000, $"only {total} runtime tests ran without mremap:\n{summary}");
    }
}
