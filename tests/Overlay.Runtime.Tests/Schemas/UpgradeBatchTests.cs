using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Schemas;
using Overlay.Tests.Durability;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>
/// Both upgrades convert a batch at a time (<c>UpgradeBatches</c>), writing one batch while the
/// next converts: record counts on each side of the batch boundaries, none and one, every record
/// checked; and the record file's count durable with its records (one flush, not two).
/// </summary>
public class UpgradeBatchTests
{
    private const ulong Magic = 0x5348435441425055; // "UPBATCHS"
    private const ulong Tag = ContainerFiles.Tag;

    private static readonly int Batch = UpgradeBatches.RecordsPerBatch(PlayerV1.SizeInBytes, PlayerV3.SizeInBytes);

    private static PlayerV1 Old(int i) => new() { Id = i - 7, Score = i * 0.25f };

    private static TempPath RecordFileV1(int count)
    {
        var temp = new TempPath();
        using var file = RecordFile<Vec2.View, PlayerV1.View>.Create(temp.Path, Magic);
        var records = new PlayerV1[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = Old(i);
        }

        file.AppendRange<PlayerV1>(records);
        file.Flush();
        return temp;
    }

    private static TempPath ContainerV1(int count)
    {
        var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<PlayerV1.View> players = container.AddRecords<PlayerV1.View>("players", count);
        for (int i = 0; i < count; i++)
        {
            players.Append(Old(i));
        }

        container.AddRaw("after").Append("the section after the converted one"u8);
        container.Commit();
        return temp;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(131_075)]
    public void ARecordFileIsUpgradedWholeAtEveryCount(int count)
    {
        using TempPath temp = RecordFileV1(count);
        var reported = new List<long>();
        Assert.Equal(count, RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic, progress: new Recorder(reported)));

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerV3.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(count, file.Count);
        for (int i = 0; i < count; i++)
        {
            PlayerV1 old = Old(i);
            Assert.Equal((old.Id, (double)old.Score, 0L, (Rank)0), (file[i].Id, file[i].Points, file[i].Gold, file[i].Rank));
        }

        AssertProgress(reported, count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(131_075)]
    public void AContainerSectionIsUpgradedWholeAtEveryCount(int count)
    {
        using TempPath temp = ContainerV1(count);
        var reported = new List<long>();
        Assert.Equal(count, MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<PlayerV3>("players"), new Recorder(reported)));

        using MappedContainer upgraded = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        RecordSection<PlayerV3.ReadOnlyView> players = upgraded.Records<PlayerV3.ReadOnlyView>("players");
        Assert.Equal(count, players.Count);
        for (int i = 0; i < count; i++)
        {
            PlayerV1 old = Old(i);
            Assert.Equal((old.Id, (double)old.Score, 0L, (Rank)0), (players[i].Id, players[i].Points, players[i].Gold, players[i].Rank));
        }

        Assert.Equal("the section after the converted one"u8.ToArray(), upgraded.Raw("after").ToArray());
        AssertProgress(reported, count);
    }

    /// <summary>
    /// The new file's durable count is written with its records and flushed once: after a reboot,
    /// with the seal no longer matching, every record still counts.
    /// </summary>
    [Fact]
    public void AnUpgradedRecordFileCountsEveryRecordAsDurable()
    {
        int count = Batch + 5;
        using TempPath temp = RecordFileV1(count);
        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic);
        }

        using (var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            // The last record's Gold: the seal's hash no longer matches, so only the durable count counts.
            stream.Position = stream.Length - PlayerV3.SizeInBytes + 16;
            stream.WriteByte(0xEE);
        }

        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using var file = RecordFile<Vec2.View, PlayerV3.View>.Open(temp.Path, Magic);
            Assert.Equal(count, file.Count);
            Assert.Equal(Old(count - 1).Id, file[count - 1].Id);
        }
    }

    /// <summary>A batch is capped in bytes as well as in records: large records make smaller batches.</summary>
    [Fact]
    public void BatchesAre64KRecordsOrFewerLargeOnes()
    {
        // The counts of the theories above sit on the boundaries of this batch ([InlineData], so that they run under Wine too).
        Assert.Equal(65_536, Batch);
        Assert.Equal(UpgradeBatches.MaxRecords, UpgradeBatches.RecordsPerBatch(8, 24));
        Assert.Equal(UpgradeBatches.MaxBytes / 4096, UpgradeBatches.RecordsPerBatch(100, 4096));
        Assert.Equal(UpgradeBatches.MaxBytes / 4096, UpgradeBatches.RecordsPerBatch(4096, 100));
        Assert.Equal(1, UpgradeBatches.RecordsPerBatch(UpgradeBatches.MaxBytes * 2, 8));
    }

    private static void AssertProgress(List<long> reported, int count)
    {
        // After each batch, growing, ending at the count (nothing when there is nothing to convert).
        var expected = new List<long>();
        for (long done = Math.Min(Batch, count); done > 0; done = done == count ? 0 : Math.Min(done + Batch, count))
        {
            expected.Add(done);
        }

        Assert.Equal(expected, reported);
    }

    /// <summary>Records on the reporting thread (<see cref="Progress{T}"/> would post them later).</summary>
    private sealed class Recorder(List<long> reported) : IProgress<long>
    {
        public void Report(long value) => reported.Add(value);
    }
}
