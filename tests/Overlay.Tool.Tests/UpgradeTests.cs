using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Overlay.Formats;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary><c>overlay upgrade</c> with this test assembly as the user's assembly.</summary>
public sealed class UpgradeTests : IDisposable
{
    private static readonly string Assembly = typeof(PlayerV2).Assembly.Location;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RenamedAndWidenedFieldsAreUpgradedAndTheRestIsKept()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "Overlay.Tool.Tests.PlayerV2", "--section", "players");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("section 'players': 50 records, Overlay.Tool.Tests.PlayerV1", run.Output, StringComparison.Ordinal);
        Assert.Contains("upgraded 50 records", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, "*.tmp"));

        using (MappedContainer container = MappedContainer.Open(file, Files.Tag, Overlay.MapAccess.Read))
        {
            RecordSection<PlayerV2.ReadOnlyView> players = container.Records<PlayerV2.ReadOnlyView>("players");
            Assert.Equal(50, players.Count);
            for (int i = 0; i < 50; i++)
            {
                PlayerV1 old = Files.Player(i);
                Assert.Equal(new PlayerV2 { Id = old.Id, Points = old.Score, Name = old.Name, Position = old.Position, Rank = old.Rank }, players[i].Load());
            }

            Assert.Equal(3, container.Records<LogLine.ReadOnlyView>("log").Count);
            Assert.Equal("raw bytes"u8.ToArray(), container.Raw("raw").ToArray());
        }

        // The tool reads the upgraded file by its new schema, and it verifies.
        JsonElement record = JsonDocument.Parse(ToolRun.Of("inspect", file, "--json", "--section", "players", "--where", "Id=7").Output)
            .RootElement.GetProperty("sections")[0].GetProperty("records")[0];
        Assert.Equal(10.5, record.GetProperty("Points").GetDouble());
        Assert.Equal(0, ToolRun.Of("verify", file).ExitCode);

        // A second upgrade has nothing to do.
        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("is already Overlay.Tool.Tests.PlayerV2", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ANarrowingIsRefusedAndTheFileIsUnchanged()
    {
        string file = Files.Version1(_temp.File("game.ovl"));
        byte[] before = File.ReadAllBytes(file);
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerNarrowed");
        Assert.Equal(5, run.ExitCode);
        Assert.Contains("upgrade refused", run.Error, StringComparison.Ordinal);
        Assert.Contains("Score: float -> System.Half can lose values", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, "*.tmp"));
    }

    [Fact]
    public void ANarrowingWhoseConvertersTheLayoutDeclaresIsUpgraded()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerConverted", "--section", "players");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("upgraded 50 records", run.Output, StringComparison.Ordinal);

        using MappedContainer container = MappedContainer.Open(file, Files.Tag, Overlay.MapAccess.Read);
        RecordSection<PlayerConverted.ReadOnlyView> players = container.Records<PlayerConverted.ReadOnlyView>("players");
        Assert.Equal(((short)7, (Half)10.5f, "player-7"), (players[7].Id, players[7].Score, players[7].Name));
    }

    [Fact]
    public void WrongAssembliesLayoutsAndSectionsAreUsageErrors()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "Nope");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no such type; its layouts are", run.Error, StringComparison.Ordinal);
        Assert.Contains("Overlay.Tool.Tests.PlayerV2", run.Error, StringComparison.Ordinal);

        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "Overlay.Tool.Tests.Files");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a [MappedLayout] struct", run.Error, StringComparison.Ordinal);

        // Two records sections, neither stored as PlayerV2: the tool does not guess.
        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("name the ones to upgrade with --section", run.Error, StringComparison.Ordinal);

        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2", "--section", "heap");
        Assert.Equal(2, run.ExitCode);

        // A layout that shares no field with the section's is the wrong type, not a new version:
        // upgrading into it would default every field.
        byte[] before = File.ReadAllBytes(file);
        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "Price", "--section", "players");
        Assert.Equal(5, run.ExitCode);
        Assert.Contains("--layout Overlay.Tool.Tests.Price is not a version of section 'players''s layout Overlay.Tool.Tests.PlayerV1", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));

        Assert.Equal(2, ToolRun.Of("upgrade", file, "--assembly", _temp.File("none.dll"), "--layout", "PlayerV2").ExitCode);
        Assert.Equal(2, ToolRun.Of("upgrade", file, "--layout", "PlayerV2").ExitCode); // --assembly is required

        File.WriteAllText(_temp.File("fake.dll"), "not an assembly");
        Assert.Equal(5, ToolRun.Of("upgrade", file, "--assembly", _temp.File("fake.dll"), "--layout", "PlayerV2").ExitCode);

        // Indexes embed no schemas: nothing to upgrade them by.
        run = ToolRun.Of("upgrade", Files.HashIndex(_temp.File("p.idx"), 1), "--assembly", Assembly, "--layout", "PlayerV2");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("only containers and record files embed schemas", run.Error, StringComparison.Ordinal);

        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2", "--section", "players", "--header-layout", "Vec2");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--header-layout", run.Error, StringComparison.Ordinal);
    }
}

/// <summary>On a terminal the upgrade shows a Spectre progress bar; the upgrade is the same.</summary>
public sealed class UpgradeProgressTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnInteractiveUpgradeShowsProgressAndUpgrades()
    {
        string file = Files.Container(_temp.File("game.ovl"), players: 200);
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Overlay.Tool.Cli.OverlayCli.Run(
            ["upgrade", file, "--assembly", typeof(PlayerV2).Assembly.Location, "--layout", "PlayerV2", "--section", "players"],
            new Overlay.Tool.Cli.ToolConsole(output, error, interactive: true));
        Assert.True(exit == 0, output + "\n" + error);
        Assert.Contains("converting records", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("upgraded 200 records", output.ToString(), StringComparison.Ordinal);
        using MappedContainer container = MappedContainer.Open(file, Files.Tag, Overlay.MapAccess.Read);
        Assert.Equal(199, container.Records<PlayerV2.ReadOnlyView>("players")[199].Id);
    }
}
