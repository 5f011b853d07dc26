using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Tests.Samples;

/// <summary>
/// README's demo command runs <c>samples/QuickStart</c>: run the build of it that
/// <c>dotnet test Overlay.sln</c> made (the sample is in the solution) and check what it printed,
/// so the demo cannot break silently.
/// </summary>
public class QuickStartSampleTests
{
    [Fact]
    public async Task TheDemoMapsAFileAndPrintsWhatItDid()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string demo = Path.Combine(FindRepositoryRoot(), "samples", "QuickStart", "bin", configuration, "net10.0", "QuickStart.dll");
        Assert.True(File.Exists(demo), $"{demo} is missing: build the solution first (dotnet test Overlay.sln -c {configuration} does).");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(demo);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        string printed = await output;
        Assert.True(process.ExitCode == 0, $"the demo exited {process.ExitCode}\n{printed}\n{await error}");
        Assert.Contains("resized 35 -> 51 bytes; file size now 51", printed);
        Assert.Contains("appended by map", printed);
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Overlay.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Overlay.sln above {AppContext.BaseDirectory}.");
    }
}
