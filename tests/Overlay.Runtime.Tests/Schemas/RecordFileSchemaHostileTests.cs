using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Schemas;

using ReadOnlyFile = RecordFile<Vec2.ReadOnlyView, PlayerV1.ReadOnlyView>;
using WritableFile = RecordFile<Vec2.View, PlayerV1.View>;

/// <summary>A damaged schema region: an <see cref="InvalidDataException"/> naming what is wrong, from Open and from <see cref="RecordFileSchemas.Decode"/>, and the file is never changed.</summary>
public class RecordFileSchemaHostileTests
{
    private const ulong Magic = 0x5348435345524F56;

    private static TempPath Valid()
    {
        var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic);
        file.Append(new PlayerV1 { Id = 1, Score = 2 });
        file.Flush();
        return temp;
    }

    private static void Refused(string path, string expected)
    {
        byte[] before = File.ReadAllBytes(path);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => ReadOnlyFile.Open(path, Magic, MapAccess.Read)).Message);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => WritableFile.Open(path, Magic)).Message);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => RecordFileSchemas.Decode(before)).Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    private static void Edit(string path, Action<byte[]> edit, bool fixChecksum = false)
    {
        byte[] bytes = File.ReadAllBytes(path);
        edit(bytes);
        if (fixChecksum)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(RecordFileFormat.SchemaLengthOffset));
            uint crc = Crc32C.Compute(bytes.AsSpan(RecordFileFormat.SchemasOffset, length), ReadOnlySpan<byte>.Empty);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(RecordFileFormat.SchemaChecksumOffset), crc);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static int SchemaLength(string path) => (int)BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(path).AsSpan(RecordFileFormat.SchemaLengthOffset));

    [Fact]
    public void AFlippedBitInTheSchemasFailsTheChecksum()
    {
        using TempPath temp = Valid();
        Edit(temp.Path, b => b[RecordFileFormat.SchemasOffset + 20] ^= 0x10);
        Refused(temp.Path, "fails its CRC-32C check");
    }

    [Theory]
    [InlineData(130u)]
    [InlineData(132u)]
    [InlineData(1u << 30)]
    [InlineData(uint.MaxValue)]
    public void APrefixSizeNoRegionCanGive(uint size)
    {
        using TempPath temp = Valid();
        Edit(temp.Path, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.PrefixSizeOffset), size));
        Refused(temp.Path, $"prefix size is {size} bytes: expected 128, or a multiple of 8");
    }

    [Fact]
    public void APrefixLongerThanTheFile()
    {
        using TempPath temp = Valid();
        long length = new FileInfo(temp.Path).Length;
        uint size = (uint)((length + 64) & ~7);
        Edit(temp.Path, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.PrefixSizeOffset), size));
        Refused(temp.Path, $"its prefix claims {size} bytes");
    }

    [Fact]
    public void ARegionLengthThePrefixSizeDoesNotHold()
    {
        using TempPath temp = Valid();
        int length = SchemaLength(temp.Path);
        Edit(temp.Path, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.SchemaLengthOffset), (uint)length + 64));
        Refused(temp.Path, $"its schema region claims {length + 64} bytes");
    }

    [Fact]
    public void ASchemaLengthPastTheRegion()
    {
        using TempPath temp = Valid();
        Edit(temp.Path, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(RecordFileFormat.SchemasOffset + 8), 1u << 20), fixChecksum: true);
        RefusedWhenDecoded(temp.Path, "its header schema claims 1048576 bytes");
    }

    /// <summary>
    /// Schemas are decoded when first needed (a file opened with its exact layouts never decodes
    /// them): damage the CRC cannot see is refused then, by the decoder.
    /// </summary>
    [Fact]
    public void GarbageWithAValidChecksumIsRefusedByTheDecoderWhenTheSchemasAreRead()
    {
        using TempPath temp = Valid();
        Edit(temp.Path, b => b.AsSpan(RecordFileFormat.SchemasOffset + 16, 8).Fill(0xFF), fixChecksum: true);
        RefusedWhenDecoded(temp.Path, "its header schema:");
    }

    /// <summary>Damage behind a valid CRC: refused wherever the schemas are decoded, never written to, and invisible to an open with the exact layouts until its schemas are read.</summary>
    private static void RefusedWhenDecoded(string path, string expected)
    {
        byte[] before = File.ReadAllBytes(path);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => RecordFileSchemas.Decode(before)).Message);
        using (ReadOnlyFile file = ReadOnlyFile.Open(path, Magic, MapAccess.Read))
        {
            Assert.Equal(1, file[0].Id);
            var error = Assert.Throws<InvalidDataException>(() => file.RecordSchema);
            Assert.Contains(path, error.Message);
            Assert.Contains(expected, error.Message);
        }

        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => RecordFile<Vec2.ReadOnlyView, PlayerV2.ReadOnlyView>.Open(path, Magic, MapAccess.Read)).Message);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => RecordFile<Vec2.View, PlayerV2.View>.Upgrade(path, Magic)).Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void SchemasThatDescribeOtherLayoutsThanThePrefixStates()
    {
        using TempPath temp = Valid();
        Edit(temp.Path, b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(RecordFileFormat.RecordFingerprintOffset), 0x1234));
        Refused(temp.Path, "its record schema describes");
    }
}
