using System;
using System.Buffers.Binary;

namespace Overlay.Layouts;

/// <summary>
/// The fixed fields of a record file's prefix (its first <see cref="FieldsSize"/> bytes, see
/// <see cref="RecordFileFormat"/>), as stored: reading them checks nothing, so tools can show what
/// a damaged or foreign file claims. The rest of the prefix (boot id, durable slots, seal) is the
/// runtime's own, and <see cref="Write"/> leaves it alone.
/// </summary>
/// <param name="Magic">The application's magic number.</param>
/// <param name="FormatVersion">The format version.</param>
/// <param name="PrefixSize">The prefix's size in bytes.</param>
/// <param name="HeaderSize">The header layout's size in bytes.</param>
/// <param name="RecordSize">The record layout's size in bytes.</param>
/// <param name="HeaderFingerprint">The header layout's fingerprint.</param>
/// <param name="RecordFingerprint">The record layout's fingerprint.</param>
/// <param name="RecordCount">The live record count: what the file claims to hold in the boot that stored it (docs/durability.md).</param>
public readonly record struct RecordFilePrefix(
    ulong Magic,
    uint FormatVersion,
    uint PrefixSize,
    uint HeaderSize,
    uint RecordSize,
    ulong HeaderFingerprint,
    ulong RecordFingerprint,
    ulong RecordCount)
{
    /// <summary>The bytes these fields take at the start of the file: 48.</summary>
    public const int FieldsSize = RecordFileFormat.RecordCountOffset + sizeof(ulong);

    /// <summary>Parses the first <see cref="FieldsSize"/> bytes of a file.</summary>
    /// <param name="bytes">At least <see cref="FieldsSize"/> bytes.</param>
    /// <returns>The prefix, unchecked.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is too short.</exception>
    public static RecordFilePrefix Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FieldsSize)
        {
            throw new ArgumentException($"A record file prefix's fields are {FieldsSize} bytes; {bytes.Length} were given.", nameof(bytes));
        }

        return new RecordFilePrefix(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[RecordFileFormat.MagicOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[RecordFileFormat.VersionOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[RecordFileFormat.PrefixSizeOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[RecordFileFormat.HeaderSizeOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[RecordFileFormat.RecordSizeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[RecordFileFormat.HeaderFingerprintOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[RecordFileFormat.RecordFingerprintOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[RecordFileFormat.RecordCountOffset..]));
    }

    /// <summary>Writes the fields into the first <see cref="FieldsSize"/> bytes of <paramref name="bytes"/>; the bytes after them are left as they are.</summary>
    /// <param name="bytes">At least <see cref="FieldsSize"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is too short; nothing is written.</exception>
    public void Write(Span<byte> bytes)
    {
        if (bytes.Length < FieldsSize)
        {
            throw new ArgumentException($"A record file prefix's fields are {FieldsSize} bytes; {bytes.Length} were given.", nameof(bytes));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.VersionOffset..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.PrefixSizeOffset..], PrefixSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.HeaderSizeOffset..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.RecordSizeOffset..], RecordSize);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.HeaderFingerprintOffset..], HeaderFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.RecordFingerprintOffset..], RecordFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.RecordCountOffset..], RecordCount);
    }
}
