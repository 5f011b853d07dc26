using System;
using System.Buffers.Binary;

namespace Overlay.Layouts;

/// <summary>
/// The fixed prefix of a record file (see <see cref="RecordFileFormat"/>), as stored: reading it
/// checks nothing, so tools can show what a damaged or foreign file claims.
/// </summary>
/// <param name="Magic">The application's magic number.</param>
/// <param name="FormatVersion">The format version.</param>
/// <param name="PrefixSize">The prefix's size in bytes.</param>
/// <param name="HeaderSize">The header layout's size in bytes.</param>
/// <param name="RecordSize">The record layout's size in bytes.</param>
/// <param name="HeaderFingerprint">The header layout's fingerprint.</param>
/// <param name="RecordFingerprint">The record layout's fingerprint.</param>
/// <param name="RecordCount">The number of records the file claims to hold.</param>
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
    /// <summary>Parses the first <see cref="RecordFileFormat.PrefixSize"/> bytes of a file.</summary>
    /// <param name="bytes">At least <see cref="RecordFileFormat.PrefixSize"/> bytes.</param>
    /// <returns>The prefix, unchecked.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is too short.</exception>
    public static RecordFilePrefix Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < RecordFileFormat.PrefixSize)
        {
            throw new ArgumentException($"A record file prefix is {RecordFileFormat.PrefixSize} bytes; {bytes.Length} were given.", nameof(bytes));
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

    /// <summary>Writes the prefix into the first <see cref="RecordFileFormat.PrefixSize"/> bytes of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">At least <see cref="RecordFileFormat.PrefixSize"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is too short; nothing is written.</exception>
    public void Write(Span<byte> bytes)
    {
        if (bytes.Length < RecordFileFormat.PrefixSize)
        {
            throw new ArgumentException($"A record file prefix is {RecordFileFormat.PrefixSize} bytes; {bytes.Length} were given.", nameof(bytes));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.VersionOffset..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.PrefixSizeOffset..], PrefixSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.HeaderSizeOffset..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[RecordFileFormat.RecordSizeOffset..], RecordSize);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.HeaderFingerprintOffset..], HeaderFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.RecordFingerprintOffset..], RecordFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[RecordFileFormat.RecordCountOffset..], RecordCount);
        bytes[(RecordFileFormat.RecordCountOffset + sizeof(ulong))..RecordFileFormat.PrefixSize].Clear();
    }
}
