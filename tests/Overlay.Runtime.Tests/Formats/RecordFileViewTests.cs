using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Overlay.Tests.Schemas;
using Xunit;

namespace Overlay.Tests.Formats;

using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;
using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;

/// <summary>
/// A record file opened with <see cref="MappedContainer.Open"/> (docs/formats.md §7): the sections
/// "header" and "records" hold exactly what <see cref="RecordFile{THeaderView, TRecordView}"/> reads,
/// edits go both ways, and nothing structural changes a byte.
/// </summary>
public class RecordFileViewTests
{
    private const ulong Magic = RecordFileTests.Magic;

    internal static TempPath Made(int records, bool schemas = true)
    {
        var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            TestHeader.View header = file.Header;
            header.Version = 7;
            header.CreatedTicks = 1234;
            RecordFileTests.Fill(file, records);
        }

        if (!schemas)
        {
            RecordFileBytes.StripSchemas(temp.Path);
        }

        return temp;
    }

    /// <summary>The file's bytes, read with every sharing allowed (the container may hold it open for writing).</summary>
    internal static byte[] Bytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    internal static string Hash(string path) => Convert.ToHexString(SHA256.HashData(Bytes(path)));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(1000, false)]
    public void ARecordFileReadsAsTwoSectionsWithTheBytesAndValuesRecordFileGives(int records, bool schemas)
    {
        using TempPath temp = Made(records, schemas);
        AssertSameAsRecordFile(temp.Path, records, schemas);
    }

    /// <summary>
    /// A writer killed with records reserved past its count leaves slack after the last record: the
    /// copy taken while it is open is that crash's image. The view counts what RecordFile counts.
    /// </summary>
    [Fact]
    public void ACrashImageWithSlackReadsTheCountRecordFileBelieves()
    {
        using var temp = new TempPath();
        using var image = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic, initialCapacity: 100))
        {
            TestHeader.View header = file.Header;
            header.Version = 7;
            header.CreatedTicks = 1234;
            RecordFileTests.Fill(file, 37);
            File.WriteAllBytes(image.Path, Bytes(temp.Path));
        }

        Assert.True(new FileInfo(image.Path).Length > RecordFileTests.RecordsOffset + (37 * 32));
        long count = AssertSameAsRecordFile(image.Path, 37, schemas: true);
        Assert.Equal(37, count);
        using MappedContainer container = MappedContainer.Open(image.Path, Magic, MapAccess.Read);
        Assert.Equal(new FileInfo(image.Path).Length - RecordFileTests.RecordsOffset - (37 * 32), container.FreeBytes);
        Assert.Equal((new FileInfo(image.Path).Length - RecordFileTests.RecordsOffset) / 32, container.Records<TestRecord.ReadOnlyView>(MappedContainer.RecordFileRecordsSection).Capacity);
    }

    private static long AssertSameAsRecordFile(string path, int records, bool schemas)
    {
        byte[] bytes = Bytes(path);
        long recordsOffset = schemas ? RecordFileTests.RecordsOffset : RecordFileFormat.RecordsOffset(TestHeader.SizeInBytes);
        long headerOffset = schemas ? RecordFileOffsets.PrefixSize<TestHeader, TestRecord>() : RecordFileFormat.PrefixSize;
        using var file = ReadOnlyFile.Open(path, Magic, MapAccess.Read);
        using MappedContainer container = MappedContainer.Open(path, Magic, MapAccess.Read);
        Assert.True(container.IsRecordFile);
        Assert.False(container.CanWrite);
        Assert.Equal(records, file.Count);

        string[] expected = schemas ? ["header", "records", "schema.0", "schema.1"] : ["header", "records"];
        Assert.Equal(expected, container.Sections.Select(s => s.Name));
        SectionInfo header = container.Sections[0];
        SectionInfo body = container.Sections[1];
        Assert.Equal((SectionKind.Records, 1L, (uint)TestHeader.SizeInBytes, TestHeader.LayoutFingerprint, headerOffset), (header.Kind, header.Count, header.Stride, header.Fingerprint, header.Offset));
        Assert.Equal((SectionKind.Records, (long)records, 32u, TestRecord.LayoutFingerprint, recordsOffset, records * 32L), (body.Kind, body.Count, body.Stride, body.Fingerprint, body.Offset, body.Length));

        // The bytes: each section's, against the file's at the documented offsets.
        byte[] read = new byte[body.Length];
        container.Map.ReadAt(body.Offset, read);
        Assert.Equal(bytes.AsSpan((int)recordsOffset, records * 32).ToArray(), read);

        // The values, through a view, an indexer and Pin, against RecordFile's.
        RecordSection<TestRecord.ReadOnlyView> section = container.Records<TestRecord.ReadOnlyView>("records");
        Assert.Equal(records, section.Count);
        for (int i = 0; i < records; i++)
        {
            Assert.Equal((file[i].Id, file[i].Value, file[i].Flags, file[i].Tag), (section[i].Id, section[i].Value, section[i].Flags, section[i].Tag));
        }

        long sum = section.PinReadOnly<TestRecord.ReadOnlyRef, long>(span =>
        {
            long total = 0;
            for (int i = 0; i < span.Length; i++)
            {
                total += span[i].Id;
            }

            return total;
        });
        Assert.Equal(records * (records - 1L) / 2, sum);
        TestHeader.ReadOnlyView h = container.Records<TestHeader.ReadOnlyView>("header")[0];
        Assert.Equal((file.Header.Version, file.Header.CreatedTicks), (h.Version, h.CreatedTicks));
        Assert.Equal((7u, 1234L), (h.Version, h.CreatedTicks));

        if (schemas)
        {
            Assert.Equal(TestHeader.LayoutInfo.Fingerprint, container.GetSchema("header")!.Fingerprint);
            Assert.Equal(TestRecord.LayoutInfo.Fingerprint, container.GetSchema("records")!.Fingerprint);
            Assert.Equal(TestRecord.LayoutInfo.Name, container.GetSchema("records")!.Name);
        }
        else
        {
            Assert.Null(container.GetSchema("records"));
        }

        return section.Count;
    }

    [Fact]
    public void EditsThroughTheContainerAreSeenByRecordFileAndCommitMakesThemDurable()
    {
        using TempPath temp = Made(10);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Magic))
        {
            RecordSection<TestRecord.View> records = container.Records<TestRecord.View>("records");
            records.At(3).Id = 333;
            records.At(9).Tag = "edited";
            container.Records<TestHeader.View>("header").At(0).Version = 99;
            records.Pin<TestRecord.Ref, int>(span =>
            {
                TestRecord.Ref first = span[0];
                first.Value = -1.5;
                return 0;
            });
            container.Commit();
            Assert.Equal(0UL, container.Generation);
        }

        using ReadOnlyFile file = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(10, file.Count);
        Assert.Equal(333, file[3].Id);
        Assert.Equal("edited", file[9].Tag);
        Assert.Equal(-1.5, file[0].Value);
        Assert.Equal(99u, file.Header.Version);
    }

    /// <summary>
    /// Records appended and never flushed are counted after a reboot only through the seal: a view
    /// that edits them must seal again at close, or a reboot would drop them. Its Commit makes the
    /// count durable, as RecordFile.Flush does.
    /// </summary>
    [Fact]
    public void AWritableViewSealsAtCloseAndCommitMakesTheCountDurable()
    {
        using TempPath temp = Made(5);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Magic))
        {
            container.Records<TestRecord.View>("records").At(4).Id = 44;
        }

        byte[] bytes = Bytes(temp.Path);
        Assert.Equal(5UL | RecordFileDurableState.SealVersion3Flags, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(RecordFileFormat.SealCountOffset)));
        ulong DurableCount(byte[] b) => Math.Max(
            BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(RecordFileFormat.DurableSlotsOffset + 8)),
            BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(RecordFileFormat.DurableSlotsOffset + RecordFileFormat.DurableSlotSize + 8)));
        Assert.Equal(0UL, DurableCount(bytes));

        // Forget the boot: only the seal (over the edited record) or a durable count can count them.
        File.WriteAllBytes(temp.Path, WithOtherBoot(bytes));
        using (ReadOnlyFile file = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read))
        {
            Assert.Equal(5, file.Count);
            Assert.Equal(44, file[4].Id);
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Magic))
        {
            container.Commit();
        }

        Assert.Equal(5UL, DurableCount(Bytes(temp.Path)));
    }

    private static byte[] WithOtherBoot(byte[] bytes)
    {
        byte[] copy = (byte[])bytes.Clone();
        Guid.NewGuid().TryWriteBytes(copy.AsSpan(RecordFileFormat.BootIdOffset));
        return copy;
    }

    [Fact]
    public void EveryRecordFileOfTheCommittedCorpusOpensAsAContainer()
    {
        int seen = 0;
        foreach (string path in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Corpus")))
        {
            byte[] bytes = File.ReadAllBytes(path);
            ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (magic == 0x524E544E434C564FUL)
            {
                continue; // "OVLCNTNR": a container, CorpusTests reads it
            }

            using var copy = new TempPath();
            File.Copy(path, copy.Path);
            RecordFilePrefix prefix = RecordFilePrefix.Read(bytes);
            using MappedContainer container = MappedContainer.Open(copy.Path, magic, MapAccess.Read);
            Assert.True(container.IsRecordFile);
            SectionInfo records = container.Sections.Single(s => s.Name == "records");
            Assert.Equal((prefix.RecordSize, prefix.RecordFingerprint), (records.Stride, records.Fingerprint));
            long recordsOffset = RecordFileFormat.RecordsOffset(prefix.PrefixSize, prefix.HeaderSize);
            byte[] read = new byte[records.Length];
            container.Map.ReadAt(records.Offset, read);
            Assert.Equal(bytes.AsSpan((int)recordsOffset, (int)records.Length).ToArray(), read);
            if (Path.GetFileName(path) == "players-v1-noschema.rec")
            {
                RecordSection<PlayerV1.ReadOnlyView> players = container.Records<PlayerV1.ReadOnlyView>("records");
                Assert.Equal(10, players.Count);
                Assert.Equal((9, 4.5f), (players[9].Id, players[9].Score));
                Assert.Equal(1.5f, container.Records<Vec2.ReadOnlyView>("header")[0].X);
            }

            seen++;
        }

        Assert.True(seen >= 1, "the corpus has no record file");
    }

    public static IEnumerable<object[]> StructuralOperations() => new (string, Action<MappedContainer>)[]
    {
        ("AddRecords", c => c.AddRecords<TestRecord.View>("more")),
        ("AddHeap", c => c.AddHeap("heap")),
        ("AddRaw", c => c.AddRaw("raw")),
        ("Append", c => c.Records<TestRecord.View>("records").Append()),
        ("Append(in)", c => c.Records<TestRecord.View>("records").Append(new TestRecord { Id = 1 })),
        ("EnsureCapacity", c => c.Records<TestRecord.View>("records").EnsureCapacity(1)),
        ("EnsureCapacity(more)", c => c.Records<TestRecord.View>("records").EnsureCapacity(1_000_000)),
        ("AddHashIndex", c => c.AddHashIndex<ulong, TestRecord.View>("index")),
        ("Compact", c => MappedContainer.Compact(c.Path, Magic)),
        ("Upgrade", c => MappedContainer.Upgrade(c.Path, Magic, new ContainerUpgrade().Records<TestRecord>("records"))),
    }.Select(o => new object[] { o.Item1, o.Item2 });

    [Theory]
    [MemberData(nameof(StructuralOperations))]
    public void EveryStructuralOperationIsRefusedAndChangesNoByte(string operation, Action<MappedContainer> act)
    {
        using TempPath temp = Made(3);
        using MappedContainer container = MappedContainer.Open(temp.Path, Magic);
        string before = Hash(temp.Path);
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => act(container));
        Assert.Contains("ConvertRecordFile", error.Message);
        Assert.Equal(before, Hash(temp.Path));
        Assert.Equal(3, container.Records<TestRecord.ReadOnlyView>("records").Count);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".*.tmp"));
        _ = operation;
    }

    [Theory]
    [InlineData(MapAccess.Read)]
    [InlineData(MapAccess.Copy)]
    public void AReadOnlyViewRefusesCommitAndStructureAndChangesNothing(MapAccess access)
    {
        using TempPath temp = Made(3);
        string before = Hash(temp.Path);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Magic, access))
        {
            Assert.Throws<NotSupportedException>(container.Commit);
            Assert.Throws<NotSupportedException>(() => container.AddRaw("raw"));
            if (access == MapAccess.Copy)
            {
                container.Records<TestRecord.View>("records").At(0).Id = 77; // private to the map
            }
            else
            {
                Assert.Throws<NotSupportedException>(() => container.Records<TestRecord.View>("records"));
            }
        }

        Assert.Equal(before, Hash(temp.Path));
    }

    [Fact]
    public void AWriterOfEitherKindKeepsTheOtherFromWritingAndReadersAreAllowed()
    {
        using TempPath temp = Made(3);
        using (WritableFile writer = WritableFile.Open(temp.Path, Magic))
        {
            IOException refused = Assert.Throws<IOException>(() => MappedContainer.Open(temp.Path, Magic));
            Assert.Contains("open for writing elsewhere", refused.Message);
            using MappedContainer reader = MappedContainer.Open(temp.Path, Magic, MapAccess.Read);
            Assert.Equal(3, reader.Records<TestRecord.ReadOnlyView>("records").Count);
            writer.Append().Id = 3;
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Magic))
        {
            Assert.Equal(4, container.Records<TestRecord.ReadOnlyView>("records").Count);
            Assert.Throws<IOException>(() => WritableFile.Open(temp.Path, Magic));
            Assert.Throws<IOException>(() => MappedContainer.Open(temp.Path, Magic));
            Assert.Throws<IOException>(() => MappedContainer.ConvertRecordFile(temp.Path, temp.Path + ".ovl", Magic));
            using ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
            Assert.Equal(4, reader.Count);
        }

        // Closed: the lock is released.
        using WritableFile again = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(4, again.Count);
    }

    [Fact]
    public void EveryAccessorOfAClosedViewThrowsObjectDisposed()
    {
        using TempPath temp = Made(3);
        MappedContainer container = MappedContainer.Open(temp.Path, Magic);
        RecordSection<TestRecord.View> records = container.Records<TestRecord.View>("records");
        MappedArray<TestRecord.View> array = records.Records;
        TestRecord.View view = records[0];
        container.Dispose();
        container.Dispose();

        Assert.True(container.IsRecordFile);
        Assert.Throws<ObjectDisposedException>(() => container.Sections);
        Assert.Throws<ObjectDisposedException>(() => container.FreeBytes);
        Assert.Throws<ObjectDisposedException>(() => container.Map);
        Assert.Throws<ObjectDisposedException>(container.Commit);
        Assert.Throws<ObjectDisposedException>(() => container.Records<TestRecord.View>("records"));
        Assert.Throws<ObjectDisposedException>(() => container.GetSchema("records"));
        Assert.Throws<ObjectDisposedException>(() => container.AddRaw("raw"));
        Assert.Throws<ObjectDisposedException>(() => records.Count);
        Assert.Throws<ObjectDisposedException>(() => records[0]);
        Assert.Throws<ObjectDisposedException>(() => records.Records);
        Assert.Throws<ObjectDisposedException>(() => records.PinReadOnly<TestRecord.ReadOnlyRef, int>(s => s.Length));
        Assert.Throws<ObjectDisposedException>(() => array[0].Id);
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        Assert.False(container.CanWrite);
        Assert.Contains("closed", container.ToString());
    }
}
