using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>
/// Record files embed the header's and the record's schemas in their prefix (docs/formats.md §8.4):
/// read without the code that wrote the file, they let other versions of the layouts open it —
/// compatible ones without migration, incompatible ones refused with every difference listed.
/// </summary>
public class RecordFileSchemaTests
{
    private const ulong Magic = 0x5348435345524F56; // "VORESCHS"

    private static TempPath Written<TRecord, TView>(int count, Func<int, TRecord> make)
        where TRecord : struct, IMappedLayout<TRecord>
        where TView : struct, IMappedView<TView>
    {
        var temp = new TempPath();
        using var file = RecordFile<Vec2.View, TView>.Create(temp.Path, Magic);
        Vec2.View header = file.Header;
        header.X = 7;
        for (int i = 0; i < count; i++)
        {
            file.Append(make(i));
        }

        file.Flush();
        return temp;
    }

    private static TempPath WrittenV1(int count) => Written<PlayerV1, PlayerV1.View>(count, i => new PlayerV1 { Id = i, Score = i * 0.5f });

    private static TempPath WrittenV2(int count) => Written<PlayerV2, PlayerV2.View>(count, i => new PlayerV2 { Id = i, Score = i * 0.5f, Gold = 1000 + i });

    [Fact]
    public void CreateEmbedsBothSchemasAndOpenReadsThemBack()
    {
        using TempPath temp = WrittenV1(3);
        byte[] bytes = File.ReadAllBytes(temp.Path);
        RecordFileSchemas schemas = RecordFileSchemas.Decode(bytes)!;
        Assert.True(SchemaComparison.Compare(schemas.Header, Vec2.LayoutInfo).IsIdentical);
        Assert.True(SchemaComparison.Compare(schemas.Record, PlayerV1.LayoutInfo).IsIdentical);
        Assert.Equal(RecordFileOffsets.PrefixSize<Vec2, PlayerV1>(), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(RecordFileFormat.PrefixSizeOffset)));

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerV1.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(PlayerV1.LayoutInfo.Name, file.RecordSchema!.Name);
        Assert.True(SchemaComparison.Compare(file.HeaderSchema!, Vec2.LayoutInfo).IsIdentical);
        Assert.Equal((3L, 8, 7f, 1.0f), (file.Count, file.RecordStride, file.Header.X, file[2].Score));
    }

    [Fact]
    public void AFileWithoutSchemasHasNone()
    {
        using TempPath temp = WrittenV1(2);
        RecordFileBytes.StripSchemas(temp.Path);
        Assert.Null(RecordFileSchemas.Decode(File.ReadAllBytes(temp.Path)));
        using var file = RecordFile<Vec2.ReadOnlyView, PlayerV1.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Null(file.HeaderSchema);
        Assert.Null(file.RecordSchema);
        Assert.Equal(1, file[1].Id);

        // Without schemas another version cannot be compared, so it is refused as before.
        var error = Assert.Throws<InvalidDataException>(() => RecordFile<Vec2.ReadOnlyView, PlayerV2.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read));
        Assert.Contains("record size is 8 bytes, expected 16", error.Message);
        Assert.Contains("the file carries no schemas to compare them by", error.Message);
    }

    /// <summary>Old code, newer file: the records are longer than the code's layout; views read their prefix and appends zero the rest.</summary>
    [Fact]
    public void OldCodeReadsAndAppendsToAFileOfAnAppendedLayout()
    {
        using TempPath temp = WrittenV2(3);
        using (var file = RecordFile<Vec2.View, PlayerV1.View>.Open(temp.Path, Magic))
        {
            Assert.Equal((3L, 16), (file.Count, file.RecordStride));
            Assert.Equal((2, 1.0f), (file[2].Id, file[2].Score));
            Assert.Equal(16, file.Records.Stride);
            Assert.Equal(1.0f, file.Records[2].Score);
            Assert.Equal(new PlayerV1 { Id = 1, Score = 0.5f }, file.Load<PlayerV1>(1));
            PlayerV1.View first = file[0];
            first.Score = 9;
            file.Append(new PlayerV1 { Id = 3, Score = 1.5f });
            file.AppendRange<PlayerV1>([new PlayerV1 { Id = 4 }, new PlayerV1 { Id = 5 }]);
            PlayerV1.View last = file.Append();
            last.Id = 6;
            file.Flush();
        }

        using var newer = RecordFile<Vec2.ReadOnlyView, PlayerV2.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(7, newer.Count);
        Assert.Equal((0, 9f, 1000L), (newer[0].Id, newer[0].Score, newer[0].Gold));
        Assert.Equal((2, 1002L), (newer[2].Id, newer[2].Gold));
        for (int i = 3; i < 7; i++)
        {
            Assert.Equal((i, 0L), (newer[i].Id, newer[i].Gold));
        }
    }

    /// <summary>New code, older file: views would reach into the next record, so they refuse; Load fills the appended fields with their defaults.</summary>
    [Fact]
    public void NewCodeLoadsAnOlderFileWithDefaultsAndNeverReachesPastARecord()
    {
        using TempPath temp = WrittenV1(3);
        byte[] before = File.ReadAllBytes(temp.Path);
        var writable = Assert.Throws<NotSupportedException>(() => RecordFile<Vec2.View, PlayerWithDefaults.View>.Open(temp.Path, Magic));
        Assert.Contains("older version", writable.Message);
        Assert.Contains("MapAccess.Read", writable.Message);
        Assert.Equal(before, File.ReadAllBytes(temp.Path));

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerWithDefaults.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal((3L, 8), (file.Count, file.RecordStride));
        Assert.Contains("Load", Assert.Throws<NotSupportedException>(() => file[0]).Message);
        Assert.Throws<NotSupportedException>(() => file.Records);
        PlayerWithDefaults loaded = file.Load<PlayerWithDefaults>(2);
        Assert.Equal((2, 1.0f, 100L, "rookie", Rank.Gold, 0), (loaded.Id, loaded.Score, loaded.Gold, loaded.Title, loaded.Rank, loaded.NoDefault));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Load<PlayerWithDefaults>(3));
        Assert.Equal(7f, file.LoadHeader<Vec2>().X);
        Assert.Equal(7f, file.Header.X);
    }

    [Fact]
    public void AnIncompatibleLayoutIsRefusedWithEveryDifferenceByName()
    {
        using TempPath temp = WrittenV1(2);
        byte[] before = File.ReadAllBytes(temp.Path);
        var error = Assert.Throws<InvalidDataException>(() => RecordFile<Vec2.View, PlayerReordered.View>.Open(temp.Path, Magic));
        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("needs an upgrade", error.Message);
        Assert.Contains("Id", error.Message);
        Assert.Contains("Score", error.Message);
        Assert.Contains("INCOMPATIBLE", error.Message);
        Assert.Equal(before, File.ReadAllBytes(temp.Path));
    }
}
