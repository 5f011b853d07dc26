using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Wine.Tests;

/// <summary>
/// The Windows back end, tested: <c>tests/Overlay.Runtime.Tests</c> is published self-contained
/// for win-x64 and run under Wine, where its entry point (<c>ConformanceMain</c>) runs every test
/// not listed in <c>NotOnWindows</c>, each called through a delegate (xunit's
/// <c>MethodInfo.Invoke</c> hangs under Wine on the second failing test: docs/platforms.md).
/// Without Wine this fails, saying how to install it (<c>scripts/install-wine.sh</c>, which
/// <c>.ci/run</c> calls): a test run must not pass while the Windows back end went untested.
/// </summary>
[Collection(WineEnvironment.Wine)]
public class WineConformanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(15);

    [Fact]
    public void RuntimeTestsPassOnTheWindowsBackEndUnderWine()
    {
        string wine = WineEnvironment.FindWine();
        string repository = WineEnvironment.RepositoryRoot();
        string work = Path.Combine(repository, "artifacts", "wine");
        string published = Path.Combine(work, "publish");

        var publish = Stopwatch.StartNew();
        (int publishExit, string publishOutput) = WineEnvironment.Run(
            "dotnet",
            [
                "publish", Path.Combine(repository, "tests", "Overlay.Runtime.Tests", "Overlay.Runtime.Tests.csproj"),
                "-c", "Release", "-r", "win-x64", "--self-contained",
                // Its own obj and bin: the solution's build of the same projects must not see a win-x64 restore.
                "--artifacts-path", Path.Combine(work, "build"),
                "-o", published,
                "-p:ValidateExecutableReferencesMatchSelfContained=false",
                // Test projects get no apphost by default; Wine needs the .exe.
                "-p:UseAppHost=true",
                "-nologo", "-v", "quiet",
            ],
            environment: null,
            s_timeout);
        publish.Stop();
        Assert.True(publishExit == 0, $"dotnet publish for win-x64 failed ({publishExit}):\n{publishOutput}");

        // The differential test's reference: CPython's runs of the batch, recorded here on Linux by
        // the Linux build of the same assembly (no Linux python3 can run under Wine), replayed there.
        string reference = Path.Combine(work, "differential-reference.json");
        var record = Stopwatch.StartNew();
        (int recordExit, string recordOutput) = WineEnvironment.Run(
            "dotnet",
            [WineEnvironment.LinuxRuntimeTests(), "--record-differential", reference],
            environment: null,
            s_timeout);
        record.Stop();
        Assert.True(recordExit == 0, $"recording the differential reference failed ({recordExit}):\n{recordOutput}");
        output.WriteLine(recordOutput.Trim());

        var run = Stopwatch.StartNew();
        Dictionary<string, string> variables = WineEnvironment.Variables(work);
        // Wine's drive Z: is the Unix root.
        variables["OVERLAY_DIFF_REFERENCE"] = "Z:" + reference.Replace('/', '\\');
        (int exit, string text) = WineEnvironment.Run(
            wine,
            [Path.Combine(published, "Overlay.Runtime.Tests.exe")],
            variables,
            s_timeout);
        run.Stop();
        output.WriteLine($"publish {publish.Elapsed.TotalSeconds:F0} s, differential reference {record.Elapsed.TotalSeconds:F0} s, Wine run {run.Elapsed.TotalSeconds:F0} s");
        output.WriteLine(text);

        // The runner's whole report (what ran, what was left out and why, the platform line), kept
        // where a reader of a CI run can count from it: `dotnet test` shows only the pass.
        File.WriteAllText(Path.Combine(work, "last-run.txt"), text);

        string? summary = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.EndsWith(" failed", StringComparison.Ordinal));
        Assert.True(exit == 0 && summary is not null && summary.EndsWith(" 0 failed", StringComparison.Ordinal), $"the runtime tests under Wine exited {exit}:\n{text}");
    }
}
