using System;
using System.ComponentModel;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>
/// Version 2 of <see cref="PlayerV1"/> with appended fields that declare defaults: what new code
/// reads from version-1 records instead of zero.
/// </summary>
[MappedLayout(Version = 2)]
public partial struct PlayerWithDefaults
{
    public int Id;
    public float Score;
    [DefaultValue(100L)] public long Gold;
    [DefaultValue("rookie"), FixedString(8)] public string Title;
    [DefaultValue(Rank.Gold)] public Rank Rank;
    [DefaultValue((short)-2), BigEndian] public short Lives;
    [DefaultValue(0.5)] public Half Speed;
    [DefaultValue(true)] public bool Active;
    public int NoDefault;
}

public class DefaultValueTests
{
    private const ulong Tag = ContainerFiles.Tag;

    private static readonly PlayerWithDefaults Defaults = new()
    {
        Gold = 100,
        Title = "rookie",
        Rank = Rank.Gold,
        Lives = -2,
        Speed = (Half)0.5,
        Active = true,
    };

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

    [Fact]
    public void TheGeneratorPutsVersionAndDefaultsIntoLayoutInfo()
    {
        LayoutInfo info = PlayerWithDefaults.LayoutInfo;
        Assert.Equal(2, info.Version);
        Assert.Equal(0, PlayerV1.LayoutInfo.Version);
        object?[] defaults = info.Fields.Select(f => f.DefaultValue).ToArray();
        Assert.Equal(new object?[] { null, null, 100L, "rookie", (byte)200, (short)-2, (Half)0.5, true, null }, defaults);
    }

    [Fact]
    public void NewCodeReadsOldRecordsWithTheAppendedFieldsAsTheirDefaults()
    {
        using TempPath temp = WriteV1(3);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        RecordSection<PlayerWithDefaults.ReadOnlyView> players = container.Records<PlayerWithDefaults.ReadOnlyView>("players");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Defaults with { Id = i, Score = i * 1.5f }, players.Load<PlayerWithDefaults>(i));
        }
    }

    [Fact]
    public void RecordsOfTheCurrentLayoutKeepTheirStoredValuesEvenZero()
    {
        using var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            container.AddRecords<PlayerWithDefaults.View>("players").Append(new PlayerWithDefaults { Id = 9, Title = string.Empty });
            container.Commit();
        }

        using MappedContainer reopened = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal(new PlayerWithDefaults { Id = 9, Title = string.Empty }, reopened.Records<PlayerWithDefaults.ReadOnlyView>("players").Load<PlayerWithDefaults>(0));
    }

    [Fact]
    public void UpgradeWritesTheDefaultsOfAddedFields()
    {
        byte[] old = new byte[PlayerV1.SizeInBytes];
        PlayerV1.Store(old, new PlayerV1 { Id = 4, Score = 2.5f });
        byte[] converted = new byte[PlayerWithDefaults.SizeInBytes];
        RecordConverter.Create(PlayerV1.LayoutInfo, PlayerWithDefaults.LayoutInfo).Convert(old, converted);
        Assert.Equal(Defaults with { Id = 4, Score = 2.5f }, PlayerWithDefaults.Load(converted));

        using TempPath temp = WriteV1(2);
        Assert.Equal(2, MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<PlayerWithDefaults>("players")));
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal(Defaults with { Id = 1, Score = 1.5f }, container.Records<PlayerWithDefaults.ReadOnlyView>("players")[1].Load());
        Assert.Equal(2, container.GetSchema("players")!.Version);
    }

    [Fact]
    public void AHandWrittenDefaultOfTheWrongTypeIsRefusedByName()
    {
        LayoutInfo wrong = PlayerWithDefaults.LayoutInfo with
        {
            Fields = PlayerWithDefaults.LayoutInfo.Fields.Select(f => f.Name == "Gold" ? f with { DefaultValue = 100 } : f).ToArray(),
        };
        RecordConverter converter = RecordConverter.Create(PlayerV1.LayoutInfo, wrong);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => converter.Convert(new byte[PlayerV1.SizeInBytes], new byte[PlayerWithDefaults.SizeInBytes]));
        Assert.Contains("Gold", e.Message);
    }
}
