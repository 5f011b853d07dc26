namespace Overlay.Layouts;

/// <summary>
/// The on-disk shape of a <see cref="RecordFile{THeaderView, TRecordView}"/>, version 2. All
/// numbers are little-endian.
/// </summary>
/// <remarks>
/// <code>
/// offset  size  field
///      0     8  magic number (chosen by the application)
///      8     4  format version (2)
///     12     4  prefix size: 128, or 136 + L rounded up to 8 with the schema region below
///     16     4  header size (the header layout's SizeInBytes)
///     20     4  record size (the record layout's SizeInBytes)
///     24     8  header layout fingerprint
///     32     8  record layout fingerprint
///     40     8  live record count (stored by every append; trusted in the boot that wrote it)
///     48    16  boot id of the session that wrote the live count
///     64    24  durable slot 0: sequence (u64), record count (u64), check (u64)
///     88    24  durable slot 1
///    112     8  seal: the record count at the last clean close; top two bits: the check's version (00: 1, 10: 2, 11: 3)
///    120     8  seal check: a hash of the records past the durable slot it extends, the count and the slot (docs/durability.md)
///    128     4  schema region length L (only when the prefix size is over 128)
///    132     4  CRC-32C of the L bytes
///    136     L  the header layout's schema, then the record layout's (docs/formats.md §8.1), then zero padding to 8
///  prefix    …  the header, then zero padding to a multiple of 8, then count × record size bytes
/// </code>
/// The schema region (docs/formats.md §8.4) is written once by <c>Create</c> and never changes; a
/// file without it (prefix size 128, written before record files embedded schemas, or by views
/// without a <c>LayoutInfo</c>) opens only with its exact layouts.
/// Which count <c>Open</c> believes, and why each is written when it is, is in docs/durability.md:
/// the live count when the boot id is the running boot's (the page cache is intact), otherwise the
/// durable count of the valid slot with the higher sequence, or the seal's count when its check
/// holds over the records it claims. Version 1 files (a 48-byte prefix with one count) are refused
/// with an <see cref="System.IO.InvalidDataException"/> that says so.
/// A cleanly closed file ends right after its last record; a file whose writer crashed may carry
/// slack after it (zeros, or records that were reserved but never counted), which readers ignore.
/// </remarks>
public static class RecordFileFormat
{
    /// <summary>The format version this library writes and reads.</summary>
    public const uint Version = 2;

    /// <summary>The prefix's fixed part in bytes: the header starts here in a file without schemas, and after the schema region otherwise.</summary>
    public const int PrefixSize = 128;

    /// <summary>Where the schema region's length is (u32), in a file whose prefix size is over <see cref="PrefixSize"/>.</summary>
    public const int SchemaLengthOffset = 128;

    /// <summary>Where the schema region's CRC-32C is (u32).</summary>
    public const int SchemaChecksumOffset = 132;

    /// <summary>Where the schemas start: the header layout's, then the record layout's.</summary>
    public const int SchemasOffset = 136;

    /// <summary>The largest schema region a reader loads (16 MiB, as a container's schema section).</summary>
    public const int MaximumSchemaBytes = 16 << 20;

    /// <summary>Where the magic number is (u64).</summary>
    public const int MagicOffset = 0;

    /// <summary>Where the format version is (u32).</summary>
    public const int VersionOffset = 8;

    /// <summary>Where the prefix size is (u32).</summary>
    public const int PrefixSizeOffset = 12;

    /// <summary>Where the header size is (u32).</summary>
    public const int HeaderSizeOffset = 16;

    /// <summary>Where the record size is (u32).</summary>
    public const int RecordSizeOffset = 20;

    /// <summary>Where the header layout's fingerprint is (u64).</summary>
    public const int HeaderFingerprintOffset = 24;

    /// <summary>Where the record layout's fingerprint is (u64).</summary>
    public const int RecordFingerprintOffset = 32;

    /// <summary>Where the live record count is (u64): the count every append stores.</summary>
    public const int RecordCountOffset = 40;

    /// <summary>Where the boot id of the session that wrote the live count is (16 bytes, <see cref="System.Guid"/>'s own byte order).</summary>
    public const int BootIdOffset = 48;

    /// <summary>Where the first of the two durable slots is; the second follows it.</summary>
    public const int DurableSlotsOffset = 64;

    /// <summary>The size of one durable slot: sequence, count and check, each a u64.</summary>
    public const int DurableSlotSize = 24;

    /// <summary>Where the seal's record count is (u64).</summary>
    public const int SealCountOffset = 112;

    /// <summary>Where the seal's check is (u64).</summary>
    public const int SealCheckOffset = 120;

    /// <summary>The records start at a multiple of this, counted from the start of the file.</summary>
    public const int RecordAlignment = 8;

    /// <summary>Where the header starts in a file without schemas (otherwise at the file's prefix size).</summary>
    public const long HeaderOffset = PrefixSize;

    /// <summary>Where the first record starts in a file without schemas, for a header of <paramref name="headerSize"/> bytes.</summary>
    /// <param name="headerSize">The header's size in bytes; not negative.</param>
    /// <returns>The prefix plus the header, rounded up to <see cref="RecordAlignment"/>.</returns>
    public static long RecordsOffset(long headerSize) => RecordsOffset(PrefixSize, headerSize);

    /// <summary>Where the first record starts, for a prefix of <paramref name="prefixSize"/> bytes (as the file states it) and a header of <paramref name="headerSize"/> bytes.</summary>
    /// <param name="prefixSize">The prefix's size in bytes, schema region included; not negative.</param>
    /// <param name="headerSize">The header's size in bytes; not negative.</param>
    /// <returns>The prefix plus the header, rounded up to <see cref="RecordAlignment"/>.</returns>
    public static long RecordsOffset(long prefixSize, long headerSize) =>
        (prefixSize + headerSize + (RecordAlignment - 1)) & ~(long)(RecordAlignment - 1);

    /// <summary>The prefix size of a file whose schema region holds <paramref name="schemaBytes"/> bytes.</summary>
    /// <param name="schemaBytes">The two schemas' length in bytes; not negative.</param>
    /// <returns><see cref="SchemasOffset"/> plus the schemas, rounded up to <see cref="RecordAlignment"/>.</returns>
    public static long PrefixSizeWithSchemas(long schemaBytes) =>
        (SchemasOffset + schemaBytes + (RecordAlignment - 1)) & ~(long)(RecordAlignment - 1);
}
