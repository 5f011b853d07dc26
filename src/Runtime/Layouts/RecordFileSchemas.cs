using System;
using System.Buffers.Binary;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Overlay.Formats;
using Overlay.Schemas;

namespace Overlay.Layouts;

/// <summary>
/// The schemas a record file embeds in its prefix (docs/formats.md §8.4): the header layout's and
/// the record layout's, written once by <c>Create</c> and read without the code that wrote the file.
/// </summary>
public sealed class RecordFileSchemas
{
    internal RecordFileSchemas(LayoutInfo header, LayoutInfo record)
    {
        Header = header;
        Record = record;
    }

    /// <summary>The header layout, as the file describes it.</summary>
    public LayoutInfo Header { get; }

    /// <summary>The record layout, as the file describes it.</summary>
    public LayoutInfo Record { get; }

    /// <summary>The prefix of a new file: its fixed part zeroed, then the region (length, CRC, the two schemas, zero padding).</summary>
    internal static byte[] NewPrefix(LayoutInfo header, LayoutInfo record)
    {
        byte[] first = LayoutSchema.Encode(header);
        byte[] second = LayoutSchema.Encode(record);
        long length = (long)first.Length + second.Length;
        if (length > RecordFileFormat.MaximumSchemaBytes)
        {
            throw new NotSupportedException($"The schemas of {header.Name} and {record.Name} take {length} bytes, more than the {RecordFileFormat.MaximumSchemaBytes} a record file holds.");
        }

        byte[] prefix = new byte[RecordFileFormat.PrefixSizeWithSchemas(length)];
        first.CopyTo(prefix, RecordFileFormat.SchemasOffset);
        second.CopyTo(prefix, RecordFileFormat.SchemasOffset + first.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(RecordFileFormat.SchemaLengthOffset), (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(RecordFileFormat.SchemaChecksumOffset), Crc32C.Compute(first, second));
        return prefix;
    }

    /// <summary>
    /// Reads the schemas of a record file from its first bytes, trusting nothing. Checked in order:
    /// the fixed prefix is whole; its prefix size is 128 (no schemas: the result is null) or one a
    /// schema region can give; the bytes hold the whole prefix; the region's length matches it; the
    /// CRC-32C; each schema (the hostile-input-safe decoder of docs/formats.md §8.2); and that they
    /// describe the sizes and fingerprints the prefix states.
    /// </summary>
    /// <param name="prefix">The file's first bytes: at least its prefix size.</param>
    /// <returns>The schemas, or null for a file that embeds none.</returns>
    /// <exception cref="InvalidDataException">A check failed; the message says which.</exception>
    public static RecordFileSchemas? Decode(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < RecordFileFormat.PrefixSize)
        {
            throw new InvalidDataException($"A record file's prefix is at least {RecordFileFormat.PrefixSize} bytes; {prefix.Length} were given.");
        }

        RecordFilePrefix fields = RecordFilePrefix.Read(prefix);
        if (fields.PrefixSize == RecordFileFormat.PrefixSize)
        {
            return null;
        }

        try
        {
            return Parse(CheckRegion(prefix, fields), fields);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Not a valid record file prefix: {e.Message}.", e);
        }
    }

    /// <summary>
    /// The schema bytes of a file whose prefix size (in <paramref name="fields"/>) is over 128, after
    /// the checks that cost nothing (sizes, CRC): taken from <paramref name="first"/> (the file's
    /// first bytes) when they hold the whole prefix, else read from the file. Decoding them
    /// (<see cref="Parse"/>) is left until a schema is needed.
    /// </summary>
    /// <exception cref="InvalidDataException">A check failed; the message (to be completed with the file's name) says which.</exception>
    internal static byte[] ReadRegion(SafeFileHandle file, long fileLength, RecordFilePrefix fields, ReadOnlySpan<byte> first)
    {
        CheckPrefixSize(fields.PrefixSize, fileLength);
        if (fields.PrefixSize <= first.Length)
        {
            return CheckRegion(first, fields);
        }

        byte[] region = new byte[fields.PrefixSize];
        int read = RandomAccess.Read(file, region, 0);
        if (read < region.Length)
        {
            throw new InvalidDataException($"it was cut to {read} bytes while it was being opened, shorter than its {fields.PrefixSize}-byte prefix");
        }

        return CheckRegion(region, fields);
    }

