using System;
using System.Buffers.Binary;

namespace Overlay.Indexes;

/// <summary>
/// The 128-byte header at the start of a hash index's region, as stored (docs/indexes.md has the
/// table): reading it checks nothing; <see cref="MappedHashIndex{TKey, TValue}"/> validates it.
/// All numbers little-endian.
/// </summary>
internal readonly record struct HashIndexHeader(
    ulong Magic,
    uint FormatVersion,
    uint HeaderSize,
    uint KeySize,
    uint ValueSize,
    ulong KeyFingerprint,
    ulong ValueFingerprint,
    uint HashFunction,
    uint MaxLoadPercent,
    ulong Seed,
    uint SlotStride,
    uint TailSlots,
    ulong Capacity,
    ulong Count,
    uint State,
    uint Flags,
    ulong Tag,
    ulong RescueOffset,
    ulong RescueCount,
    bool ReservedIsZero,
    uint Checksum)
{
    /// <summary>"OVLHASH1" read as a little-endian u64.</summary>
    public const ulong ExpectedMagic = 0x31485341484C564F;

    public const uint Version = 1;

    public const int Size = 128;

    /// <summary>Where the checksum is: it covers every byte before it.</summary>
    public const int ChecksumOffset = 124;

    /// <summary>Where <see cref="State"/> is.</summary>
    public const int StateOffset = 80;

    /// <summary>The header's state after a <c>Flush</c>: the slots on disk agree with the header.</summary>
    public const uint Clean = 0;

    /// <summary>The header's state while a writer has changed slots since its last <c>Flush</c>.</summary>
    public const uint Dirty = 1;

    /// <summary>
    /// The header's state while a writer lays the table out again (growth, recovery): every entry
    /// that may move is in the rescue area (<see cref="RescueOffset"/>, <see cref="RescueCount"/>
    /// slots), on disk before the first move; <see cref="Capacity"/> is the table before the relayout.
    /// </summary>
    public const uint Relayout = 2;

    public static HashIndexHeader Read(ReadOnlySpan<byte> b)
    {
        bool reservedZero = b[96..104].IndexOfAnyExcept((byte)0) < 0 && b[120..ChecksumOffset].IndexOfAnyExcept((byte)0) < 0;
        return new HashIndexHeader(
            U64(b, 0), U32(b, 8), U32(b, 12), U32(b, 16), U32(b, 20), U64(b, 24), U64(b, 32),
            U32(b, 40), U32(b, 44), U64(b, 48), U32(b, 56), U32(b, 60), U64(b, 64), U64(b, 72),
            U32(b, 80), U32(b, 84), U64(b, 88), U64(b, 104), U64(b, 112), reservedZero, U32(b, ChecksumOffset));
    }

    /// <summary>The checksum the bytes should carry.</summary>
    public static uint ComputeChecksum(ReadOnlySpan<byte> b) => Formats.Crc32C.Compute(b[..ChecksumOffset], default);

    /// <summary>Writes every field, zero reserved bytes and a fresh checksum (the <see cref="Checksum"/> property is ignored).</summary>
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
        BinaryPrimitives.WriteUInt32LittleEndian(b[40..], HashFunction);
        BinaryPrimitives.WriteUInt32LittleEndian(b[44..], MaxLoadPercent);
        BinaryPrimitives.WriteUInt64LittleEndian(b[48..], Seed);
        BinaryPrimitives.WriteUInt32LittleEndian(b[56..], SlotStride);
        BinaryPrimitives.WriteUInt32LittleEndian(b[60..], TailSlots);
        BinaryPrimitives.WriteUInt64LittleEndian(b[64..], Capacity);
        BinaryPrimitives.WriteUInt64LittleEndian(b[72..], Count);
        BinaryPrimitives.WriteUInt32LittleEndian(b[80..], State);
        BinaryPrimitives.WriteUInt32LittleEndian(b[84..], Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(b[88..], Tag);
        BinaryPrimitives.WriteUInt64LittleEndian(b[104..], RescueOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(b[112..], RescueCount);
        BinaryPrimitives.WriteUInt32LittleEndian(b[ChecksumOffset..], ComputeChecksum(b));
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);
}
