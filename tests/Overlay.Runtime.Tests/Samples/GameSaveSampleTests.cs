using System;
using System.IO;
using Overlay.Formats;
using Overlay.Samples.GameSave;
using Overlay.Schemas;
using Xunit;
using V1 = Overlay.Samples.GameSave.V1;
using V2 = Overlay.Samples.GameSave.V2;

namespace Overlay.Tests.Samples;

/// <summary>samples/GameSave's core: what it prints, and the saves it leaves, read back by both versions.</summary>
public sealed class GameSaveSampleTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"overlay-gamesave-test-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void TheSampleRunsAndReportsEveryStep()
    {
        var output = new StringWriter();
        Assert.Equal(0, GameSaveDemo.Run(_work, output));
        string text = output.ToString();
        Assert.Contains("version 1 wrote", text, StringComparison.Ordinal);
        Assert.Contains("version 2 refuses the version-1 players as they are:", text, StringComparison.Ordinal);
        Assert.Contains("incompatible: Level was short, is byte", text, StringComparison.Ordinal);
        Assert.Contains("incompatible: Gold was int, is long", text, StringComparison.Ordinal);
        Assert.Contains("upgraded 5 players to version 2", text, StringComparison.Ordinal);
        Assert.Contains("5 Elspeth  Mage     level  50  gold 5,005,000,000  quests 2 (1 open)", text, StringComparison.Ordinal);
        Assert.Contains("4 Dunmore  Warrior  level  40  gold 5,004,000,000  quests 1 (1 open)", text, StringComparison.Ordinal);
        Assert.Contains("compatible: Quests (VarList<Overlay.Samples.GameSave.V2.Quest>", text, StringComparison.Ordinal);
        Assert.Contains("version 2 reads version 1's settings as they are: volume 0.5, difficulty 1, subtitles False", text, StringComparison.Ordinal);
        Assert.Contains("version 1 reads version 2's settings as they are: volume 0.25, difficulty 3", text, StringComparison.Ordinal);
        Assert.Contains("the two layouts: compatible (append-only)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUpgradedSaveHoldsEveryPlayerRenamedAndWidenedAndItsQuests()
    {
        GameSaveDemo.Run(_work, TextWriter.Null);
        using MappedContainer save = MappedContainer.Open(Path.Combine(_work, "slot1.save"), GameSaveDemo.Tag, MapAccess.Read);
        Assert.True(SchemaComparison.Compare(save.GetSchema("players")!, V2.PlayerSave.LayoutInfo).IsIdentical);
        RecordSection<V2.PlayerSave.ReadOnlyView> players = save.Records<V2.PlayerSave.ReadOnlyView>("players");
        HeapSection heap = save.Heap(GameSaveDemo.HeapName);
        Assert.Equal(GameSaveDemo.Names.Length, players.Count);
        for (int i = 0; i < players.Count; i++)
        {
            V2.PlayerSave player = players[i].Load(heap);
            Assert.Equal(GameSaveDemo.Names[i], player.DisplayName);
            Assert.Equal(10 * (i + 1), player.Level);
            Assert.Equal((1_000_000L * (i + 1)) + 5_000_000_000L, player.Gold);
            Assert.Equal((V2.Class)(i % 3), player.Class);
            Assert.Equal(new V2.Vec3 { X = i, Z = -i }, player.Position);
            Assert.Equal(i % 2 == 0 ? 2 : 1, player.Quests.Length);
            Assert.Equal(new V2.Quest { QuestId = 100 + i, State = V2.QuestState.Open }, player.Quests[0]);
        }

        // The quests are a list in each player's record, one heap value per player.
        Assert.Equal(GameSaveDemo.Names.Length, heap.Count);

        // The settings section was not migrated: version 1 reads it as it was written.
        Assert.Equal(2, save.Records<V1.Settings.ReadOnlyView>("settings")[0].Difficulty);

        // And version 1 can no longer read the players: refused with the differences, never misread.
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => save.Records<V1.PlayerSave.ReadOnlyView>("players"));
        Assert.Contains("Name", e.Message, StringComparison.Ordinal);
    }
}
