using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

public class UpgradeTests
{
    private const ulong Tag = ContainerFiles.Tag;

    // [FormerName("Score")] reaches LayoutInfo through the generator.
    private static LayoutInfo V3 => PlayerV3.LayoutInfo;

    private static TempPath WriteV1(int count)
    {
        var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<PlayerV1.View> players = container.AddRecords<PlayerV1.View>("players");
        HeapSection heap = container.AddHeap("heap");
        for (int i = 0; i < count; i++)
        {
            players.Append(new PlayerV1 { Id = i - 5, Score = i * 1.5f });
        }

        heap.Allocate("kept"u8);
        container.AddRaw("raw").Append("raw bytes"u8);
        container.Commit();
        return temp;
    }

    /// <summary>The old layout's schema section goes with its last records section; one still referred to stays.</summary>
    [Fact]
    public void UpgradeLeavesNoSchemaSectionThatNothingRefersTo()
    {
        using TempPath temp = WriteV1(10);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            RecordSection<PlayerV1.View> more = container.AddRecords<PlayerV1.View>("more");
            more.Append(new PlayerV1 { Id = 1 });
            container.Commit();
        }

        MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<PlayerV3>("players"));
        AssertEverySchemaSectionIsReferred(temp.Path, expected: 2);
        MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<PlayerV3>("more"));
        AssertEverySchemaSectionIsReferred(temp.Path, expected: 2);
        using MappedContainer upgraded = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.True(SchemaComparison.Compare(upgraded.GetSchema("more")!, PlayerV3.LayoutInfo).IsIdentical);
        Assert.Equal(1L, upgraded.Records<PlayerV3.ReadOnlyView>("more")[0].Id);
    }

    private static void AssertEverySchemaSectionIsReferred(string path, int expected)
    {
        using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
        SectionInfo[] schemas = container.Sections.Where(s => s.Kind == SectionKind.Schema).ToArray();
        Assert.Equal(expected, schemas.Length);
        Assert.All(schemas, schema => Assert.Contains(container.Sections, s => s.Schema == (uint)schema.Index + 1));
    }

    [Fact]
    public void RenamedWidenedAddedAndMovedFieldsAreUpgraded()
    {
        using TempPath temp = WriteV1(1000);
        RecordConverter converter = RecordConverter.Create(PlayerV1.LayoutInfo, V3);
        byte[] oldRecord = new byte[PlayerV1.SizeInBytes];
        PlayerV1.Store(oldRecord, new PlayerV1 { Id = -7, Score = 2.5f });
        byte[] newRecord = new byte[PlayerV3.SizeInBytes];
        converter.Convert(oldRecord, newRecord);
        Assert.Equal(new PlayerV3 { Id = -7, Points = 2.5, Gold = 0, Rank = Rank.None }, PlayerV3.Load(newRecord));

        // Without the former name, Score is a removed field (dropped) and Points an added one (zero).
        byte[] unmatched = new byte[PlayerV3.SizeInBytes];
        RecordConverter.Create(PlayerV1.LayoutInfo, V3 with { Fields = V3.Fields.Select(f => f with { FormerNames = null }).ToArray() }).Convert(oldRecord, unmatched);
        Assert.Equal(new PlayerV3 { Id = -7 }, PlayerV3.Load(unmatched));

        Assert.Equal(new[] { "Score" }, V3.Fields.Single(f => f.Name == "Points").FormerNames);
        Assert.Equal(1000, MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<PlayerV3>("players")));

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        RecordSection<PlayerV3.ReadOnlyView> players = container.Records<PlayerV3.ReadOnlyView>("players");
        Assert.Equal(1000, players.Count);
        Assert.Equal(PlayerV3.SizeInBytes, players.RecordSize);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(new PlayerV3 { Id = i - 5, Points = i * 1.5f }, players[i].Load());
        }

        Assert.True(SchemaComparison.Compare(container.GetSchema("players")!, PlayerV3.LayoutInfo).IsIdentical);
        Assert.Equal("raw bytes"u8.ToArray(), container.Raw("raw").ToArray());
        Assert.Equal(1, container.Heap("heap").Count);
    }

    [Fact]
    public void NarrowingNeedsAConverterAndTheOldFileStaysIntact()
    {
        using TempPath temp = WriteV1(10);
        byte[] before = File.ReadAllBytes(temp.Path);
        var plan = new ContainerUpgrade().Records<PlayerNarrowed>("players");
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => MappedContainer.Upgrade(temp.Path, Tag, plan));
        Assert.Contains("Score: float -> System.Half can lose values", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(temp.Path));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".upgrade-*"));

        var converters = new Dictionary<string, FieldConverter>
        {
            ["Score"] = static (stored, field) => BitConverter.TryWriteBytes(field, (Half)Math.Min(stored.ReadDouble("Score"), 60000)),
        };
        MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<PlayerNarrowed>("players", converters));
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal((Half)13.5f, container.Records<PlayerNarrowed.ReadOnlyView>("players")[9].Score);
    }

    [Fact]
    public void StringsArraysAndEnumsConvertByValueAndAValueThatDoesNotFitIsRefused()
    {
        byte[] old = new byte[NamedV1.SizeInBytes];
        NamedV1.Store(old, new NamedV1 { Id = 3, Name = "abcd", Ranks = new[] { Rank.Gold, Rank.Bronze }, At = new Vec2 { X = 1, Y = 2 } });
        byte[] converted = new byte[NamedV2.SizeInBytes];
        RecordConverter.Create(NamedV1.LayoutInfo, NamedV2.LayoutInfo).Convert(old, converted);
        NamedV2 value = NamedV2.Load(converted);
        Assert.Equal("abcd", value.Name);
        Assert.Equal(3, value.Id);
        Assert.Equal(new ushort[] { 200, 1, 0 }, value.Ranks);
        Assert.Equal(new Vec2 { X = 1, Y = 2 }, value.At);

        // Back: UTF-8 (8) to ASCII (4) is refused per value when the text does not fit, never cut.
        RecordConverter back = RecordConverter.Create(NamedV2.LayoutInfo, NamedV1.LayoutInfo, new Dictionary<string, FieldConverter>
        {
            ["Id"] = static (stored, field) => BitConverter.TryWriteBytes(field, (int)stored.ReadInt64("Id")),
            ["Ranks"] = static (stored, field) => stored.Field("Ranks")[..2].CopyTo(field),
        });
        byte[] shortName = new byte[NamedV2.SizeInBytes];
        NamedV2.Store(shortName, new NamedV2 { Name = "ab", Id = 4, Ranks = new ushort[3] });
        back.Convert(shortName, old);
        Assert.Equal("ab", NamedV1.Load(old).Name);
        NamedV2.Store(shortName, new NamedV2 { Name = "abcdef", Id = 4, Ranks = new ushort[3] });
        Assert.Contains("Name", Assert.Throws<InvalidDataException>(() => back.Convert(shortName, old)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUpgradeRefusedByAValueLeavesTheOldFileIntact()
    {
        using var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            container.AddRecords<NamedV2.View>("named").Append(new NamedV2 { Name = "toolong", Ranks = new ushort[3] });
            container.Commit();
        }

        byte[] before = File.ReadAllBytes(temp.Path);
        var plan = new ContainerUpgrade().Records<NamedV1>("named", new Dictionary<string, FieldConverter>
        {
            ["Id"] = static (stored, field) => { },
            ["Ranks"] = static (stored, field) => { },
        });
        Assert.Throws<InvalidDataException>(() => MappedContainer.Upgrade(temp.Path, Tag, plan));
        Assert.Equal(before, File.ReadAllBytes(temp.Path));
    }
}
