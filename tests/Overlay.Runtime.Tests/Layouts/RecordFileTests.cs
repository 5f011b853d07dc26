using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;
using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;

public class RecordFileTests
{
    internal const ulong Magic = 0x4F56_4C59_5245_4331UL;

    // The 128-byte prefix and the schema region, then the 12-byte header, padded to 8.
    internal static readonly long RecordsOffset = RecordFileOffsets.RecordsOffset<TestHeader, TestRecord>();

    internal static string TagOf(long i) => i % 7 == 0 ? $"é{i}" : $"t{i}";

    internal static void Fill(WritableFile file, long count)
    {
        for (long i = 0; i < count; i++)
        {
            TestRecord.View record = file.Append();
            record.Id = i;
            record.Value = i * 0.5;
            record.Flags = (int)(i ^ 0x55);
            record.Tag = TagOf(i);
        }
    }

    [Fact]
    public void RoundTripsTenThousandRecordsAndTrimsTheFile()
    {
        using var temp = new TempPath();
        const int count = 10_000;
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            Assert.Equal(0, file.Count);
            TestHeader.View header = file.Header;
            header.Version = 7;
            header.CreatedTicks = 638_000_000_000_000_000L;
            for (int i = 0; i < count; i++)
            {
                if (i % 2 == 0)
                {
                    TestRecord.View record = file.Append();
                    Assert.Equal(0, record.Id);
                    Assert.Equal(string.Empty, record.Tag);
                    record.Id = i;
                    record.Value = i * 0.5;
                    record.Flags = (int)(i ^ 0x55);
                    record.Tag = TagOf(i);
                }
                else
                {
                    var value = new TestRecord { Id = i, Value = i * 0.5, Flags = (int)(i ^ 0x55), Tag = TagOf(i) };
                    TestRecord.View stored = file.Append(value);
                    Assert.Equal(i, stored.Id);
                }
            }

            Assert.Equal(count, file.Count);
            Assert.True(file.Capacity >= count);
        }

        Assert.Equal(RecordsOffset + (count * 32L), new FileInfo(temp.Path).Length);

