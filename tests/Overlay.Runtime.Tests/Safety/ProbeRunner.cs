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

    /// <summary>
    /// Runs <paramref name="scenario"/> with <paramref name="arguments"/> with SIGXFSZ ignored, so
    /// that a write past a file-size limit the probe sets fails with EFBIG instead of killing it:
    /// bash ignores the signal and execs <c>dotnet</c>, and an ignored signal stays ignored across
    /// <c>exec</c> (the probe checks that the runtime kept it so).
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunIgnoringFileSizeSignal(string scenario, params string[] arguments) =>
        Run(scenario, arguments, ignoreFileSizeSignal: true);

    private static (int ExitCode, string Output, string Error) Run(string scenario, string[]? arguments = null, bool ignoreFileSizeSignal = false)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        Assert.True(File.Exists(probe), $"{probe} is missing: the test project references Overlay.Probes so that it is built next to the tests.");
        var start = new ProcessStartInfo(ignoreFileSizeSignal ? "bash" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (ignoreFileSizeSignal)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("trap '' XFSZ; exec dotnet \"$@\"");
            start.ArgumentList.Add("bash");
        }

        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(scenario);
        foreach (string argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

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
