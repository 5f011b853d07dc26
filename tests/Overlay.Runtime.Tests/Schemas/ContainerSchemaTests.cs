using System;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

public class ContainerSchemaTests
{
    private const ulong Tag = ContainerFiles.Tag;

    private static TempPath WriteV1(int count)
    {
        var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<PlayerV1.View> players = container.AddRecords<PlayerV1.View>("players");
        for (int i = 0; i < count; i++)
        {
            players.Append(new PlayerV1 { Id = i, Score = i * 1.5f });
        }

        container.Commit();
        return temp;
    }

    private static TempPath WriteV2(int count)
    {
        var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<PlayerV2.View> players = container.AddRecords<PlayerV2.View>("players");
        for (int i = 0; i < count; i++)
        {
            players.Append(new PlayerV2 { Id = i, Score = i * 1.5f, Gold = 1000 + i });
        }

        container.Commit();
        return temp;
    }

    [Fact]
    public void RecordSectionsCarryTheirSchemaAndSectionsOfOneLayoutShareIt()
    {
        using var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            container.AddRecords<Everything.View>("a");
            container.AddRecords<Everything.View>("b");
            container.AddRecords<PlayerV1.View>("c");
            container.AddRaw("raw");
            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            Assert.Equal(2, container.Sections.Count(s => s.Kind == SectionKind.Schema));
            Assert.True(SchemaComparison.Compare(container.GetSchema("a")!, Everything.LayoutInfo).IsIdentical);
            Assert.Equal(container.Sections.Single(s => s.Name == "a").Schema, container.Sections.Single(s => s.Name == "b").Schema);
            Assert.Equal("Overlay.Tests.Schemas.PlayerV1", container.GetSchema("c")!.Name);
            Assert.Null(container.GetSchema("raw"));
        }
    }

    [Fact]
    public void BuilderFilesCarrySchemasToo()
    {
        using var temp = new TempPath();
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            builder.AddRecords<PlayerV2>("players").Append(new PlayerV2 { Id = 7, Gold = 9 });
            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal(SectionKind.Schema, container.Sections[1].Kind);
        Assert.Equal(2u, container.Sections[0].Schema);
        RecordSection<PlayerV1.ReadOnlyView> old = container.Records<PlayerV1.ReadOnlyView>("players");
        Assert.Equal(7, old[0].Id);
    }

    [Fact]
    public void NewCodeReadsOldRecordsWithTheAppendedFieldsZeroAndNoViewPastTheOldStride()
    {
        using TempPath temp = WriteV1(5);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        RecordSection<PlayerV2.View> players = container.Records<PlayerV2.View>("players");
        Assert.Equal(PlayerV1.SizeInBytes, players.RecordSize);
        Assert.Equal(5, players.Count);
        for (int i = 0; i < 5; i++)
        {
            PlayerV2 player = players.Load<PlayerV2>(i);
            Assert.Equal(i, player.Id);
            Assert.Equal(i * 1.5f, player.Score);
            Assert.Equal(0, player.Gold); // the next record's bytes are never read as Gold
        }

        Assert.Throws<NotSupportedException>(() => players[0]);
        Assert.Throws<NotSupportedException>(() => players.Records);
        Assert.Throws<NotSupportedException>(() => players.Append());
        Assert.Equal(5, players.Count);
    }

    [Fact]
    public void OldCodeReadsNewRecordsPrefixThroughViewsAndPinsWithTheFileStride()
    {
        using TempPath temp = WriteV2(100);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        RecordSection<PlayerV1.View> players = container.Records<PlayerV1.View>("players");
        Assert.Equal(PlayerV2.SizeInBytes, players.RecordSize);
        Assert.Equal(42, players[42].Id);
        Assert.Equal(42 * 1.5f, players.Load<PlayerV1>(42).Score);
        Assert.Equal(PlayerV2.SizeInBytes, players.Records.Stride);
        Assert.Equal(99, players.Records.Slice(90, 10)[9].Id);
        long sum = 0;
        foreach (PlayerV1.View player in players.Records)
        {
            sum += player.Id;
        }

        Assert.Equal(99 * 100 / 2, sum);

        // A pinned span steps by the layout's own size (a JIT constant): records further apart refuse.
        Assert.Throws<ArgumentException>(() => players.Pin<PlayerV1.Ref, int>(span => span.Length));
        Assert.Throws<ArgumentException>(() => players.PinReadOnly<PlayerV1.ReadOnlyRef, int>(span => span.Length));

        // Appending through the old layout keeps the file's stride and zeroes what it does not know.
        players.Append(new PlayerV1 { Id = 100, Score = 1 });
        players.At(0).Id = -1;
        container.Commit();
        container.Dispose();
        using MappedContainer reopened = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        RecordSection<PlayerV2.ReadOnlyView> v2 = reopened.Records<PlayerV2.ReadOnlyView>("players");
        Assert.Equal(101, v2.Count);
        Assert.Equal(1000, v2[0].Gold); // an old writer's write of Id left Gold alone
        Assert.Equal(-1, v2[0].Id);
        Assert.Equal(0, v2[100].Gold);
    }

    [Theory]
    [InlineData(typeof(PlayerWidened))]
    [InlineData(typeof(PlayerReordered))]
    public void IncompatibleLayoutsAreRefusedWithEveryDifferenceByName(Type layout)
    {
        using TempPath temp = WriteV1(1);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        InvalidDataException e = layout == typeof(PlayerWidened)
            ? Assert.Throws<InvalidDataException>(() => container.Records<PlayerWidened.ReadOnlyView>("players"))
            : Assert.Throws<InvalidDataException>(() => container.Records<PlayerReordered.ReadOnlyView>("players"));
        Assert.Contains("needs an upgrade", e.Message, StringComparison.Ordinal);
        Assert.Contains("Id ", e.Message, StringComparison.Ordinal);
        Assert.Contains("Score ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileEmbeddedSchemaIsInvalidDataNamingTheFile()
    {
        using TempPath temp = WriteV1(1);
        long schemaOffset;
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            schemaOffset = container.Sections.Single(s => s.Kind == SectionKind.Schema).Offset;
        }

        using (var file = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = schemaOffset + 4;
            file.WriteByte(77); // the schema format version
        }

        using MappedContainer opened = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Contains(temp.Path, Assert.Throws<InvalidDataException>(() => opened.GetSchema("players")).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => opened.Records<PlayerV2.ReadOnlyView>("players"));
        Assert.Equal(0, opened.Records<PlayerV1.ReadOnlyView>("players")[0].Id); // the exact layout needs no schema
    }
}
