namespace Overlay.Layouts;

/// <summary>
/// The on-disk shape of a <see cref="RecordFile{THeaderView, TRecordView}"/>, version 1. All
/// numbers are little-endian.
/// </summary>
/// <remarks>
/// <code>
/// offset  size  field
///      0     8  magic number (chosen by the application)
///      8     4  format version (1)
///     12     4  prefix size (48)
///     16     4  header size (the header layout's SizeInBytes)
///     20     4  record size (the record layout's SizeInBytes)
///     24     8  header layout fingerprint
///     32     8  record layout fingerprint
///     40     8  record count
///     48     …  the header, then zero padding to a multiple of 8, then count × record size bytes
/// </code>
/// A cleanly closed file ends right after its last record; a file whose writer crashed may carry
/// slack after it (zeros, or records that were reserved but never counted), which readers ignore.
/// </remarks>
public static class RecordFileFormat
{
    /// <summary>The format version this library writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>The prefix's size in bytes: the header starts here.</summary>
    public const int PrefixSize = 48;

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

    /// <summary>Where the record count is (u64).</summary>
    public const int RecordCountOffset = 40;

    /// <summary>The records start at a multiple of this, counted from the start of the file.</summary>
    public const int RecordAlignment = 8;

    /// <summary>Where the header starts.</summary>
    public const long HeaderOffset = PrefixSize;

    /// <summary>Where the first record starts, for a header of <paramref name="headerSize"/> bytes.</summary>
    /// <param name="headerSize">The header's size in bytes; not negative.</param>
    /// <returns>The prefix plus the header, rounded up to <see cref="RecordAlignment"/>.</returns>
    public static long RecordsOffset(long headerSize) =>
        (PrefixSize + headerSize + (RecordAlignment - 1)) & ~(long)(RecordAlignment - 1);
}
