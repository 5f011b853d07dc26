using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Wine.Tests;

/// <summary>
/// The package as a user gets it: <c>dotnet pack src/Runtime</c> (package <c>Overlay</c>, the
/// generator and analyzers in <c>analyzers/dotnet/cs</c>) into a folder, a fresh
/// <c>dotnet new console</c> that references it from that folder (a version no other source has; a
/// private package cache, with the machine's cache as a read-only fallback for the framework packs),
/// a <c>[MappedLayout]</c> written through a read-only map (the build fails with OVL001), then
/// fixed, built and run for linux-x64, and published self-contained for win-x64 and run under Wine.
/// One restore serves every step. In the Wine collection: it shares the Wine test's prefix.
/// </summary>
[Collection(WineEnvironment.Wine)]
public sealed class PackageConsumerTests(ITestOutputHelper output) : IDisposable
{
    private const string Version = "0.1.0-consumer";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    private readonly string _temp = Directory.CreateTempSubdirectory("overlay-package-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void TheFreshConsoleProjectFailsWithOvl001ThenRunsOnLinuxAndUnderWine()
    {
        string wine = WineEnvironment.FindWine();
        string repository = WineEnvironment.RepositoryRoot();
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string packages = Directory.CreateDirectory(Path.Combine(_temp, "packages")).FullName;
        string app = Path.Combine(_temp, "app");
        var clock = Stopwatch.StartNew();

        // What the build made (this project references src/Runtime, so it is built), packed as released.
        Dotnet(_temp, "pack", Path.Combine(repository, "src", "Runtime", "Overlay.Runtime.csproj"), "-c", configuration, "--no-build", "-o", packages, $"-p:PackageVersion={Version}", "-nologo");
        Assert.True(File.Exists(Path.Combine(packages, $"Overlay.{Version}.nupkg")), string.Join(", ", Directory.GetFiles(packages)));

        // The packed folder is the only source of this version; the user's own sources stay for the
        // framework's runtime packs, and the machine's package cache is read, never written.
        string machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(_temp, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="packed" value="{packages}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machineCache}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        Dotnet(_temp, "new", "console", "-o", app, "-n", "PackageUser");
        string project = Path.Combine(app, "PackageUser.csproj");
        string text = File.ReadAllText(project);
        text = text.Replace("</PropertyGroup>", $"""
              <RuntimeIdentifiers>linux-x64;win-x64</RuntimeIdentifiers>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Overlay" Version="{Version}" />
              </ItemGroup>
            """, StringComparison.Ordinal);
        File.WriteAllText(project, text);
        File.WriteAllText(Path.Combine(app, "Player.cs"), """
            using Overlay.Layouts;

            namespace PackageUser;

            [MappedLayout]
            public partial struct Player
            {
                public int Id;
                public double Score;
            }
            """);
        string program = Path.Combine(app, "Program.cs");
        File.WriteAllText(program, Program("MapAccess.Read"));

        Dotnet(app, "restore");
        (int failed, string errors) = Run(app, "build", "--no-restore", "-c", configuration);
        Assert.True(failed != 0, $"writing through a read-only map built:\n{errors}");
        Assert.Contains("Program.cs(8,5): error OVL001: Setting 'Id' writes into a read-only memory map", errors, StringComparison.Ordinal);
        Assert.Contains("Program.cs(9,5): error OVL001: Setting 'Score' writes into a read-only memory map", errors, StringComparison.Ordinal);

        File.WriteAllText(program, Program("MapAccess.Write"));
        Dotnet(app, "build", "--no-restore", "-c", configuration, "-r", "linux-x64", "--no-self-contained");
        (int exit, string linux) = WineEnvironment.Run(Path.Combine(app, "bin", configuration, "net10.0", "linux-x64", "PackageUser"), [], null, s_timeout, app);
        Assert.True(exit == 0, $"the linux-x64 build exited {exit}:\n{linux}");
        Assert.Contains("player 7 scored 2.5 on Linux", Lines(linux));

        string published = Path.Combine(_temp, "win-x64");
        Dotnet(app, "publish", "--no-restore", "-c", configuration, "-r", "win-x64", "--self-contained", "-o", published);
        // The Wine test's prefix (made once, ~17-30 s): Wine wants the folder above it to exist.
        string work = Directory.CreateDirectory(Path.Combine(repository, "artifacts", "wine")).FullName;
        (exit, string windows) = WineEnvironment.Run(wine, [Path.Combine(published, "PackageUser.exe")], WineEnvironment.Variables(work), s_timeout, app);
        Assert.True(exit == 0, $"the win-x64 publish exited {exit} under Wine:\n{windows}");
        // Wine adds its own lines on stderr (a new prefix), so the program's line is looked for.
        Assert.Contains("player 7 scored 2.5 on Windows", Lines(windows));
        output.WriteLine($"pack, new, restore, two builds, a publish and two runs: {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.TrimEntries);

    private static string Program(string access) => $$"""
        using Overlay;
        using PackageUser;

        File.WriteAllBytes("save.bin", new byte[64]);
        using (var map = MemoryMap.Open("save.bin", {{access}}))
        {
            var player = new Player.View(map, 0);
            player.Id = 7;
            player.Score = 2.5;
        }

        using (var map = MemoryMap.Open("save.bin", MapAccess.Read))
        {
            var player = new Player.ReadOnlyView(map, 0);
            Console.WriteLine($"player {player.Id} scored {player.Score} on {(OperatingSystem.IsWindows() ? "Windows" : "Linux")}");
        }
        """;

    private void Dotnet(string directory, params string[] arguments)
    {
        (int exit, string text) = Run(directory, arguments);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', arguments)} exited {exit}:\n{text}");
    }

    private (int ExitCode, string Output) Run(string directory, params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            // A private package cache: the test's package never lands in the machine's.
            ["NUGET_PACKAGES"] = Path.Combine(_temp, "cache"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
        return WineEnvironment.Run("dotnet", arguments, environment, s_timeout, directory);
    }
}
