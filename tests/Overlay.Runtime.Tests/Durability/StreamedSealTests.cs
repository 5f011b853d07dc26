using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Durability;

using ReadingFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;
using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// The seal's check hashed while <c>AppendRange</c> writes (RecordFile.StreamedSeal.cs): used at
/// <c>Dispose</c> only when nothing else can have written the records it covers since. Each test
/// writes records past the durable count through one of the other ways in (a view, the map, an
/// array of views, a failed range, a reopened file, a small range) and then closes without a
/// flush: a file reopened in a new boot must count every record, with the last bytes written. A
/// stale streamed check would not match the file's bytes, and the new boot would fall back to the
/// durable count.
/// </summary>
public class StreamedSealTests
{
    private const ulong Magic = RecordFileTests.Magic;
    private const int Range = 5000; // 160,000 bytes: through the file, hashed on a second thread
    private const long Edited = 7000;

    private static readonly long RecordsOffset = RecordFileTests.RecordsOffset;

    [Fact]
    public void AnUnsealedRecordEditedThroughTheIndexerIsCountedAfterAReboot() =>
        AfterEdit(file =>
        {
            TestRecord.View view = file[Edited];
            view.Id = -7;
        });

    [Fact]
    public void AnUnsealedRecordEditedThroughTheRecordsArrayIsCountedAfterAReboot() =>
        AfterEdit(file =>
        {
            TestRecord.View view = file.Records[Edited];
            view.Id = -7;
        });

    [Fact]
    public void AnUnsealedRecordWrittenThroughTheMapIsCountedAfterAReboot() =>
        AfterEdit(file => WriteId(file.Map));

    [Fact]
    public void TheMapOfAViewFromAppendKeptAcrossAFlushStillCounts()
    {
        // A view holds the map, which writes anywhere, for as long as it is kept: a flush does not
        // make the records appended after it safe from it.
        TestRecord.View kept = default;
        AfterEdit(
            file => WriteId(MapOf(kept)),
            beforeFlush: file => kept = file.Append());
    }

    [Fact]
    public void TheMapOfAViewFromAppendOfAValueKeptAcrossAFlushStillCounts()
    {
        TestRecord.View kept = default;
        AfterEdit(
            file => WriteId(MapOf(kept)),
            beforeFlush: file => kept = file.Append(Record(0)));
    }

    [Fact]
    public void TheMapOfTheHeaderKeptAcrossAFlushStillCounts()
    {
        TestHeader.View header = default;
        AfterEdit(
            file => WriteId(MapOf(header)),
            beforeFlush: file => header = file.Header);
    }

    [Fact]
    public void TheMapKeptAcrossAFlushStillCounts()
    {
        MemoryMap? map = null;
        AfterEdit(
            file => WriteId(map!),
            beforeFlush: file => map = file.Map);
    }

    [Fact]
    public void AnArrayOfViewsKeptAcrossAFlushStillCounts()
    {
        MappedArray<TestRecord.View> records = default;
        AfterEdit(
            file => WriteId(records.Map),
            beforeFlush: file => records = file.Records);
    }

    [Fact]
    public void AFailedRangeLeavesTheSealAsItWas()
    {
        using var temp = new TempPath();
        using (Boot())
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.AppendRange<TestRecord>(Records(0, Range));

            // The first chunks of this one were written (and hashed) before the refused value.
            TestRecord[] refused = Records(Range, 12_000);
            refused[11_000] = new TestRecord { Id = 1, Tag = "far too long for twelve bytes" };
            Assert.Throws<ArgumentException>(() => file.AppendRange<TestRecord>(refused));
            file.AppendRange<TestRecord>(Records(Range, Range));
        }

