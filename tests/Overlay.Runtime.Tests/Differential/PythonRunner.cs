using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace Overlay.Tests.Differential;

/// <summary>
/// Finds the reference Python and runs the driver over a whole batch in one process. CPython 3.13
/// (<c>PYENV_VERSION=3.13.0 python3</c>) is preferred; otherwise plain <c>python3</c>. No Python at
/// all is a failure, never a skip.
/// </summary>
internal sealed class PythonRunner
{
    private readonly Dictionary<string, string> _environment;

    private PythonRunner(Dictionary<string, string> environment, string description, Version version)
    {
        _environment = environment;
        Description = description;
        Version = version;
    }

    /// <summary>Which interpreter runs the driver, for the test output.</summary>
    public string Description { get; }

    public Version Version { get; }

    public static string DriverPath => Path.Combine(AppContext.BaseDirectory, "Differential", "mmap_driver.py");

    /// <summary>The interpreter to use, or an explanation of why there is none.</summary>
    public static PythonRunner Find(out string? problem)
    {
        var attempts = new List<string>();
        foreach (var environment in new[] { new Dictionary<string, string> { ["PYENV_VERSION"] = "3.13.0" }, new Dictionary<string, string>() })
        {
            string label = environment.Count == 0 ? "python3" : "PYENV_VERSION=3.13.0 python3";
            (int exitCode, string stdout, string stderr) = Run(environment, ["-c", "import sys, mmap; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable); print(sys.version.replace(chr(10), ' '))"], TimeSpan.FromSeconds(30));
            if (exitCode != 0)
            {
                attempts.Add($"{label}: exit {exitCode}: {stderr.Trim()}");
                continue;
            }

            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var version = Version.Parse(lines[0]);
            if (environment.Count != 0 && (version.Major, version.Minor) != (3, 13))
            {
                attempts.Add($"{label}: reports {version}, not 3.13");
                continue;
            }

            problem = null;
            return new PythonRunner(environment, $"{label} -> {lines[1]} (CPython {lines[2]})", version);
        }

        problem = "No usable python3 for the differential mmap test: " + string.Join("; ", attempts);
        return null!;
    }

    /// <summary>Runs the driver over the batch file; returns one JSON object per sequence, by id.</summary>
    public Dictionary<int, JsonObject> RunBatch(string batchPath, out string failure)
    {
        (int exitCode, string stdout, string stderr) = Run(_environment, [DriverPath, batchPath], TimeSpan.FromMinutes(3));
        File.WriteAllText(batchPath + ".out", stdout);
        var results = new Dictionary<int, JsonObject>();
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var result = (JsonObject)JsonNode.Parse(line)!;
            results[(int)result["id"]!] = result;
        }

        failure = exitCode == 0 ? string.Empty : $"the driver exited with {exitCode} after {results.Count} sequences: {stderr}";
        return results;
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(Dictionary<string, string> environment, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, string.Empty, "cannot start python3: " + e.Message);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return (-2, stdout.Result, $"timed out after {timeout}; " + stderr.Result);
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
