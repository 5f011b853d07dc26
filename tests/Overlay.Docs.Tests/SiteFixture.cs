using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Overlay.Docs.Tests;

/// <summary>
/// Builds the documentation site once for the tests of <see cref="SiteTests"/>: the runtime's
/// assembly and XML documentation (copied next to these tests by the project reference) go to
/// <c>artifacts/docfx/bin</c>, where <c>docs/docfx.json</c> reads the API, then
/// <c>dotnet tool restore</c> and <c>dotnet docfx docs/docfx.json --warningsAsErrors</c> write the
/// site to <c>artifacts/site</c>. <c>scripts/docs.sh</c> does the same from a Release build.
/// </summary>
public sealed class SiteFixture : IAsyncLifetime
{
    public string Root { get; } = FindRepositoryRoot();

    public string Site => Path.Combine(Root, "artifacts", "site");

    /// <summary>What docfx printed, for the failure messages.</summary>
    public string BuildOutput { get; private set; } = string.Empty;

    public int BuildExitCode { get; private set; } = -1;

    public async Task InitializeAsync()
    {
        string bin = Path.Combine(Root, "artifacts", "docfx", "bin");
        Directory.CreateDirectory(bin);
        foreach (string name in new[] { "Overlay.Runtime.dll", "Overlay.Runtime.xml" })
        {
            string built = Path.Combine(AppContext.BaseDirectory, name);
            if (!File.Exists(built))
            {
                throw new InvalidOperationException($"{built} is missing: the runtime must be built with GenerateDocumentationFile.");
            }

            File.Copy(built, Path.Combine(bin, name), overwrite: true);
        }

        if (Directory.Exists(Site))
        {
            Directory.Delete(Site, recursive: true); // no page left over from an earlier build
        }

        (int restore, string restoreOutput) = await RunAsync("dotnet", "tool", "restore");
        if (restore != 0)
        {
            BuildExitCode = restore;
            BuildOutput = "dotnet tool restore failed:\n" + restoreOutput;
            return;
        }

        (BuildExitCode, BuildOutput) = await RunAsync("dotnet", "docfx", Path.Combine("docs", "docfx.json"), "--warningsAsErrors");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        return (process.ExitCode, await output + await error);
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
