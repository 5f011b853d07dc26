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

/// <summary>
/// Conversions declared in the layout (<c>[UpgradeConverter]</c>, listed by the generator in
/// <see cref="LayoutInfo.UpgradeConverters"/>): used by every upgrade when the caller passes none,
/// replaced field by field by those the caller passes (docs/formats.md §8.5).
/// </summary>
public class DeclaredConverterTests
{
    private const ulong Magic = 0x56444552414C4344; // "DCLAREDV"

    private static TempPath RecordFileV1(int count)
    {
        var temp = new TempPath();
        using var file = RecordFile<Vec2.View, PlayerV1.View>.Create(temp.Path, Magic);
        for (int i = 0; i < count; i++)
        {
            file.Append(new PlayerV1 { Id = i * 1000, Score = i + 0.5f });
        }

        file.Flush();
        return temp;
    }

    [Fact]
    public void TheGeneratorListsTheDeclaredConvertersByFieldName()
    {
        Assert.Equal(["Score"], PlayerHalfScore.LayoutInfo.UpgradeConverters!.Keys);
        Assert.Equal(["Id", "Score"], PlayerShortId.LayoutInfo.UpgradeConverters!.Keys.Order());
        Assert.Null(PlayerNarrowed.LayoutInfo.UpgradeConverters);

        // Code, not data: a schema read back from its bytes has none.
        Assert.Null(LayoutSchema.Decode(LayoutSchema.Encode(PlayerHalfScore.LayoutInfo)).UpgradeConverters);
    }

    [Fact]
    public void ARecordFileUpgradeUsesTheDeclaredConverters()
    {
        using TempPath temp = RecordFileV1(70_000);
        Assert.Equal(70_000, RecordFile<Vec2.View, PlayerHalfScore.View>.Upgrade(temp.Path, Magic));

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerHalfScore.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        foreach (long i in new long[] { 0, 1, 65_535, 65_536, 69_999 })
        {
            Assert.Equal(((int)i * 1000, (Half)(i + 0.5f)), (file[i].Id, file[i].Score));
        }
    }

    [Fact]
    public void AValueReturnedByAConverterIsStoredInTheFieldsByteOrder()
    {
        using TempPath temp = RecordFileV1(40);
        RecordFile<Vec2.View, PlayerShortId.View>.Upgrade(temp.Path, Magic);

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerShortId.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(((short)7000, (Half)15f), (file[7].Id, file[7].Score));
        Assert.Equal(short.MaxValue, file[39].Id); // 39000, clamped by the converter
        byte[] bytes = File.ReadAllBytes(temp.Path);
        long at = ((IMappedView<PlayerShortId.ReadOnlyView>)file[7]).Offset;
        Assert.Equal(new byte[] { 0x1B, 0x58 }, bytes[(int)at..(int)(at + 2)]); // 7000, big-endian
    }

    [Fact]
    public void AConverterPassedByTheCallerReplacesTheDeclaredOneForItsFieldOnly()
    {
        using TempPath temp = RecordFileV1(5);
        var passed = new Dictionary<string, FieldConverter>
        {
            ["Score"] = static (stored, field) => BitConverter.TryWriteBytes(field, (Half)(-1)),
        };
        RecordFile<Vec2.View, PlayerShortId.View>.Upgrade(temp.Path, Magic, passed);

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerShortId.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(((short)3000, (Half)(-1)), (file[3].Id, file[3].Score));
    }

    [Fact]
    public void AContainerUpgradeUsesTheDeclaredConverters()
    {
        using var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, ContainerFiles.Tag))
        {
            RecordSection<PlayerV1.View> players = container.AddRecords<PlayerV1.View>("players");
            for (int i = 0; i < 10; i++)
            {
                players.Append(new PlayerV1 { Id = i, Score = i * 1.5f });
            }

            container.Commit();
        }

        Assert.Equal(10, MappedContainer.Upgrade(temp.Path, ContainerFiles.Tag, new ContainerUpgrade().Records<PlayerHalfScore>("players")));
        using MappedContainer upgraded = MappedContainer.Open(temp.Path, ContainerFiles.Tag, MapAccess.Read);
        Assert.Equal((Half)13.5f, upgraded.Records<PlayerHalfScore.ReadOnlyView>("players")[9].Score);
    }

    [Fact]
    public void RecordConverterCreateUsesTheDeclaredConverters()
    {
        RecordConverter converter = RecordConverter.Create(PlayerV1.LayoutInfo, PlayerHalfScore.LayoutInfo);
        byte[] stored = new byte[PlayerV1.SizeInBytes];
        PlayerV1.Store(stored, new PlayerV1 { Id = 4, Score = 2.5f });
        byte[] converted = new byte[PlayerHalfScore.SizeInBytes];
        converter.Convert(stored, converted);
        Assert.Equal(new PlayerHalfScore { Id = 4, Score = (Half)2.5f }, PlayerHalfScore.Load(converted));

        // Without a declared converter the refusal says how to declare one.
        var error = Assert.Throws<InvalidOperationException>(() => RecordConverter.Create(PlayerV1.LayoutInfo, PlayerNarrowed.LayoutInfo));
        Assert.Contains("declare an [UpgradeConverter] method in the layout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclaredConverterThatThrowsLeavesTheOldFileIntact()
    {
        using TempPath temp = RecordFileV1(3);
        using (var file = RecordFile<Vec2.View, PlayerV1.View>.Open(temp.Path, Magic))
        {
            file.Append(new PlayerV1 { Id = -1, Score = 1 });
            file.Flush();
        }

        byte[] before = File.ReadAllBytes(temp.Path);
        Assert.Throws<OverflowException>(() => RecordFile<Vec2.View, PlayerCheckedId.View>.Upgrade(temp.Path, Magic));
        Assert.Equal(before, File.ReadAllBytes(temp.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".upgrade-*"));
    }
}
