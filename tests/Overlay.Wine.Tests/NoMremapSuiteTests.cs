using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Wine.Tests;

/// <summary>
/// macOS's resize path, tested on Linux: <c>tests/Overlay.Runtime.Tests</c> (its built assembly, run
/// by <c>dotnet test</c>) with <c>OVERLAY_PLATFORM_NO_MREMAP=1</c>, which makes the Linux platform
/// resize as Darwin must, by mapping afresh instead of <c>mremap</c> (docs/platforms.md). Every
/// test runs but those of <see cref="s_neverResize"/>, whose subject never resizes a map; the ones
/// about the choice between the two paths (<c>ResizeFallbackTests</c>) build their own platform
/// objects and ignore the variable. In the builds collection: beside the Wine collection, whose
/// runner under Wine takes one core of the two.
/// </summary>
[Collection(WineEnvironment.Builds)]
public class NoMremapSuiteTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The test classes left out of this run, with why: a standalone sorted index is written once by
    /// its builder (<c>pwrite</c>, no map) and then only mapped read-only, so no test of it reaches
    /// a resize. Its section in a container grows with the container: the tests that add one
    /// (<c>SortedIndexSectionTests</c>, and some of <c>SortedIndexTreeTests</c> and <c>SortedIndexPinTests</c>) run.
    /// </summary>
    private static readonly string[] s_neverResize =
    [
        "Overlay.Tests.Indexes.SortedIndexTests.",
        "Overlay.Tests.Indexes.SortedIndexKeyTypeTests.",
        "Overlay.Tests.Indexes.SortedIndexRadixTests.",
    ];

    [Fact]
    public void EveryRuntimeTestPassesWithoutMremap()
    {
        string assembly = WineEnvironment.LinuxRuntimeTests();

        var clock = Stopwatch.StartNew();
        (int exit, string text) = WineEnvironment.Run(
            "dotnet",
            ["test", assembly, "--logger", "console;verbosity=minimal", "--filter", string.Join('&', s_neverResize.Select(c => $"FullyQualifiedName!~{c}"))],
            new Dictionary<string, string> { ["OVERLAY_PLATFORM_NO_MREMAP"] = "1", ["DOTNET_NOLOGO"] = "1" },
            s_timeout);
        output.WriteLine($"the runtime suite without mremap: {clock.Elapsed.TotalSeconds:F0} s");

        // vstest's summary: "Passed!  - Failed:     0, Passed:  1328, Skipped:     0, Total:  1328, ...".
        string? summary = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Contains("Failed:", StringComparison.Ordinal) && l.Contains("Total:", StringComparison.Ordinal));
        output.WriteLine(summary ?? "(no summary)");
        Assert.True(exit == 0 && summary is not null && summary.StartsWith("Passed!", StringComparison.Ordinal), $"the runtime tests without mremap exited {exit}:\n{text}");
        int total = int.Parse(summary.Split("Total:")[1].Split(',')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > 1500, $"only {total} runtime tests ran without mremap:\n{summary}");
    }
}
