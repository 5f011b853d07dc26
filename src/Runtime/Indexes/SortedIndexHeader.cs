using System;
using System.Buffers.Binary;

namespace Overlay.Indexes;

/// <summary>
/// The 128-byte header of a sorted index file, as stored (docs/indexes.md has the table). The file
/// is written once by <see cref="SortedIndexBuilder{TKey, TValue}"/> and renamed into place, so it
/// has no dirty state: the checksum guards against damage, not against a torn commit.
/// </summary>
internal readonly record struct SortedIndexHeader(
    ulong Magic,
    uint FormatVersion,
    uint HeaderSize,
    uint KeySize,
    uint ValueSize,
    ulong KeyFingerprint,
    ulong ValueFingerprint,
    ulong Count,
    uint BlockSize,
    uint KeyOrder,
    ulong SummaryCount,
    ulong KeysOffset,
    ulong ValuesOffset,
    ulong SummaryOffset,
    ulong Tag,
    ulong RadixMin,
    uint RadixShift,
    uint RadixBuckets,
    bool ReservedIsZero,
    uint Checksum)
{
    /// <summary>"OVLSORT1" read as a little-endian u64.</summary>
    public const ulong ExpectedMagic = 0x3154524F534C564F;

    /// <summary>
    /// The version the builder writes: version 2's summary tree, then (integer keys) a radix table
    /// of the keys' positions by their top bits, which point lookups read instead of the tree when
    /// it narrows the key to 16 positions (docs/indexes.md, "The radix table").
    /// </summary>
    public const uint Version = 3;

    /// <summary>The second version, still read: the summary is a static B+-tree of 16-key nodes, with no radix table.</summary>
    public const uint Version2 = 2;

    /// <summary>The first version, still read: the summary is the blocks' first keys in Eytzinger order, then their block numbers.</summary>
    public const uint Version1 = 1;

    public const int Size = 128;

    public const int ChecksumOffset = 124;

    /// <summary>Keys in a block: the summary holds every block's first key.</summary>
    public const uint DefaultBlockSize = 16;

    /// <summary>Keys a radix bucket may hold for a lookup to use it: one vector count of 16 keys.</summary>
    public const int RadixWindow = 16;

    /// <summary>Keys in a node of a version 2 summary tree, which is also its block size: a node has one child more.</summary>
    public const int NodeKeys = 16;

    /// <summary>Children of a node of a version 2 summary tree.</summary>
    public const int Fanout = NodeKeys + 1;

    public static SortedIndexHeader Read(ReadOnlySpan<byte> b) => new(
        U64(b, 0), U32(b, 8), U32(b, 12), U32(b, 16), U32(b, 20), U64(b, 24), U64(b, 32), U64(b, 40),
        U32(b, 48), U32(b, 52), U64(b, 56), U64(b, 64), U64(b, 72), U64(b, 80), U64(b, 88),
        U64(b, 96), U32(b, 104), U32(b, 108),
        b[112..ChecksumOffset].IndexOfAnyExcept((byte)0) < 0, U32(b, ChecksumOffset));

    public static uint ComputeChecksum(ReadOnlySpan<byte> b) => Formats.Crc32C.Compute(b[..ChecksumOffset], default);

    public void Write(Span<byte> b)
    {
        b[..Size].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(b, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], KeySize);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], ValueSize);
        BinaryPrimitives.WriteUInt64LittleEndian(b[24..], KeyFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(b[32..], ValueFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(b[40..], Count);
        BinaryPrimitives.WriteUInt32LittleEndian(b[48..], BlockSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b[52..], KeyOrder);
        BinaryPrimitives.WriteUInt64LittleEndian(b[56..], SummaryCount);
        BinaryPrimitives.WriteUInt64LittleEndian(b[64..], KeysOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(b[72..], ValuesOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(b[80..], SummaryOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(b[88..], Tag);
        BinaryPrimitives.WriteUInt64LittleEndian(b[96..], RadixMin);
        BinaryPrimitives.WriteUInt32LittleEndian(b[104..], RadixShift);
        BinaryPrimitives.WriteUInt32LittleEndian(b[108..], RadixBuckets);
        BinaryPrimitives.WriteUInt32LittleEndian(b[ChecksumOffset..], ComputeChecksum(b));
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);
}
