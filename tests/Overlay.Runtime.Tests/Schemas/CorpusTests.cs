using System;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tests.Formats;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>
/// Files written by an earlier build, committed under <c>tests/Overlay.Runtime.Tests/Corpus</c>:
/// every later build must read them (the compatibility promise against real old files). A new
/// corpus file is written once with <c>OVERLAY_WRITE_CORPUS=1</c> and then never rewritten.
/// </summary>
public class CorpusTests
{
    private const ulong Tag = ContainerFiles.Tag;

    [Fact]
    public void TheSchemaV1ContainerOfPlayersV1IsReadByEveryLaterBuild()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Corpus", "players-v1.ovl");
        string source = Path.Combine(CorpusFiles.SourceDirectory(), "players-v1.ovl");
        if (Environment.GetEnvironmentVariable("OVERLAY_WRITE_CORPUS") == "1" && !File.Exists(source))
        {
            path = source;
            using MappedContainer container = MappedContainer.Create(source, Tag);
            RecordSection<PlayerV1.View> players = container.AddRecords<PlayerV1.View>("players");
            RecordSection<Everything.View> everything = container.AddRecords<Everything.View>("everything");
            for (int i = 0; i < 16; i++)
            {
                players.Append(new PlayerV1 { Id = i, Score = i * 0.25f });
            }

            everything.Append(new Everything { Id = 1, Rank = Rank.Gold, Delta = Delta.Down, Key = new Guid("01234567-89ab-cdef-0123-456789abcdef"), Name = "héllo", Code = "AB", Slots = new ushort[] { 1, 2, 3 }, Ranks = new[] { Rank.Bronze, Rank.Gold }, Position = new Vec2 { X = 1, Y = 2 }, Path = new Vec2[2], Small = (Half)1.5, Big = Math.PI });
            container.Commit();
        }

        // The file is copied: opening for writing must never touch the committed bytes.
        string copy = Path.Combine(Path.GetTempPath(), $"overlay-corpus-{Guid.NewGuid():N}.ovl");
        File.Copy(path, copy);
        try
        {
            using (MappedContainer container = MappedContainer.Open(copy, Tag, MapAccess.Read))
            {
                Assert.True(SchemaComparison.Compare(container.GetSchema("players")!, PlayerV1.LayoutInfo).IsIdentical);
                RecordSection<PlayerV1.ReadOnlyView> players = container.Records<PlayerV1.ReadOnlyView>("players");
                Assert.Equal(16, players.Count);
                Assert.Equal(3.75f, players[15].Score);
                Assert.Equal(5L, container.Records<PlayerV2.ReadOnlyView>("players").Load<PlayerV2>(5).Id);
                Everything e = container.Records<Everything.ReadOnlyView>("everything")[0].Load();
                Assert.Equal(("héllo", Rank.Gold, Delta.Down, Math.PI), (e.Name, e.Rank, e.Delta, e.Big));
            }

            MappedContainer.Upgrade(copy, Tag, new ContainerUpgrade().Records<PlayerV3>("players"));
            using MappedContainer upgraded = MappedContainer.Open(copy, Tag, MapAccess.Read);
            Assert.Equal(3.75, upgraded.Records<PlayerV3.ReadOnlyView>("players")[15].Points);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
