using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary>
/// The tool as users get it: <c>dotnet pack src/Tool</c>, <c>dotnet tool install --add-source</c>
/// from the packed folder (no other source, a private package cache), then the installed
/// <c>overlay</c> command on a file the runtime wrote.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ThePackedToolInstallsAndInspectsAFile()
    {
        string project = typeof(ToolPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ToolProjectDirectory").Value!;
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string packages = Directory.CreateDirectory(_temp.File("packages")).FullName;
        string tools = _temp.File("tools");

        // Packs what the solution's build made (the test project references it, so it is built).
        await Run("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", packages, "-p:PackageVersion=0.1.0-test"]);
        Assert.True(File.Exists(Path.Combine(packages, "Overlay.Tool.0.1.0-test.nupkg")), string.Join(", ", Directory.GetFiles(packages)));

        // Only the packed folder as a source: it works offline, and nothing of other sources is used.
        string config = _temp.File("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        await Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages, "--configfile", config, "Overlay.Tool", "--version", "0.1.0-test"]);

        string file = Files.Container(_temp.File("game.ovl"));
        string overlay = Path.Combine(tools, OperatingSystem.IsWindows() ? "overlay.exe" : "overlay");
        string output = await Run(overlay, ["inspect", file, "--section", "players", "--count", "3"]);
        Assert.Contains("Overlay container", output, StringComparison.Ordinal);
        Assert.Contains("section 'players': Overlay.Tool.Tests.PlayerV1", output, StringComparison.Ordinal);
        Assert.Contains("player-2", output, StringComparison.Ordinal);
        Assert.Contains("records 0..2 of 50", output, StringComparison.Ordinal);
    }

    private async Task<string> Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _temp.Path };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A private package cache: an installed test build never shadows another one in ~/.nuget.
        start.Environment["NUGET_PACKAGES"] = _temp.File("cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        // The installed tool's launcher finds the runtime the tests run on.
        string? muxer = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        string root = Path.GetDirectoryName(muxer ?? Environment.ProcessPath ?? "/usr/share/dotnet/dotnet")!;
        start.Environment["DOTNET_ROOT"] = root;

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        string text = await output;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}\n{text}\n{await error}");
        return text;
    }
}
