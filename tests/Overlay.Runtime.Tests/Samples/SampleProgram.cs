using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Tests.Samples;

/// <summary>
/// Runs a sample's own build (<c>samples/NAME/bin/CONFIGURATION/net10.0/NAME.dll</c>, which
/// <c>dotnet test Overlay.sln</c> builds first: the test project references each sample it runs
/// with <c>ReferenceOutputAssembly="false"</c>) and returns what it printed.
/// </summary>
internal static class SampleProgram
{
    public static async Task<string> RunAsync(string name, params string[] arguments)
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string program = Path.Combine(RepositoryRoot(), "samples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(program), $"{program} is missing: build the solution first (dotnet test Overlay.sln -c {configuration} does).");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        string printed = await output;
        Assert.True(process.ExitCode == 0, $"samples/{name} exited {process.ExitCode}\n{printed}\n{await error}");
        return printed;
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

        throw new InvalidOperationException($"No Overlay.sln above {AppContext.BaseDirectory}.");
    }
}
