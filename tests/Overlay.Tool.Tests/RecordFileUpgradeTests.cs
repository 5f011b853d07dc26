using System;
using System.IO;
using System.Text.Json;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary><c>overlay upgrade FILE.rec</c>: a record file's header and records rewritten into layouts of this test assembly (the user's assembly).</summary>
public sealed class RecordFileUpgradeTests : IDisposable
{
    private static readonly string Assembly = typeof(PlayerConverted).Assembly.Location;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private void NoTemporaryFiles() => Assert.Empty(Directory.EnumerateFiles(_temp.Path, "*.tmp"));

    [Fact]
    public void NarrowedFieldsAreUpgradedWithTheConvertersTheLayoutDeclares()
    {
        // More than one batch of 64K records; ids that fit the short they are narrowed to.
        static PlayerV1 Player(int i) => Files.Player(i) with { Id = i % 30_000 };
        string file = Files.PlayersRecordFile(_temp.File("players.rec"), 70_000, Player);
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "Overlay.Tool.Tests.PlayerConverted");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("header: Overlay.Tool.Tests.Vec2, unchanged.", run.Output, StringComparison.Ordinal);
        Assert.Contains("records: 70000 records, Overlay.Tool.Tests.PlayerV1", run.Output, StringComparison.Ordinal);
        Assert.Contains("  converted by the layout's [UpgradeConverter] methods: Id, Score", run.Output, StringComparison.Ordinal);
        Assert.Contains("upgraded 70000 records", run.Output, StringComparison.Ordinal);
        NoTemporaryFiles();

        using (var upgraded = RecordFile<Vec2.ReadOnlyView, PlayerConverted.ReadOnlyView>.Open(file, Files.PlayersMagic, MapAccess.Read))
        {
            Assert.Equal(70_000, upgraded.Count);
            Assert.Equal((3f, 4f), (upgraded.Header.X, upgraded.Header.Y));
            foreach (int i in new[] { 0, 1, 7, 65_535, 65_536, 69_999 })
            {
                PlayerV1 old = Player(i);
                Assert.Equal(((short)old.Id, (Half)old.Score, old.Name), (upgraded[i].Id, upgraded[i].Score, upgraded[i].Name));
            }
        }

        // The tool reads the upgraded file by its new schemas, and it verifies.
        JsonElement schema = JsonDocument.Parse(ToolRun.Of("schema", file, "--json").Output).RootElement;
        Assert.Contains("Overlay.Tool.Tests.PlayerConverted", schema.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, ToolRun.Of("verify", file).ExitCode);
    }

    [Fact]
    public void AWidenedLayoutAndANewHeaderLayoutAreUpgradedOnceThenLeftAlone()
    {
        string file = Files.PlayersRecordFile(_temp.File("players.rec"), 20);
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2", "--header-layout", "HeaderV2");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("header: Overlay.Tool.Tests.Vec2 (8 bytes) -> Overlay.Tool.Tests.HeaderV2 (12 bytes)", run.Output, StringComparison.Ordinal);

        using (var upgraded = RecordFile<HeaderV2.ReadOnlyView, PlayerV2.ReadOnlyView>.Open(file, Files.PlayersMagic, MapAccess.Read))
        {
            Assert.Equal((3f, 4f, 0), (upgraded.Header.X, upgraded.Header.Y, upgraded.Header.Version));
            PlayerV1 old = Files.Player(19);
            Assert.Equal(new PlayerV2 { Id = old.Id, Points = old.Score, Name = old.Name, Position = old.Position, Rank = old.Rank }, upgraded.Load<PlayerV2>(19));
        }

        // The header's layout is now found by the name the file stores.
        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("nothing to upgrade", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ANarrowingWithoutAConverterIsRefusedListingTheFieldAndTheFileIsUnchanged()
    {
        string file = Files.PlayersRecordFile(_temp.File("players.rec"), 10);
        byte[] before = File.ReadAllBytes(file);
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerNarrowed");
        Assert.Equal(5, run.ExitCode);
        Assert.Contains($"upgrade refused, {file} is unchanged", run.Error, StringComparison.Ordinal);
        Assert.Contains("Score: float -> System.Half can lose values", run.Error, StringComparison.Ordinal);
        Assert.Contains("[UpgradeConverter]", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
        NoTemporaryFiles();
    }

    [Fact]
    public void AConverterThatThrowsStopsTheUpgradeAndTheFileIsUnchanged()
    {
        // Player 5's id does not fit the short PlayerConverted's converter checks it into.
        string file = Files.PlayersRecordFile(_temp.File("players.rec"), 10, i => Files.Player(i) with { Id = i == 5 ? 40_000 : i });
        byte[] before = File.ReadAllBytes(file);
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerConverted");
        Assert.Equal(5, run.ExitCode);
        Assert.Contains("a converter threw OverflowException", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
        NoTemporaryFiles();
    }

    [Fact]
    public void ALayoutThatIsNoVersionOfTheStoredOneIsRefusedAndTheFileIsUnchanged()
    {
        string file = Files.PlayersRecordFile(_temp.File("players.rec"), 3);
        byte[] before = File.ReadAllBytes(file);
        ToolRun run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "Price");
        Assert.Equal(5, run.ExitCode);
        Assert.Contains("--layout Overlay.Tool.Tests.Price is not a version of the file's records layout Overlay.Tool.Tests.PlayerV1", run.Error, StringComparison.Ordinal);

        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2", "--header-layout", "Price");
        Assert.Equal(5, run.ExitCode);
        Assert.Contains("is not a version of the file's header layout Overlay.Tool.Tests.Vec2", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));

        Assert.Equal(2, ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "Nope").ExitCode);
        Assert.Equal(2, ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2", "--header-layout", "Nope").ExitCode);
        run = ToolRun.Of("upgrade", file, "--assembly", Assembly, "--layout", "PlayerV2", "--section", "players");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a record file, which has no sections", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
        NoTemporaryFiles();
    }

    [Fact]
    public void AnInteractiveUpgradeShowsProgress()
    {
        string file = Files.PlayersRecordFile(_temp.File("players.rec"), 300);
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Overlay.Tool.Cli.OverlayCli.Run(
            ["upgrade", file, "--assembly", Assembly, "--layout", "PlayerConverted"],
            new Overlay.Tool.Cli.ToolConsole(output, error, interactive: true));
        Assert.True(exit == 0, output + "\n" + error);
        Assert.Contains("converting records", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("upgraded 300 records", output.ToString(), StringComparison.Ordinal);
        using var upgraded = RecordFile<Vec2.ReadOnlyView, PlayerConverted.ReadOnlyView>.Open(file, Files.PlayersMagic, MapAccess.Read);
        Assert.Equal((short)299, upgraded[299].Id);
    }
}