    /// <summary>Decodes the two schemas (checked by <see cref="CheckRegion"/>) and checks they describe the layouts the prefix states.</summary>
    /// <exception cref="InvalidDataException">A check failed; the message (to be completed with the file's name) says which.</exception>
    internal static RecordFileSchemas Parse(ReadOnlySpan<byte> schemas, RecordFilePrefix prefix)
    {
        LayoutInfo header = DecodeOne(ref schemas, "header");
        LayoutInfo record = DecodeOne(ref schemas, "record");
        if (!schemas.IsEmpty)
        {
            throw new InvalidDataException($"{schemas.Length} bytes follow the two schemas in its schema region");
        }

        Check(header, prefix.HeaderSize, prefix.HeaderFingerprint, "header");
        Check(record, prefix.RecordSize, prefix.RecordFingerprint, "record");
        return new RecordFileSchemas(header, record);
    }

    /// <summary>Checks the prefix size, the region's length and its CRC, and returns a copy of the schema bytes.</summary>
    private static byte[] CheckRegion(ReadOnlySpan<byte> prefix, RecordFilePrefix fields)
    {
        CheckPrefixSize(fields.PrefixSize, prefix.Length);
        ReadOnlySpan<byte> region = prefix[..(int)fields.PrefixSize];
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(region[RecordFileFormat.SchemaLengthOffset..]);
        if (length > RecordFileFormat.MaximumSchemaBytes || RecordFileFormat.PrefixSizeWithSchemas(length) != region.Length)
        {
            throw new InvalidDataException($"its schema region claims {length} bytes, which a {region.Length}-byte prefix does not hold");
        }

        ReadOnlySpan<byte> schemas = region.Slice(RecordFileFormat.SchemasOffset, (int)length);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(region[RecordFileFormat.SchemaChecksumOffset..]);
        if (Crc32C.Compute(schemas, ReadOnlySpan<byte>.Empty) != stored)
        {
            throw new InvalidDataException("its schema region fails its CRC-32C check: the prefix is damaged");
        }

        return schemas.ToArray();
    }

    private static void CheckPrefixSize(uint prefixSize, long available)
    {
        long largest = RecordFileFormat.PrefixSizeWithSchemas(RecordFileFormat.MaximumSchemaBytes);
        if (prefixSize < RecordFileFormat.SchemasOffset || prefixSize % RecordFileFormat.RecordAlignment != 0 || prefixSize > largest)
        {
            throw new InvalidDataException($"its prefix size is {prefixSize} bytes: expected {RecordFileFormat.PrefixSize}, or a multiple of {RecordFileFormat.RecordAlignment} from {RecordFileFormat.SchemasOffset} to {largest} with schemas");
        }

        if (prefixSize > available)
        {
            throw new InvalidDataException($"its prefix claims {prefixSize} bytes, but only {available} are there");
        }
    }

    private static LayoutInfo DecodeOne(ref ReadOnlySpan<byte> bytes, string which)
    {
        // Each schema states its own length at byte 8 of its header (§8.1); the decoder checks the rest.
        uint length = bytes.Length >= 12 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) : 0;
        if (length < 12 || length > (uint)bytes.Length)
        {
            throw new InvalidDataException($"its {which} schema claims {length} bytes, but {bytes.Length} are left in its schema region");
        }

        LayoutInfo layout;
        try
        {
            layout = LayoutSchema.Decode(bytes[..(int)length]);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"its {which} schema: {e.Message.TrimEnd('.')}", e);
        }

        bytes = bytes[(int)length..];
        return layout;
    }

    private static void Check(LayoutInfo layout, uint size, ulong fingerprint, string which)
    {
        if (layout.SizeInBytes != size || layout.Fingerprint != fingerprint)
        {
            throw new InvalidDataException($"its {which} schema describes {layout.Name} ({layout.SizeInBytes} bytes, fingerprint 0x{layout.Fingerprint:X16}), but its prefix states {size} bytes and 0x{fingerprint:X16}");
        }
    }
}
