using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;

/// <summary>
/// Damaged record files opened as containers: every file <c>RecordFile.Open</c> refuses is refused
/// with the same exception type (at open, or when its sections are taken with the layouts
/// RecordFile was given), every file it accepts gives the same count, and nothing is read outside
/// the map. The checks are RecordFile's own (RecordFileReading); these tests hold the two opens together.
/// </summary>
public class RecordFileViewHostileTests
{
    private const ulong Magic = RecordFileTests.Magic;

    private static void Patch(string path, Func<RecordFilePrefix, RecordFilePrefix> change)
    {
        byte[] bytes = File.ReadAllBytes(path);
        change(RecordFilePrefix.Read(bytes)).Write(bytes);
        File.WriteAllBytes(path, bytes);
    }

    private static void Edit(string path, Action<byte[]> change)
    {
        byte[] bytes = File.ReadAllBytes(path);
        change(bytes);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Damage behind a valid CRC: the schema region's checksum recomputed after the change.</summary>
    private static void EditSchemas(string path, Action<byte[]> change) => Edit(path, b =>
    {
        change(b);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(RecordFileFormat.SchemaLengthOffset));
        uint crc = Overlay.Formats.Crc32C.Compute(b.AsSpan(RecordFileFormat.SchemasOffset, length), ReadOnlySpan<byte>.Empty);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.SchemaChecksumOffset), crc);
    });

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open);
        stream.SetLength(length);
    }

    public static IEnumerable<object[]> Mutations() => new (string Name, bool Schemas, Action<string> Damage)[]
    {
        ("cut to 0 bytes", true, p => Truncate(p, 0)),
        ("cut to 8 bytes", true, p => Truncate(p, 8)),
        ("cut to 47 bytes", true, p => Truncate(p, 47)),
        ("cut to 127 bytes", true, p => Truncate(p, 127)),
        ("cut inside the schemas", true, p => Truncate(p, 200)),
        ("cut inside the header", true, p => Truncate(p, RecordFileTests.RecordsOffset - 9)),
        ("cut mid records", true, p => Truncate(p, RecordFileTests.RecordsOffset + (5 * 32) + 7)),
        ("wrong magic", true, p => Patch(p, f => f with { Magic = 0x1122334455667788UL })),
        ("version 1", true, p => Patch(p, f => f with { FormatVersion = 1 })),
        ("version 3", true, p => Patch(p, f => f with { FormatVersion = 3 })),
        ("prefix size 56", true, p => Patch(p, f => f with { PrefixSize = 56 })),
        ("prefix size 0x7FFFFFF8", true, p => Patch(p, f => f with { PrefixSize = 0x7FFFFFF8 })),
        ("prefix size one region step off", true, p => Patch(p, f => f with { PrefixSize = f.PrefixSize + 8 })),
        ("schema bit flipped", true, p => Edit(p, b => b[RecordFileFormat.SchemasOffset + 20] ^= 0x10)),
        ("schema length past the region", true, p => Edit(p, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.SchemaLengthOffset), 0xFFFF))),
        ("schema garbage behind a valid CRC", true, p => EditSchemas(p, b => b.AsSpan(RecordFileFormat.SchemasOffset + 16, 8).Fill(0xFF))),
        ("header schema length 0xFFFF behind a valid CRC", true, p => EditSchemas(p, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.SchemasOffset + 8), 0xFFFF))),
        ("header schema length 4 behind a valid CRC", true, p => EditSchemas(p, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.SchemasOffset + 8), 4))),
        ("header size 16", false, p => Patch(p, f => f with { HeaderSize = 16 })),
        ("header size 2^31", false, p => Patch(p, f => f with { HeaderSize = 1u << 31 })),
        ("header size 2^32 - 1", false, p => Patch(p, f => f with { HeaderSize = uint.MaxValue })),
        ("record size 40", false, p => Patch(p, f => f with { RecordSize = 40 })),
        ("record size 0", false, p => Patch(p, f => f with { RecordSize = 0 })),
        ("record size 2^32 - 1", false, p => Patch(p, f => f with { RecordSize = uint.MaxValue })),
        ("record size 1", false, p => Patch(p, f => f with { RecordSize = 1 })),
        ("header fingerprint", false, p => Patch(p, f => f with { HeaderFingerprint = 0xDEADBEEF })),
        ("record fingerprint", false, p => Patch(p, f => f with { RecordFingerprint = ulong.MaxValue })),
        ("record fingerprint, with schemas", true, p => Patch(p, f => f with { RecordFingerprint = ulong.MaxValue })),
        ("record size 40, with schemas", true, p => Patch(p, f => f with { RecordSize = 40 })),
        ("count 2^64 - 1", true, p => Patch(p, f => f with { RecordCount = ulong.MaxValue })),
        ("count 2^59 + 1", true, p => Patch(p, f => f with { RecordCount = (1UL << 59) + 1 })),
        ("count 11", true, p => Patch(p, f => f with { RecordCount = 11 })),
        ("count 3", true, p => Patch(p, f => f with { RecordCount = 3 })),
        ("durable slots damaged", true, p => Edit(p, b => b.AsSpan(RecordFileFormat.DurableSlotsOffset, 2 * RecordFileFormat.DurableSlotSize).Fill(0x5A))),
        ("durable count huge, other boot", true, p => Edit(p, b =>
        {
            Guid.NewGuid().TryWriteBytes(b.AsSpan(RecordFileFormat.BootIdOffset));
            b[RecordFileFormat.DurableSlotsOffset + 15] = 0x7F;
        })),
        ("seal past the file, other boot", true, p => Edit(p, b =>
        {
            Guid.NewGuid().TryWriteBytes(b.AsSpan(RecordFileFormat.BootIdOffset));
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(RecordFileFormat.SealCountOffset), 1000);
        })),
    }.Select(m => new object[] { m.Name, m.Schemas, m.Damage });

    [Theory]
    [MemberData(nameof(Mutations))]
    public void EveryDamagedFileIsRefusedAsRecordFileRefusesIt(string mutation, bool schemas, Action<string> damage)
    {
        using TempPath temp = RecordFileViewTests.Made(10, schemas);
        damage(temp.Path);
        AssertBothAgree(temp.Path, mutation);
    }

    /// <summary>Single bytes of the prefix, schemas and header set to random values: the two opens agree on each.</summary>
    [Fact]
    public void RandomDamageToThePrefixIsJudgedAlikeByBothOpens()
    {
        using TempPath pristine = RecordFileViewTests.Made(10);
        byte[] original = File.ReadAllBytes(pristine.Path);
        var random = new Random(8);
        using var temp = new TempPath();
        for (int run = 0; run < 300; run++)
        {
            byte[] bytes = (byte[])original.Clone();
            int at = random.Next((int)RecordFileTests.RecordsOffset);
            bytes[at] = (byte)random.Next(256);
            File.WriteAllBytes(temp.Path, bytes);
            AssertBothAgree(temp.Path, $"byte {at} set to 0x{bytes[at]:X2}");
        }
    }

    private static void AssertBothAgree(string path, string mutation)
    {
        long length = new FileInfo(path).Length;
        long? fileCount = null;
        Exception? fileError = Record.Exception(() => fileCount = Count(path));
        Exception? viewError = Record.Exception(() => ReadAll(path));
        if (fileError is not null)
        {
            Assert.True(fileError is InvalidDataException, $"{mutation}: RecordFile threw {fileError.GetType().Name}: {fileError.Message}");
            Assert.True(viewError is InvalidDataException, $"{mutation}: RecordFile refused it ({fileError.Message}), the container view {(viewError is null ? "opened it" : $"threw {viewError.GetType().Name}: {viewError.Message}")}");
        }
        else if (viewError is not null)
        {
            // The one difference: the view reads the header schema's length to split the region
            // into two sections, and GetSchema decodes both; RecordFile with its exact layouts never does.
            Assert.True(viewError is InvalidDataException && viewError.Message.Contains("schema", StringComparison.Ordinal), $"{mutation}: RecordFile opened it, the container view threw {viewError.GetType().Name}: {viewError.Message}");
        }
        else
        {
            Assert.Equal(fileCount, ReadAll(path));
        }

        Assert.Equal(length, new FileInfo(path).Length);
    }

    private static long Count(string path)
    {
        using ReadOnlyFile file = ReadOnlyFile.Open(path, Magic, MapAccess.Read);
        return file.Count;
    }

    /// <summary>Opens the file as a container and reads every byte of its sections through views and Pin.</summary>
    private static long ReadAll(string path)
    {
        using MappedContainer container = MappedContainer.Open(path, Magic, MapAccess.Read);
        TestHeader.ReadOnlyView header = container.Records<TestHeader.ReadOnlyView>("header")[0];
        _ = (header.Version, header.CreatedTicks);
        RecordSection<TestRecord.ReadOnlyView> records = container.Records<TestRecord.ReadOnlyView>("records");
        for (long i = 0; i < records.Count; i++)
        {
            _ = (records[i].Id, records[i].Tag);
        }

        long ids = records.PinReadOnly<TestRecord.ReadOnlyRef, long>(span =>
        {
            long sum = 0;
            for (int i = 0; i < span.Length; i++)
            {
                sum += span[i].Id;
            }

            return sum;
        });
        Assert.True(ids >= 0);
        foreach (SectionInfo section in container.Sections)
        {
            byte[] bytes = new byte[section.Length];
            container.Map.ReadAt(section.Offset, bytes);
            _ = container.GetSchema(section.Name);
        }

        return records.Count;
    }
}
