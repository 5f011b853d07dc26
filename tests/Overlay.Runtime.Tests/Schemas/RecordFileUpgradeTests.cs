using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary><c>RecordFile.Upgrade</c>: a record file rewritten into the current layouts through the schemas it embeds (docs/formats.md §8.5).</summary>
public class RecordFileUpgradeTests
{
    private const ulong Magic = 0x4544415247505552; // "RUPGRADE"

    private static TempPath WrittenV1(int count)
    {
        var temp = new TempPath();
        using var file = RecordFile<Vec2.View, PlayerV1.View>.Create(temp.Path, Magic);
        Vec2.View header = file.Header;
        header.X = 3;
        header.Y = 4;
        for (int i = 0; i < count; i++)
        {
            file.Append(new PlayerV1 { Id = i, Score = i + 0.5f });
        }

        file.Flush();
        return temp;
    }

    private static void NoTemporaryFilesBeside(string path) =>
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".upgrade-*"));

    [Fact]
    public void WidensRenamesAndAddsFieldsAndTheResultOpensWithTheExactLayouts()
    {
        using TempPath temp = WrittenV1(70_000);
        long converted = RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic);
        Assert.Equal(70_000, converted);
        NoTemporaryFilesBeside(temp.Path);

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerV3.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal((70_000L, PlayerV3.SizeInBytes), (file.Count, file.RecordStride));
        Assert.True(SchemaComparison.Compare(file.RecordSchema!, PlayerV3.LayoutInfo).IsIdentical);
        Assert.Equal((3f, 4f), (file.Header.X, file.Header.Y));
        foreach (long i in new long[] { 0, 1, 65_535, 65_536, 69_999 })
        {
            Assert.Equal((i, i + 0.5, 0L, (Rank)0), (file[i].Id, file[i].Points, file[i].Gold, file[i].Rank));
        }
    }

    [Fact]
    public void ALossyFieldWithoutAConverterIsRefusedBeforeAnythingIsWritten()
    {
        using TempPath temp = WrittenV1(10);
        byte[] before = File.ReadAllBytes(temp.Path);
        var error = Assert.Throws<InvalidOperationException>(() => RecordFile<Vec2.View, PlayerNarrowed.View>.Upgrade(temp.Path, Magic));
        Assert.Contains("Score", error.Message);
        Assert.Equal(before, File.ReadAllBytes(temp.Path));
        NoTemporaryFilesBeside(temp.Path);

        var converters = new Dictionary<string, FieldConverter>
        {
            ["Score"] = static (stored, field) => BitConverter.TryWriteBytes(field, (Half)stored.ReadDouble("Score")),
        };
        RecordFile<Vec2.View, PlayerNarrowed.View>.Upgrade(temp.Path, Magic, converters);
        using var file = RecordFile<Vec2.ReadOnlyView, PlayerNarrowed.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal((Half)9.5f, file[9].Score);
    }

    [Fact]
    public void AFileWithoutSchemasCannotBeUpgradedFieldByField()
    {
        using TempPath temp = WrittenV1(2);
        RecordFileBytes.StripSchemas(temp.Path);
        byte[] before = File.ReadAllBytes(temp.Path);
        var error = Assert.Throws<InvalidDataException>(() => RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic));
        Assert.Contains("embeds no schemas", error.Message);
        Assert.Equal(before, File.ReadAllBytes(temp.Path));
    }

    [Fact]
    public void AFileOpenForWritingIsNotUpgradedUnderItsWriter()
    {
        using TempPath temp = WrittenV1(2);
        using (var writer = RecordFile<Vec2.View, PlayerV1.View>.Open(temp.Path, Magic))
        {
            Assert.Throws<IOException>(() => RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic));
            writer.Append(new PlayerV1 { Id = 2 });
        }

        NoTemporaryFilesBeside(temp.Path);
        Assert.Equal(3, RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic));
    }
}
