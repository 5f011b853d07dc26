using System;
using System.Linq;
using System.Text.Json;
using Overlay.Samples.GameSave;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary>The tool on samples/GameSave's saves: inspected without the game's code, diffed, upgraded with the game's assembly.</summary>
public sealed class GameSaveToolTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AVersion1SaveIsInspectedThenUpgradedByTheToolWithTheGamesAssembly()
    {
        string save = _temp.File("slot1.save");
        GameSaveDemo.WriteVersion1Save(save);

        ToolRun run = ToolRun.Of("inspect", save, "--section", "players", "--where", "Name=Cassia");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"│ 2 +│ 3 +│ Cassia +│ 2 +│ 30 +│ 3000000 +│ \{X=2, Y=0, Z=-2\} +│", run.Output);

        // A level version 2 cannot hold: its [UpgradeConverter] caps it, the tool needs nothing more.
        using (var file = Overlay.Formats.MappedContainer.Open(save, GameSaveDemo.Tag))
        {
            Overlay.Samples.GameSave.V1.PlayerSave.View dunmore = file.Records<Overlay.Samples.GameSave.V1.PlayerSave.View>("players")[3];
            dunmore.Level = 300;
            file.Commit();
        }

        run = ToolRun.Of(
            "upgrade", save, "--assembly", typeof(GameSaveDemo).Assembly.Location,
            "--layout", "Overlay.Samples.GameSave.V2.PlayerSave", "--section", "players");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Level was short, is byte", run.Output, StringComparison.Ordinal);
        Assert.Contains("converted by the layout's [UpgradeConverter] methods: Level", run.Output, StringComparison.Ordinal);
        Assert.Contains("upgraded 5 records", run.Output, StringComparison.Ordinal);

        JsonElement players = JsonDocument.Parse(ToolRun.Of("inspect", save, "--json", "--section", "players").Output).RootElement.GetProperty("sections")[0];
        Assert.Equal("Overlay.Samples.GameSave.V2.PlayerSave", players.GetProperty("layout").GetString());
        Assert.Equal(GameSaveDemo.Names, players.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("DisplayName").GetString()));
        Assert.Equal(5_000_000, players.GetProperty("records")[4].GetProperty("Gold").GetInt64());
        Assert.Equal([10, 20, 30, 99, 50], players.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Level").GetInt32()));
        Assert.Equal(0, ToolRun.Of("verify", save).ExitCode);
    }
}