        using (ReadOnlyFile file = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read))
        {
            Assert.False(file.CanAppend);
            Assert.Equal(count, file.Count);
            Assert.Equal(count, file.Capacity);
            Assert.Equal(7u, file.Header.Version);
            Assert.Equal(638_000_000_000_000_000L, file.Header.CreatedTicks);
            long i = 0;
            foreach (TestRecord.ReadOnlyView record in file.Records)
            {
                Assert.Equal(i, record.Id);
                Assert.Equal(i * 0.5, record.Value);
                Assert.Equal((int)(i ^ 0x55), record.Flags);
                Assert.Equal(TagOf(i), record.Tag);
                Assert.Equal(record.Id, file[i].Id);
                i++;
            }

            Assert.Equal(count, i);
            TestRecord loaded = file.Records[1234].Load();
            Assert.Equal(1234, loaded.Id);
            Assert.Equal(TagOf(1234), loaded.Tag);
        }
    }

    [Fact]
    public void WritesTheDocumentedPrefixLittleEndian()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            TestHeader.View header = file.Header;
            header.Version = 0x01020304;
            Fill(file, 3);
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        int prefixSize = (int)RecordFileOffsets.PrefixSize<TestHeader, TestRecord>();
        Assert.Equal(RecordsOffset + (3 * 32), bytes.Length);
        Assert.Equal(Magic, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal((uint)prefixSize, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(12u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(TestHeader.LayoutFingerprint, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(TestRecord.LayoutFingerprint, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(3ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(prefixSize)));
        Assert.Equal(new byte[(int)RecordsOffset - prefixSize - 12], bytes[(prefixSize + 12)..(int)RecordsOffset]);
        Assert.Equal(2L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan((int)RecordsOffset + 64)));
        Assert.Equal(1.0, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)RecordsOffset + 64 + 8)));

        RecordFilePrefix prefix = RecordFilePrefix.Read(bytes);
        Assert.Equal(new RecordFilePrefix(Magic, 2, (uint)prefixSize, 12, 32, TestHeader.LayoutFingerprint, TestRecord.LayoutFingerprint, 3), prefix);
    }

    [Fact]
    public void CountIsStoredInTheMapOnEveryAppend()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic);
        for (int i = 1; i <= 3; i++)
        {
            file.Append();
            Assert.Equal((ulong)i, file.Map.ReadAt<ulong>(RecordFileFormat.RecordCountOffset));
        }
    }

    [Fact]
    public void AppendOfAValueStoresTheCountInTheMapEveryTimeAcrossGrowths()
    {
        // Append(in T) inlines into the caller's loop (issue 8): the count a crash leaves is still
        // stored after every record, and the growth boundaries still land each record in its slot.
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            file.MinimumGrowthBytes = 4096;
            long capacity = file.Capacity;
            int growths = 0;
            for (int i = 1; i <= 1000; i++)
            {
                TestRecord.View record = file.Append(new TestRecord { Id = i, Value = i * 0.5, Flags = i ^ 0x55, Tag = TagOf(i) });
                Assert.Equal((ulong)i, file.Map.ReadAt<ulong>(RecordFileFormat.RecordCountOffset));
                Assert.Equal(RecordsOffset + ((i - 1) * 32L), MappedView.OffsetOf(record));
                if (file.Capacity != capacity)
                {
                    capacity = file.Capacity;
                    growths++;
                }
            }

            Assert.True(growths >= 3, $"{growths} growths");
            for (int i = 1; i <= 1000; i++)
            {
                TestRecord.View record = file[i - 1];
                Assert.Equal((i, i * 0.5, i ^ 0x55, TagOf(i)), (record.Id, record.Value, record.Flags, record.Tag));
            }
        }

        using ReadOnlyFile reopened = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(1000, reopened.Count);
        Assert.Equal(1000, reopened[999].Id);
    }

    [Fact]
    public void GrowsAcrossSeveralChunksAndEarlierViewsKeepWorking()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            file.MinimumGrowthBytes = 4096;
            TestRecord.View first = file.Append();
            first.Id = 42;
            var capacities = new List<long> { file.Capacity };
            for (int i = 1; i < 5000; i++)
            {
                TestRecord.View record = file.Append();
                record.Id = i;
                if (file.Capacity != capacities[^1])
                {
                    capacities.Add(file.Capacity);
                }
            }

            // 128 records (4 KiB), then doubling: 256, 512, ..., 8192.
            Assert.Equal([128L, 256, 512, 1024, 2048, 4096, 8192], capacities);
            Assert.Equal(RecordsOffset + (8192 * 32L), file.Map.Length);
            Assert.Equal(42, first.Id);
            first.Flags = 9;
            Assert.Equal(9, file[0].Flags);
            Assert.Equal(4999, file[4999].Id);
        }

        Assert.Equal(RecordsOffset + (5000 * 32L), new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void DefaultGrowthIsAtLeastTwoHundredFiftySixMebibytes()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            Assert.Equal(0, file.Capacity);
            Assert.Equal(256L << 20, file.MinimumGrowthBytes);
            file.Append().Id = 1;
            Assert.Equal((256L << 20) / 32, file.Capacity);
        }

        Assert.Equal(RecordsOffset + 32, new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void InitialCapacityAndEnsureCapacityPreSizeTheFile()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic, initialCapacity: 100);
        Assert.Equal(100, file.Capacity);
        Assert.Equal(RecordsOffset + 3200, file.Map.Length);
        Fill(file, 100);
        Assert.Equal(RecordsOffset + 3200, file.Map.Length);
        file.EnsureCapacity(150);
        Assert.Equal(150, file.Capacity);
        file.EnsureCapacity(10);
        Assert.Equal(150, file.Capacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.EnsureCapacity(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.MinimumGrowthBytes = 0);
    }

    [Fact]
    public void CreateRefusesAnExistingFileAndLeavesItAlone()
    {
        using TempPath temp = new TempPath().WithBytes(5, 0xAB);
        Assert.Throws<IOException>(() => WritableFile.Create(temp.Path, Magic));
        Assert.Equal(new byte[] { 0xAB, 0xAB, 0xAB, 0xAB, 0xAB }, File.ReadAllBytes(temp.Path));
        Assert.Throws<ArgumentOutOfRangeException>(() => WritableFile.Create(temp.Path + ".x", Magic, -1));
        Assert.False(File.Exists(temp.Path + ".x"));
    }

    [Fact]
    public void ReopenedForWritingAppendsAfterTheExistingRecords()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            Fill(file, 10);
        }

        using (WritableFile file = WritableFile.Open(temp.Path, Magic))
        {
            Assert.True(file.CanAppend);
            Assert.Equal(10, file.Count);
            Assert.Equal(10, file.Capacity);
            file.Append().Id = 10;
            TestRecord.View third = file[3];
            third.Tag = "three";
        }

        using (ReadOnlyFile file = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read))
        {
            Assert.Equal(11, file.Count);
            Assert.Equal(10, file[10].Id);
            Assert.Equal("three", file[3].Tag);
        }

        Assert.Equal(RecordsOffset + (11 * 32), new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void AppendClearsSlackThatACrashedWriterLeftBehind()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            Fill(file, 2);
        }

        // Slack past the counted records, as a writer that crashed before trimming leaves it.
        using (var stream = new FileStream(temp.Path, FileMode.Append))
        {
            var garbage = new byte[96];
            Array.Fill(garbage, (byte)0x7F);
            stream.Write(garbage);
        }

        using (WritableFile file = WritableFile.Open(temp.Path, Magic))
        {
            Assert.Equal(2, file.Count);
            Assert.Equal(5, file.Capacity);
            TestRecord.View fresh = file.Append();
            Assert.Equal(0, fresh.Id);
            Assert.Equal(0.0, fresh.Value);
            Assert.Equal(0, fresh.Flags);
            Assert.Equal(string.Empty, fresh.Tag);
            file.Append(new TestRecord { Id = 5, Tag = "ab" });
            file.AppendRange<TestRecord>([new TestRecord { Id = 6 }]);
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        Assert.Equal(RecordsOffset + (5 * 32), bytes.Length);
        Assert.All(bytes[(int)(RecordsOffset + 64)..(int)(RecordsOffset + 96)], b => Assert.Equal(0, b));
        Assert.Equal("ab\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), bytes[(int)(RecordsOffset + 96 + 20)..(int)(RecordsOffset + 128)]);
        Assert.Equal(6, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan((int)RecordsOffset + 128)));
        Assert.All(bytes[(int)(RecordsOffset + 128 + 8)..], b => Assert.Equal(0, b));
    }

    // Issue 14, hole 7: the file's tail held part of a record; the capacity rounded down, and the
    // known-zero mark started from it, so the slot that grew over those bytes kept them.
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(31)]
    public void AppendClearsAPartialRecordAtTheEndOfTheFile(int tail)
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            Fill(file, 2);
        }

        using (var stream = new FileStream(temp.Path, FileMode.Append))
        {
            var garbage = new byte[tail];
            Array.Fill(garbage, (byte)0x7F);
            stream.Write(garbage);
        }

        using (WritableFile file = WritableFile.Open(temp.Path, Magic))
        {
            Assert.Equal(2, file.Capacity);
            TestRecord.View fresh = file.Append();
            Assert.Equal(0, fresh.Id);
            Assert.Equal(0.0, fresh.Value);
            Assert.Equal(0, fresh.Flags);
            Assert.Equal(string.Empty, fresh.Tag);
            Assert.Equal(new byte[32], file.Map[(int)(RecordsOffset + 64)..(int)(RecordsOffset + 96)]);
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        Assert.Equal(RecordsOffset + (3 * 32), bytes.Length);
        Assert.All(bytes[(int)(RecordsOffset + 64)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void ARefusedValueAppendsNothing()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic);
        Fill(file, 1);
        var tooLong = new TestRecord { Id = 9, Tag = "thirteen byte" };
        Assert.Throws<ArgumentException>(() => file.Append(tooLong));
        Assert.Equal(1, file.Count);
        Assert.Equal(1ul, file.Map.ReadAt<ulong>(RecordFileFormat.RecordCountOffset));

        Assert.Throws<ArgumentException>(() => file.AppendRange<TestRecord>([new TestRecord { Id = 1 }, tooLong]));
        Assert.Equal(1, file.Count);

        // The slot the refused records touched is cleared for the next append.
        TestRecord.View next = file.Append();
        Assert.Equal(0, next.Id);
        Assert.Equal(2, file.Count);

        file.AppendRange<TestRecord>([new TestRecord { Id = 10, Tag = "x" }, new TestRecord { Id = 11 }]);
        Assert.Equal(4, file.Count);
        Assert.Equal(11, file[3].Id);
        Assert.Equal("x", file[2].Tag);
    }

    [Fact]
    public void AppendOfAnotherLayoutIsRefused()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic);
        ArgumentException error = Assert.Throws<ArgumentException>(() => file.Append(new TestHeader { Version = 1 }));
        Assert.Contains("TestHeader", error.Message);
        Assert.Equal(0, file.Count);
    }

    [Fact]
    public void ReadOnlyOpenNeedsReadOnlyViewsAndRefusesAppend()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            Fill(file, 2);
        }

        Assert.Throws<NotSupportedException>(() => WritableFile.Open(temp.Path, Magic, MapAccess.Read));
        Assert.Throws<NotSupportedException>(() => RecordFile<TestHeader.ReadOnlyView, TestRecord.View>.Open(temp.Path, Magic, MapAccess.Read));
        Assert.Throws<NotSupportedException>(() => RecordFile<TestHeader.View, TestRecord.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read));

        using ReadOnlyFile readOnly = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Throws<NotSupportedException>(() => readOnly.Append());
        Assert.Throws<NotSupportedException>(() => readOnly.Append(new TestRecord()));
        Assert.Throws<NotSupportedException>(() => readOnly.EnsureCapacity(10));
        readOnly.Flush();
        Assert.Throws<NotSupportedException>(() => new TestRecord.View(readOnly.Map, RecordsOffset).Id = 5);
        Assert.Throws<NotSupportedException>(() => new MappedArray<TestRecord.View>(readOnly.Map, RecordsOffset, 2));
        Assert.Equal(1, readOnly[1].Id);
    }

    [Fact]
    public void CopyOnWriteOpenChangesNothingOnDisk()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            Fill(file, 2);
        }

        byte[] before = File.ReadAllBytes(temp.Path);
        using (WritableFile file = WritableFile.Open(temp.Path, Magic, MapAccess.Copy))
        {
            Assert.False(file.CanAppend);
            TestRecord.View first = file[0];
            first.Id = 99;
            Assert.Equal(99, file[0].Id);
            Assert.Throws<NotSupportedException>(() => file.Append());
        }

        Assert.Equal(before, File.ReadAllBytes(temp.Path));
    }

    [Fact]
    public void IndexerAndViewsPastTheEndThrow()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic, initialCapacity: 10);
        Fill(file, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => file[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => file[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => file[long.MinValue]);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Records[3]);
        // Its last byte is past the end: made without a check, refused field by field when used
        // (Id, bytes 0-7, still lies inside the map; Tag, bytes 20-31, does not).
        var pastTheEnd = new TestRecord.View(file.Map, file.Map.Length - 31);
        Assert.Equal(0, pastTheEnd.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Tag);
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Tag = "x");
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Load());
        Assert.Throws<ArgumentOutOfRangeException>(() => pastTheEnd.Store(default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestRecord.View(file.Map, -1));
    }

    [Fact]
    public void DisposeTwiceIsHarmlessAndClosedFilesThrow()
    {
        using var temp = new TempPath();
        var file = WritableFile.Create(temp.Path, Magic);
        TestRecord.View view = file.Append();
        MappedArray<TestRecord.View> records = file.Records;
        file.Dispose();
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.Count);
        Assert.Throws<ObjectDisposedException>(() => file.Append());
        Assert.Throws<ObjectDisposedException>(() => file.Append(new TestRecord { Id = 1 }));
        Assert.Throws<ObjectDisposedException>(() => file.AppendRange<TestRecord>([new TestRecord()]));
        Assert.Throws<ObjectDisposedException>(() => file.Header);
        Assert.Throws<ObjectDisposedException>(() => file.Records);
        Assert.Throws<ObjectDisposedException>(() => file[0]);
        Assert.Throws<ObjectDisposedException>(() => file.Flush());
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        Assert.Throws<ObjectDisposedException>(() => records[0].Id); // the array checks its index; the view, the map
        Assert.Contains("closed", file.ToString());
    }

    [Fact]
    public void DisposeWithExportedMemoryKeepsTheFileOpen()
    {
        using var temp = new TempPath();
        var file = WritableFile.Create(temp.Path, Magic, initialCapacity: 4);
        Fill(file, 1);
        MappedMemory memory = file.Map.AcquireMemory(0, 8);
        Assert.Throws<InvalidOperationException>(() => file.Dispose());
        Assert.Equal(1, file.Count);
        Assert.Throws<InvalidOperationException>(() => Fill(file, 10));
        Assert.Equal(4, file.Count);
        ((IDisposable)memory).Dispose();
        file.Dispose();
        Assert.Equal(RecordsOffset + (4 * 32), new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void FlushSucceedsOnAWritableFile()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic);
        Fill(file, 100);
        file.Flush();
        Assert.Equal(100, file.Count);
    }
}
