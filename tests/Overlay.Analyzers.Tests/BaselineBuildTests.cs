using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Analyzers.Tests;

/// <summary>
/// The promise end to end: a real <c>dotnet build</c> of a project whose schema baseline is out of
/// date fails with OVL201, and the same project with its baseline up to date builds. The project
/// (tests/BaselineBuildFixture) references the runtime and the analyzers from this test's output
/// folder, has no packages, and is built in a temporary copy: offline, and no other project is built.
/// </summary>
public class BaselineBuildTests
{
    private const string OutOfDate = """
        # Written when Id was a short: Player.cs has since made it an int, so Health moved.
        layout Fixture.Player version=0 size=6
          field Id:i16:0:2:le
          field Health:f32:2:4:le
        """;

    [Fact]
    public async Task AnOutOfDateBaselineFailsTheBuildAndAnUpToDateOneDoesNot()
    {
        Task<(int ExitCode, string Output)> upToDate = BuildAsync(baseline: null);
        Task<(int ExitCode, string Output)> outOfDate = BuildAsync(OutOfDate);
        (int okCode, string okOutput) = await upToDate;
        (int failedCode, string failedOutput) = await outOfDate;

        Assert.True(okCode == 0, "The fixture with its committed baseline should build:\n" + okOutput);
        Assert.DoesNotContain("OVL2", okOutput, StringComparison.Ordinal);

        Assert.NotEqual(0, failedCode);
        Assert.Contains("error OVL201", failedOutput, StringComparison.Ordinal);
        Assert.Contains("Layout 'Fixture.Player' (version 0) changed incompatibly", failedOutput, StringComparison.Ordinal);
        Assert.Contains("field 'Id' type i16 -> i32", failedOutput, StringComparison.Ordinal);
        Assert.Contains("field 'Health' offset 2 -> 4", failedOutput, StringComparison.Ordinal);
    }

    private static async Task<(int, string)> BuildAsync(string? baseline)
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "BaselineBuildFixture");
        string folder = Path.Combine(Path.GetTempPath(), "overlay-baseline-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string file in Directory.GetFiles(fixture))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            if (baseline is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, "Layouts.Baseline.txt"), baseline);
            }

            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            foreach (string argument in new[] { "build", "BaselineBuildFixture.csproj", "-c", "Release", "-nologo", "-nodeReuse:false", "-m:1", "-p:UseSharedCompilation=false", $"-p:OverlayBin={AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)}" })
            {
                start.ArgumentList.Add(argument);
            }

            // The test host runs inside `dotnet test`, whose MSBuild variables would steer the child build.
            foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                string name = (string)variable.Key;
                if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("MSBUILD", StringComparison.Ordinal))
                {
                    start.Environment.Remove(name);
                }
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();

            // Not a speed check: only a guard so that a hung build cannot hang the test run.
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, await output + await error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
