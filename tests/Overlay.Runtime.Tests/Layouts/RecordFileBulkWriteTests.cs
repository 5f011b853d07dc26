using System;
using System.IO;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Durability;
using Xunit;

namespace Overlay.Tests.Layouts;

using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// Issue 8's write path: <c>AppendRange</c> of a large range writes through the file handle (no page
/// fault per fresh page), in chunks, across growth; the records are the map's at once, the count is
/// committed last, a refused value appends nothing, and the seal of records written that way is right.
/// </summary>
public class RecordFileBulkWriteTests
{
    private const ulong Magic = RecordFileTests.Magic;
    private static readonly long RecordsOffset = RecordFileTests.RecordsOffset;

    private static TestRecord Record(long i) => new() { Id = i, Value = i * 0.25, Flags = (int)(i * 3), Tag = RecordFileTests.TagOf(i) };

    private static TestRecord[] Records(long from, int count)
    {
        var records = new TestRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = Record(from + i);
        }

        return records;
    }

    private static void AssertRecords(WritableFile file, long count, long? total = null)
    {
        Assert.Equal(total ?? count, file.Count);
        for (long i = 0; i < count; i++)
        {
            TestRecord.View view = file[i];
            Assert.Equal(i, view.Id);
            Assert.Equal(i * 0.25, view.Value);
            Assert.Equal((int)(i * 3), view.Flags);
            Assert.Equal(RecordFileTests.TagOf(i), view.Tag);
        }
    }

    // 64 KiB of growth at a time, so that ranges of 2,047 to 20,000 records of 32 bytes (at and past
    // the 64 KiB at which a range goes through the file, and past the 256 KiB chunk) start and end
    // on each side of a growth step, after single appends that leave the count unaligned.
    [Theory]
    [InlineData(0, 2047)]
    [InlineData(0, 2048)]
    [InlineData(1, 2048)]
    [InlineData(3, 2049)]
    [InlineData(2045, 4096)]
    [InlineData(7, 8192)]
    [InlineData(1, 20_000)]
    public void ALargeRangeLandsWholeAcrossGrowthAndTheFileHoldsExactlyItsBytes(int before, int range)
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            file.MinimumGrowthBytes = 64 << 10;
            for (int i = 0; i < before; i++)
            {
                file.Append(Record(i));
            }

            file.AppendRange<TestRecord>(Records(before, range));
            Assert.True(file.Capacity >= before + range);

            // Seen through the map at once, then appended after by both other paths.
            AssertRecords(file, before + range);
            file.Append(Record(before + range));
            file.Append().Id = before + range + 1;
            Assert.Equal(before + range + 2, file.Count);
        }

        long total = before + range + 2;
        Assert.Equal(RecordsOffset + (total * 32), new FileInfo(temp.Path).Length);
        using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
        AssertRecords(reopened, total - 1, total);
        Assert.Equal(total - 1, reopened[total - 1].Id);
        Assert.Equal(0, reopened[total - 1].Flags);
    }

    [Fact]
    public void ALargeRangeWithARefusedValueAppendsNothingAndItsSlotsAreClearedForTheNextAppends()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic);
        file.MinimumGrowthBytes = 64 << 10;
        file.Append(Record(0));
        TestRecord[] range = Records(1, 12_000);
        range[11_000] = new TestRecord { Id = 1, Tag = "far too long for twelve bytes" };

        // The first chunks (256 KiB) were written before the refused value was met.
        Assert.Throws<ArgumentException>(() => file.AppendRange<TestRecord>(range));
        Assert.Equal(1, file.Count);
        Assert.Equal(1ul, file.Map.ReadAt<ulong>(RecordFileFormat.RecordCountOffset));

        for (int i = 1; i <= 12_000; i++)
        {
            TestRecord.View fresh = file.Append();
            Assert.Equal(0, fresh.Id);
            Assert.Equal(0, fresh.Flags);
            Assert.Equal(string.Empty, fresh.Tag);
        }
    }

    [Fact]
    public void RecordsWrittenThroughTheFileAndNotFlushedAreSealedForTheNextBoot()
    {
        using var temp = new TempPath();
        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.AppendRange<TestRecord>(Records(0, 3000));
            file.Flush();
            file.AppendRange<TestRecord>(Records(3000, 5000));
        }

        // After a clean reboot the seal's hash, read back through the file, matches the records.
        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
            AssertRecords(reopened, 8000);
        }

        // A record changed on the disk after the seal: the next boot trusts only the flushed count.
        using (var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = RecordsOffset + (6000 * 32);
            stream.WriteByte(0xEE);
        }

        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
            Assert.Equal(3000, reopened.Count);
        }
    }

    [Fact]
    public void AFlushMakesRecordsWrittenThroughTheFileDurable()
    {
        using var temp = new TempPath();
        var platform = new BootPlatform(Guid.NewGuid());
        long synced = 0;
        platform.AfterSync = (_, offset, length) => synced = Math.Max(synced, offset + length);
        using (MapPlatform.Override(platform))
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.AppendRange<TestRecord>(Records(0, 4000));
            file.Flush();

            // The msync covers the records' range, which writes back the file's dirty pages there
            // whoever dirtied them (the same page cache).
            Assert.True(synced >= RecordsOffset + (4000 * 32));
        }

        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        {
            using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
            AssertRecords(reopened, 4000);
        }
    }

    [Fact]
    public void WriteThroughFileIsTheMapsBytesAndRefusesWhatItCannotWrite()
    {
        using var temp = new TempPath();
        temp.WithBytes(3 * 4096);
        using (var map = MemoryMap.Open(temp.Path))
        {
            Assert.True(map.CanWriteThroughFile);
            map.WriteThroughFile(100, "through the file"u8);
            Assert.Equal("through the file"u8.ToArray(), map[100..116]);
            Assert.Throws<ArgumentOutOfRangeException>(() => map.WriteThroughFile((3 * 4096) - 4, "12345"u8));
            map.Close();
            Assert.False(map.CanWriteThroughFile);
            Assert.Throws<InvalidOperationException>(() => map.WriteThroughFile(0, "x"u8));
        }

        using (var readOnly = MemoryMap.Open(temp.Path, MapAccess.Read))
        {
            Assert.False(readOnly.CanWriteThroughFile);
        }

        using (var copy = MemoryMap.Open(temp.Path, MapAccess.Copy))
        {
            Assert.False(copy.CanWriteThroughFile);
        }

        using (var anonymous = MemoryMap.Anonymous(4096))
        {
            Assert.False(anonymous.CanWriteThroughFile);
        }
    }
}
