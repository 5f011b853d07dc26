using System;
using System.IO;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;
using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>Damaged and foreign files: each must open with an InvalidDataException that says what differs.</summary>
public class RecordFileHostileTests
{
    private const ulong Magic = RecordFileTests.Magic;
    private static readonly long RecordsOffset = RecordFileTests.RecordsOffset;

    private static TempPath ValidFile(int records)
    {
        var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic);
        RecordFileTests.Fill(file, records);
        return temp;
    }

    /// <summary>
    /// A valid file as record files were before they embedded schemas (the 128-byte prefix, then the
    /// header): what the checks of a file's sizes and fingerprints against the code's see when there
    /// are no schemas to compare by.
    /// </summary>
    private static TempPath ValidFileWithoutSchemas(int records)
    {
        TempPath temp = ValidFile(records);
        RecordFileBytes.StripSchemas(temp.Path);
        return temp;
    }

    private static void Patch(string path, Func<RecordFilePrefix, RecordFilePrefix> change)
    {
        byte[] bytes = File.ReadAllBytes(path);
        change(RecordFilePrefix.Read(bytes)).Write(bytes);
        File.WriteAllBytes(path, bytes);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open);
        stream.SetLength(length);
    }

    private static string OpenFails(string path, MapAccess access = MapAccess.Read)
    {
        InvalidDataException error = access == MapAccess.Read
            ? Assert.Throws<InvalidDataException>(() => ReadOnlyFile.Open(path, Magic, access))
            : Assert.Throws<InvalidDataException>(() => WritableFile.Open(path, Magic, access));
        Assert.Contains(path, error.Message);
        return error.Message;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(47)]
    [InlineData(127)]
    public void AFileShorterThanThePrefix(int length)
    {
        using TempPath temp = new TempPath().WithBytes(length, 0xFF);
        string message = OpenFails(temp.Path);
        Assert.Contains($"is {length} bytes long, shorter than the 128-byte record file prefix", message);
        OpenFails(temp.Path, MapAccess.Write);
        Assert.Equal(length, new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void AWrongMagicNumberNamesBothInHex()
    {
        using TempPath temp = ValidFile(2);
        Patch(temp.Path, p => p with { Magic = 0x1122334455667788UL });
        string message = OpenFails(temp.Path);
        Assert.Contains("magic number is 0x1122334455667788, expected 0x4F564C5952454331", message);
    }

    [Fact]
    public void AWrongVersion()
    {
        using TempPath temp = ValidFile(2);
        Patch(temp.Path, p => p with { FormatVersion = 3 });
        Assert.Contains("format version is 3, expected 2", OpenFails(temp.Path));
    }

    [Fact]
    public void AVersion1FileIsRefusedWithTheReason()
    {
        using TempPath temp = ValidFile(2);
        Patch(temp.Path, p => p with { FormatVersion = 1 });
        string message = OpenFails(temp.Path, MapAccess.Write);
        Assert.Contains("format version is 1, written before record files kept a durable count (docs/durability.md)", message);
        Assert.Contains("RecordFile.Create", message);
    }

    [Fact]
    public void AWrongPrefixSize()
    {
        using TempPath temp = ValidFile(2);
        Patch(temp.Path, p => p with { PrefixSize = 56 });
        Assert.Contains("prefix size is 56 bytes, expected 128", OpenFails(temp.Path));
    }

    [Fact]
    public void AWrongHeaderSize()
    {
        using TempPath temp = ValidFileWithoutSchemas(2);
        Patch(temp.Path, p => p with { HeaderSize = 16 });
        Assert.Contains("header size is 16 bytes, expected 12", OpenFails(temp.Path));
    }

    [Fact]
    public void AWrongRecordSize()
    {
        using TempPath temp = ValidFileWithoutSchemas(2);
        Patch(temp.Path, p => p with { RecordSize = 40 });
        string message = OpenFails(temp.Path);
        Assert.Contains("record size is 40 bytes, expected 32", message);
        Assert.Contains("TestRecord", message);
    }

    [Fact]
    public void AWrongHeaderFingerprintNamesBothInHex()
    {
        using TempPath temp = ValidFileWithoutSchemas(2);
        Patch(temp.Path, p => p with { HeaderFingerprint = 0xDEADBEEFUL });
        Assert.Contains("header fingerprint is 0x00000000DEADBEEF, expected 0xB1D721D55C262466", OpenFails(temp.Path));
    }

    [Fact]
    public void AWrongRecordFingerprintNamesBothInHex()
    {
        using TempPath temp = ValidFileWithoutSchemas(2);
        Patch(temp.Path, p => p with { RecordFingerprint = ulong.MaxValue });
        Assert.Contains("record fingerprint is 0xFFFFFFFFFFFFFFFF, expected 0x8A02708296D997C9", OpenFails(temp.Path, MapAccess.Write));
    }

    [Fact]
    public void ChecksComeInTheDocumentedOrder()
    {
        using TempPath temp = ValidFileWithoutSchemas(2);
        Patch(temp.Path, p => p with { Magic = 1, FormatVersion = 9, RecordFingerprint = 5, RecordCount = ulong.MaxValue });
        Assert.Contains("magic number", OpenFails(temp.Path));
        Patch(temp.Path, p => p with { Magic = Magic });
        Assert.Contains("format version", OpenFails(temp.Path));
        Patch(temp.Path, p => p with { FormatVersion = RecordFileFormat.Version, HeaderSize = 1, RecordSize = 1 });
        Assert.Contains("header size", OpenFails(temp.Path));
        Patch(temp.Path, p => p with { HeaderSize = 12 });
        Assert.Contains("record size", OpenFails(temp.Path));
        Patch(temp.Path, p => p with { RecordSize = 32 });
        Assert.Contains("record fingerprint", OpenFails(temp.Path));
        Patch(temp.Path, p => p with { RecordFingerprint = TestRecord.LayoutFingerprint });
        Assert.Contains("claims 18446744073709551615 records", OpenFails(temp.Path));
    }

    [Fact]
    public void AFileTruncatedInsideTheHeader()
    {
        using TempPath temp = ValidFile(0);
        long length = RecordsOffset - 9;
        Truncate(temp.Path, length);
        long prefix = RecordFileOffsets.PrefixSize<TestHeader, TestRecord>();
        Assert.Contains($"{length} bytes long, shorter than its {prefix}-byte prefix and 12-byte header ({RecordsOffset} bytes)", OpenFails(temp.Path));
    }

    [Fact]
    public void AFileTruncatedMidRecordsSaysHowManyItClaimsAndHowManyFit()
    {
        using TempPath temp = ValidFile(10);
        long length = RecordsOffset + (5 * 32) + 7;
        Truncate(temp.Path, length);
        Assert.Contains($"claims 10 records but its {length} bytes hold at most 5 records of 32 bytes", OpenFails(temp.Path));
        Assert.Contains("claims 10 records", OpenFails(temp.Path, MapAccess.Write));
        Assert.Equal(length, new FileInfo(temp.Path).Length);
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData((ulong)long.MaxValue)]
    [InlineData((ulong)long.MaxValue + 1)]
    [InlineData((1UL << 59) + 1)] // × 32 wraps to 32 in 64 bits: a naive "offset + count × size <= length" would pass
    [InlineData((1UL << 58) + 1)] // × 32 overflows a signed long
    [InlineData(3UL)]
    public void AHugeCountIsRefusedWithoutOverflow(ulong count)
    {
        using TempPath temp = ValidFile(2);
        Patch(temp.Path, p => p with { RecordCount = count });
        Assert.Contains($"claims {count} records but its {RecordsOffset + 64} bytes hold at most 2 records of 32 bytes", OpenFails(temp.Path));
    }

    [Fact]
    public void AnAcceptedFileWithSlackReadsOnlyItsCountedRecords()
    {
        using TempPath temp = ValidFile(4);
        Patch(temp.Path, p => p with { RecordCount = 1 });
        using ReadOnlyFile file = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(1, file.Count);
        Assert.Equal(4, file.Capacity);
        Assert.Equal(1, file.Records.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => file[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Records[1]);
    }

    [Fact]
    public void AMissingFileIsNotFound()
    {
        using var temp = new TempPath();
        Assert.Throws<FileNotFoundException>(() => ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read));
        Assert.Throws<FileNotFoundException>(() => WritableFile.Open(temp.Path, Magic));
        Assert.False(File.Exists(temp.Path));
    }

    [Fact]
    public void AnUnknownAccessIsRefused()
    {
        using TempPath temp = ValidFile(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => WritableFile.Open(temp.Path, Magic, (MapAccess)42));
    }

    [Fact]
    public void ViewsOfAFileShrunkWhileOpenThrowInsteadOfReadingOutside()
    {
        using TempPath temp = ValidFile(10);
        using (WritableFile file = WritableFile.Open(temp.Path, Magic))
        {
            // The record file's own map cannot be shrunk under it (issue 14, hole 10; see
            // RecordFileMapOwnershipTests): its views keep reading every record.
            TestRecord.View last = file[9];
            Assert.Throws<InvalidOperationException>(() => file.Map.Resize(RecordsOffset + (5 * 32)));
            Assert.Equal(9, last.Id);
        }

        // A plain map of the same file can be: views made over it are checked against the live map.
        using MemoryMap map = MemoryMap.Open(temp.Path);
        var records = new MappedArray<TestRecord.View>(map, RecordsOffset, 10);
        TestRecord.View tenth = records[9];
        map.Resize(RecordsOffset + (5 * 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => tenth.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => tenth.Tag = "x");
        Assert.Throws<ArgumentOutOfRangeException>(() => records[9].Id);
        Assert.Equal(4, records[4].Id);
    }
}
