using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>
/// Runs a scenario of <c>tests/Overlay.Probes</c> in a child process: where the runtime gets it
/// wrong the scenario faults, and a fault in the test host would end the whole run instead of
/// failing one test.
/// </summary>
internal static class ProbeRunner
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="scenario"/> and asserts that it printed "ok" and exited 0.</summary>
    public static void AssertOk(string scenario)
    {
        (int exitCode, string output, string error) = Run(scenario);
        Assert.True(
            exitCode == 0 && output.Trim() == "ok",
            $"probe '{scenario}' exited {exitCode} (134 is an abort, e.g. a fault turned into AccessViolationException; 135 SIGBUS; 139 SIGSEGV)\nstdout:\n{output}\nstderr:\n{error}");
    }

    private static (int ExitCode, string Output, string Error) Run(string scenario)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        Assert.True(File.Exists(probe), $"{probe} is missing: the test project references Overlay.Probes so that it is built next to the tests.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(scenario);

        // A fault must not leave a core file behind in CI.
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using Process process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"probe '{scenario}' did not finish in {s_timeout}");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
