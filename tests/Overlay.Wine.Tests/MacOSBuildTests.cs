using System;
using System.IO;
using Xunit;

namespace Overlay.Wine.Tests;

/// <summary>
/// macOS cannot run here, so CI builds the runtime for it: <c>dotnet build src/Runtime -r osx-arm64</c>
/// and <c>-r osx-x64</c> (restoring each runtime pack from the package registry), warnings as errors,
/// in the run's own <c>artifacts/osx</c>. The macOS code paths (<c>Platform/MacOS</c>,
/// <c>Platform/Unix</c>) compile in every build, as nothing is <c>#if</c>'d per OS; this proves
/// the runtime restores and builds for the macOS targets, and <c>DarwinConstantsTests</c> checks
/// the Darwin numbers against the headers. In the builds collection, after the suite without
/// <c>mremap</c>: beside the Wine collection, whose runner under Wine takes one core.
/// </summary>
[Collection(WineEnvironment.Builds)]
public class MacOSBuildTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(8);

    [Theory]
    [InlineData("osx-arm64")]
    [InlineData("osx-x64")]
    public void TheRuntimeBuildsForMacOS(string runtime)
    {
        string repository = WineEnvironment.RepositoryRoot();
        string artifacts = Path.Combine(repository, "artifacts", "osx");
        (int exit, string output) = WineEnvironment.Run(
            "dotnet",
            [
                "build", Path.Combine(repository, "src", "Runtime", "Overlay.Runtime.csproj"),
                "-c", "Release", "-r", runtime,
                "--artifacts-path", artifacts,
                "-nologo", "-v", "quiet",
            ],
            environment: null,
            s_timeout);
        Assert.True(exit == 0, $"dotnet build -r {runtime} failed ({exit}):\n{output}");
        Assert.True(
            File.Exists(Path.Combine(artifacts, "bin", "Overlay.Runtime", $"release_{runtime}", "Overlay.Runtime.dll")),
            $"dotnet build -r {runtime} succeeded but left no Overlay.Runtime.dll under {artifacts}:\n{output}");
    }
}