        AssertCountedInANewBoot(temp.Path, 2 * Range);
    }

    [Fact]
    public void AFileReopenedInItsBootSealsTheRecordsItsLastWriterLeftUnflushed()
    {
        using var temp = new TempPath();
        Guid boot = Guid.NewGuid();
        using (MapPlatform.Override(new BootPlatform(boot)))
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.AppendRange<TestRecord>(Records(0, Range));
        }

        // The same boot: the live count holds, above the durable count; this writer's stream
        // cannot cover the records before it, so its seal reads them back.
        using (MapPlatform.Override(new BootPlatform(boot)))
        {
            using WritableFile file = WritableFile.Open(temp.Path, Magic);
            Assert.Equal(Range, file.Count);
            file.AppendRange<TestRecord>(Records(Range, Range));
        }

        AssertCountedInANewBoot(temp.Path, 2 * Range);
    }

    [Fact]
    public void SmallAndLargeRangesAndFlushesSealTogether()
    {
        using var temp = new TempPath();
        using (Boot())
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            long count = 0;
            foreach (int length in new[] { 3, Range, 1, 100, 2047, Range, 7 })
            {
                file.AppendRange<TestRecord>(Records(count, length));
                count += length;
                if (length == 100)
                {
                    file.Flush();
                }
            }
        }

        AssertCountedInANewBoot(temp.Path, 3 + Range + 1 + 100 + 2047 + Range + 7);
    }

    [Theory]
    [InlineData(1001)] // 48,048 bytes: through the map, and a stripe cut
    [InlineData(3001)] // 144,048 bytes: through the file, hashed on a second thread, a stripe cut
    [InlineData(30_001)] // 1,440,048 bytes
    public void RecordsFromTheCallersSpanSealWhateverTheirLength(int length)
    {
        using var temp = new TempPath();
        var random = new Random(length);
        var values = new InMemoryRecord[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = new InMemoryRecord { I64 = i, U64 = (ulong)random.NextInt64(), Last = (short)i };
        }

        using (Boot())
        {
            using var file = RecordFile<TestHeader.View, InMemoryRecord.View>.Create(temp.Path, Magic);
            file.AppendRange<InMemoryRecord>(values);
            file.AppendRange<InMemoryRecord>(values.AsSpan(0, 5));
            file.AppendRange<InMemoryRecord>(values);
        }

        using (Boot())
        {
            using var file = RecordFile<TestHeader.ReadOnlyView, InMemoryRecord.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
            Assert.Equal((2 * length) + 5, file.Count);
            Assert.Equal(values[^1].U64, file[file.Count - 1].U64);
        }
    }

    /// <summary>
    /// The seal of records only <c>AppendRange</c> wrote is the hash taken as they were written, not
    /// the file's bytes read back: a process that writes the file behind the writer's back (not
    /// through its API, against the one-writer protocol) makes the next boot fall back to the
    /// durable count, never count what it wrote (docs/durability.md).
    /// </summary>
    [Fact]
    public void TheSealOfRecordsOnlyAppendRangeWroteIsTheirHashAsWritten()
    {
        using var temp = new TempPath();
        using (Boot())
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.AppendRange<TestRecord>(Records(0, Range));
            file.Flush();
            file.AppendRange<TestRecord>(Records(Range, Range));
            using var behind = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            behind.Position = RecordsOffset + (7000 * 32);
            behind.WriteByte(0xEE);
        }

        using (Boot())
        {
            using ReadingFile reopened = ReadingFile.Open(temp.Path, Magic, MapAccess.Read);
            Assert.Equal(Range, reopened.Count);
        }
    }

    [Fact]
    public void SealsOfVersions1And2AreStillBelieved()
    {
        using var temp = new TempPath();
        using (Boot())
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.AppendRange<TestRecord>(Records(0, Range));
            file.Flush();
            file.AppendRange<TestRecord>(Records(Range, 100));
        }

        const ulong Sealed = Range + 100;
        byte[] bytes = File.ReadAllBytes(temp.Path);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(RecordFileFormat.SealCountOffset));
        Assert.Equal(Sealed | RecordFileDurableState.SealVersion3Flags, stored);
        DurableSlot basis = RecordFileDurableState.ReadBest(bytes)!.Value;
        ulong version1, version2, version3;
        using (var map = MemoryMap.Open(temp.Path, MapAccess.Read))
        {
            version1 = RecordFileDurableState.SealCheck(map, RecordsOffset, 32, Sealed, basis);
            version2 = RecordFileDurableState.SealCheckV2(map, RecordsOffset, 32, Sealed, basis);
            version3 = RecordFileDurableState.SealCheckV3(map, RecordsOffset, 32, Sealed, basis);
        }

        Assert.Equal(version3, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(RecordFileFormat.SealCheckOffset)));

        // A version 1 seal, as an earlier writer stored it: the count without the flag, counts first.
        WriteSeal(temp.Path, Sealed, version1);
        AssertCountedInANewBoot(temp.Path, (long)Sealed);

        // A version 2 seal, as the writers before version 3 stored it.
        WriteSeal(temp.Path, Sealed | RecordFileDurableState.SealVersion2Flag, version2);
        AssertCountedInANewBoot(temp.Path, (long)Sealed);

        // The flags pick the hash: each other version's check under a version's flags is refused,
        // and so is bit 62 alone (no version).
        foreach ((ulong flags, ulong check) in new[]
        {
            (RecordFileDurableState.SealVersion2Flag, version1),
            (RecordFileDurableState.SealVersion2Flag, version3),
            (RecordFileDurableState.SealVersion3Flags, version1),
            (RecordFileDurableState.SealVersion3Flags, version2),
            (1UL << 62, version1),
            (1UL << 62, version3),
        })
        {
            WriteSeal(temp.Path, Sealed | flags, check);
            using (Boot())
            {
                using ReadingFile reopened = ReadingFile.Open(temp.Path, Magic, MapAccess.Read);
                Assert.Equal(Range, reopened.Count);
            }
        }

        WriteSeal(temp.Path, Sealed | RecordFileDurableState.SealVersion3Flags, version3);
        AssertCountedInANewBoot(temp.Path, (long)Sealed);
    }

    /// <summary>
    /// Runs <paramref name="beforeFlush"/>, appends <see cref="Range"/> records by a range, flushes,
    /// appends as many again, sets the id of record 7000 (appended after the flush) to -7 through
    /// <paramref name="edit"/>, and closes without a flush: a new boot must find every record, the
    /// edit included.
    /// </summary>
    private static void AfterEdit(Action<WritableFile> edit, Action<WritableFile>? beforeFlush = null)
    {
        using var temp = new TempPath();
        long count;
        using (Boot())
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            beforeFlush?.Invoke(file);
            long first = file.Count;
            file.AppendRange<TestRecord>(Records(first, Range));
            file.Flush();
            file.AppendRange<TestRecord>(Records(first + Range, Range));
            edit(file);
            count = file.Count;
        }

        AssertCountedInANewBoot(temp.Path, count, Edited);
    }

    private static void AssertCountedInANewBoot(string path, long count, long edited = -1)
    {
        using (Boot())
        {
            using ReadingFile reopened = ReadingFile.Open(path, Magic, MapAccess.Read);
            Assert.Equal(count, reopened.Count);
            for (long i = 0; i < count; i++)
            {
                Assert.Equal(i == edited ? -7 : i, reopened[i].Id);
            }
        }
    }

    // Every view holds its map (IMappedView.Map, implemented explicitly).
    private static MemoryMap MapOf<TView>(TView view)
        where TView : struct, IMappedView<TView> => view.Map;

    private static void WriteId(MemoryMap map) =>
        map.WriteAt(RecordsOffset + (Edited * 32), -7L);

    private static void WriteSeal(string path, ulong count, ulong check)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var seal = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(seal, count);
        BinaryPrimitives.WriteUInt64LittleEndian(seal.AsSpan(8), check);
        stream.Position = RecordFileFormat.SealCountOffset;
        stream.Write(seal);
    }

    private static IDisposable Boot() => MapPlatform.Override(new BootPlatform(Guid.NewGuid()));

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
}
