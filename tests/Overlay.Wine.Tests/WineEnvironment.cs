using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Wine.Tests;

/// <summary>Finding Wine and the repository, and running a program with a time limit.</summary>
internal static class WineEnvironment
{
    /// <summary>
    /// The xunit collection of the Linux-side runs (the suite without <c>mremap</c>, the macOS
    /// builds): one after another, and side by side with <see cref="Wine"/>, whose long part (the
    /// runner under Wine) takes one core of the two.
    /// </summary>
    public const string Builds = "builds";

    /// <summary>
    /// The xunit collection of the tests that run programs under Wine (the runtime's tests, the
    /// package's consumer): one after another, as they share one Wine prefix, which the first to
    /// run creates.
    /// </summary>
    public const string Wine = "wine";

    /// <summary>Debian's wine64 package installs the loader here, not on PATH.</summary>
    private static readonly string[] s_candidates = ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"];

    public static string FindWine()
    {
        foreach (string candidate in s_candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail(
            "Wine is not installed, so the Windows back end cannot be tested. Install it with " +
            "'sudo scripts/install-wine.sh' (Debian/Ubuntu: apt-get install wine64), as .ci/run does, " +
            $"then run the tests again. Looked for: {string.Join(", ", s_candidates)}.");
        return string.Empty;
    }

    public static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Overlay.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Overlay.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The Linux build of <c>tests/Overlay.Runtime.Tests</c> (this project references it, so it is
    /// built), for the steps that need Linux: the no-<c>mremap</c> suite, the differential reference.
    /// </summary>
    public static string LinuxRuntimeTests()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string assembly = Path.Combine(RepositoryRoot(), "tests", "Overlay.Runtime.Tests", "bin", configuration, "net10.0", "Overlay.Runtime.Tests.dll");
        Assert.True(File.Exists(assembly), $"{assembly} is not built (this project references it, so building it builds that).");
        return assembly;
    }

    /// <summary>
    /// A Wine prefix of the run's own (made on first use, ~17 s), no Wine debug chatter, and
    /// .NET's W^X off (its double-mapped JIT code crashes under Wine: docs/platforms.md).
    /// </summary>
    public static Dictionary<string, string> Variables(string work) => new()
    {
        ["WINEPREFIX"] = Path.Combine(work, "prefix"),
        ["WINEDEBUG"] = "-all",
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish within {timeout.TotalMinutes} minutes.");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
