using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Layouts;

/// <summary>
/// One durable slot of a record file's prefix: a count whose records had reached the disk before
/// the slot was written (see docs/durability.md).
/// </summary>
/// <param name="Sequence">Grows by one at each flush that writes a slot; the valid slot with the higher one wins.</param>
/// <param name="Count">The records made durable.</param>
internal readonly record struct DurableSlot(ulong Sequence, ulong Count)
{
    /// <summary>Where this slot goes: slot <c>Sequence % 2</c>, so a flush never overwrites the slot it supersedes.</summary>
    public int Offset => RecordFileFormat.DurableSlotsOffset + ((int)(Sequence & 1) * RecordFileFormat.DurableSlotSize);
}

/// <summary>
/// Reads and writes the prefix's durability fields (boot id, two durable slots, seal) and
/// computes their checks. Every number here comes from a file and is checked before use: a slot
/// whose check fails is ignored, a seal is believed only when its check holds over the very
/// records it claims.
/// </summary>
internal static class RecordFileDurableState
{
    // Any constants work: the checks only have to make a torn or zeroed slot fail. The salts make a
    // slot of all zeros (a file whose prefix sector never reached the disk) invalid.
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong SlotSalt = 0x4F564C534C4F5431UL;  // "OVLSLOT1"
    private const ulong SealSalt = 0x4F564C5345414C31UL;  // "OVLSEAL1"
    private const ulong SealSalt2 = 0x4F564C5345414C32UL; // "OVLSEAL2"

    /// <summary>Version 3's salt, "OVLSEAL3": the stripe lanes' seed, their keys' seed and the finishing hash's seed.</summary>
    internal const ulong SealSalt3 = 0x4F564C5345414C33UL;

    /// <summary>
    /// The top bit of the stored sealed count: set, the seal is version 2 (the records' bytes hashed
    /// first, the counts last, so a writer can hash the records as it writes them); clear, version 1
    /// (the counts first). No count reaches 2^63, so a reader that knows only version 1 sees an
    /// impossible count and falls back to the durable count (docs/durability.md).
    /// </summary>
    public const ulong SealVersion2Flag = 1UL << 63;

    /// <summary>
    /// The top two bits of the stored sealed count, both set: the seal is version 3 (the records'
    /// bytes through <see cref="SealStripeHash"/>, issue 8). A reader that knows only version 2
    /// takes bit 62 for part of the count, sees an impossible count and falls back to the durable
    /// count, as a version 1 reader does for version 2 (docs/durability.md).
    /// </summary>
    public const ulong SealVersion3Flags = SealVersion2Flag | (1UL << 62);

    /// <summary>Reads the slot at <paramref name="offset"/> of <paramref name="prefix"/>, or null if its check fails (torn, zeroed, hostile).</summary>
    public static DurableSlot? ReadSlot(ReadOnlySpan<byte> prefix, int offset)
    {
        ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(prefix[offset..]);
        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(prefix[(offset + 8)..]);
        ulong check = BinaryPrimitives.ReadUInt64LittleEndian(prefix[(offset + 16)..]);
        var slot = new DurableSlot(sequence, count);

        // A slot sits where its sequence says: one found in the other place was not written there.
        return check == SlotCheck(slot) && slot.Offset == offset ? slot : null;
    }

    /// <summary>The valid slot with the higher sequence, or null when neither is valid.</summary>
    public static DurableSlot? ReadBest(ReadOnlySpan<byte> prefix)
    {
        DurableSlot? first = ReadSlot(prefix, RecordFileFormat.DurableSlotsOffset);
        DurableSlot? second = ReadSlot(prefix, RecordFileFormat.DurableSlotsOffset + RecordFileFormat.DurableSlotSize);
        if (first is null)
        {
            return second;
        }

        return second is { } s && s.Sequence > first.Value.Sequence ? s : first;
    }

    /// <summary>The slot's 24 bytes (sequence, count, check), to store at <see cref="DurableSlot.Offset"/>.</summary>
    public static void WriteSlot(Span<byte> destination, DurableSlot slot)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, slot.Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], slot.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], SlotCheck(slot));
    }

    /// <summary>Reads the boot id stored at <see cref="RecordFileFormat.BootIdOffset"/>.</summary>
    public static Guid ReadBootId(ReadOnlySpan<byte> prefix) =>
        new(prefix.Slice(RecordFileFormat.BootIdOffset, 16));

    /// <summary>
    /// Whether the seal stored in <paramref name="prefix"/> (either version) extends
    /// <paramref name="basis"/> to a count the file holds and its check holds over the bytes of
    /// those records in <paramref name="map"/>; if so, <paramref name="sealedCount"/> is that count.
    /// </summary>
    public static bool TryReadSeal(ReadOnlySpan<byte> prefix, MemoryMap map, long recordsOffset, int recordSize, ulong fits, DurableSlot basis, out ulong sealedCount)
    {
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(prefix[RecordFileFormat.SealCountOffset..]);
        ulong check = BinaryPrimitives.ReadUInt64LittleEndian(prefix[RecordFileFormat.SealCheckOffset..]);
        // The top two bits: 00 version 1, 10 version 2, 11 version 3; 01 is no version (no count
        // reaches 2^62), as a version 2 reader saw it.
        ulong version = stored >> 62;
        sealedCount = stored & ~SealVersion3Flags;
        if (version == 1 || sealedCount <= basis.Count || sealedCount > fits)
        {
            return false;
        }

        ulong expected = version switch
        {
            3 => SealCheckV3(map, recordsOffset, recordSize, sealedCount, basis),
            2 => SealCheckV2(map, recordsOffset, recordSize, sealedCount, basis),
            _ => SealCheck(map, recordsOffset, recordSize, sealedCount, basis),
        };
        return expected == check;
    }

    /// <summary>A version 2 seal's 16 bytes: the count with <see cref="SealVersion2Flag"/>, then a version 2 check (no longer written; the tests write it as an older writer did).</summary>
    public static void WriteSealV2(Span<byte> destination, ulong sealedCount, ulong check)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, sealedCount | SealVersion2Flag);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], check);
    }

    /// <summary>The seal's 16 bytes as a writer stores them: the count with <see cref="SealVersion3Flags"/>, then a version 3 check.</summary>
    public static void WriteSealV3(Span<byte> destination, ulong sealedCount, ulong check)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, sealedCount | SealVersion3Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], check);
    }

    /// <summary>
    /// The version 1 seal check: a hash of the sealed count, the durable slot it extends, and the bytes of
    /// the records from the slot's count to the sealed count, read from <paramref name="map"/>
    /// through checked reads (a reader's map is not writable, so the owner's range is not available).
    /// Still verified by <c>Open</c> (files sealed before version 2); no longer written.
    /// </summary>
    public static ulong SealCheck(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis) =>
        SealCheckRead(map, recordsOffset, recordSize, sealedCount, basis, version2: false);

    /// <summary>
    /// The version 2 seal check over the records in <paramref name="map"/>, through checked reads:
    /// the bytes of the records from the slot's count to the sealed count, then the sealed count,
    /// the slot's sequence and its count. Still verified by <c>Open</c> (files sealed before version 3); no longer written.
    /// </summary>
    public static ulong SealCheckV2(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis) =>
        SealCheckRead(map, recordsOffset, recordSize, sealedCount, basis, version2: true);

    private static ulong SealCheckRead(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis, bool version2)
    {
        Hasher hash = version2 ? new Hasher(SealSalt2) : SealHasher(sealedCount, basis);
        ReadSealed(map, recordsOffset, recordSize, sealedCount, basis, ref hash);
        return version2 ? FinishV2(hash, sealedCount, basis) : hash.Finish();
    }

    /// <summary>
    /// Feeds <paramref name="hash"/> the bytes of the records from the slot's count to the sealed
    /// count, read from <paramref name="map"/> through checked reads, 4 KiB at a time (every
    /// version's check takes them so: the hashes are indifferent to how the bytes are cut).
    /// </summary>
    private static void ReadSealed<THash>(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis, ref THash hash)
        where THash : struct, ISealHash
    {
        Span<byte> chunk = stackalloc byte[4096];
        long position = recordsOffset + ((long)basis.Count * recordSize);
        long remaining = (long)(sealedCount - basis.Count) * recordSize;
        while (remaining > 0)
        {
            int length = (int)Math.Min(remaining, chunk.Length);
            map.ReadAt(position, chunk[..length]);
            hash.Add(chunk[..length]);
            position += length;
            remaining -= length;
        }
    }

    /// <summary>
    /// The version 3 seal check over the records in <paramref name="map"/>, through checked reads
    /// (a reader's map): what <see cref="SealStream"/> computes while <c>AppendRange</c> writes.
    /// </summary>
    public static ulong SealCheckV3(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis)
    {
        SealStream stream = SealStream.Start();
        ReadSealed(map, recordsOffset, recordSize, sealedCount, basis, ref stream);
        return stream.Finish(sealedCount, basis);
    }

    /// <summary>
    /// The same as <see cref="SealCheckV3(MemoryMap, long, int, ulong, DurableSlot)"/>, over the owner's
    /// writable map without copying (the writer's <c>Dispose</c>); with <paramref name="readThroughFile"/>,
    /// through the file handle instead (<c>pread</c>), for records written through it
    /// (<c>AppendRange</c>), whose pages this process never mapped: read through the map, each would
    /// cost a page fault, several times the hash itself.
    /// </summary>
    public static ulong SealCheckAsOwner(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis, bool readThroughFile = false)
    {
        SealStream stream = SealStream.Start();
        if (readThroughFile && SealCheckThroughFile(map, recordsOffset, recordSize, sealedCount, basis, ref stream))
        {
            return stream.Finish(sealedCount, basis);
        }

        const int Chunk = 1 << 30; // a span's length
        long position = recordsOffset + ((long)basis.Count * recordSize);
        long remaining = (long)(sealedCount - basis.Count) * recordSize;
        while (remaining > 0)
        {
            int length = (int)Math.Min(remaining, Chunk);
            stream.Add(MemoryMarshal.CreateReadOnlySpan(ref map.OwnerRange(position, length), length));
            position += length;
            remaining -= length;
        }

        return stream.Finish(sealedCount, basis);
    }

    private static bool SealCheckThroughFile(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis, ref SealStream stream)
    {
        long position = recordsOffset + ((long)basis.Count * recordSize);
        long remaining = (long)(sealedCount - basis.Count) * recordSize;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            SealStream copy = stream;
            while (remaining > 0)
            {
                int length = (int)Math.Min(remaining, 1 << 20);
                if (!map.TryReadThroughFile(position, chunk.AsSpan(0, length)))
                {
                    return false;
                }

                copy.Add(chunk.AsSpan(0, length));
                position += length;
                remaining -= length;
            }

            stream = copy;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Version 2's and 3's end: the counts after the records' bytes, so the bytes can be hashed before the count is known.</summary>
    internal static ulong FinishV2(Hasher hash, ulong sealedCount, DurableSlot basis)
    {
        hash.Add(sealedCount);
        hash.Add(basis.Sequence);
        hash.Add(basis.Count);
        return hash.Finish();
    }

    private static Hasher SealHasher(ulong sealedCount, DurableSlot basis)
    {
        var hash = new Hasher(SealSalt);
        hash.Add(sealedCount);
        hash.Add(basis.Sequence);
        hash.Add(basis.Count);
        return hash;
    }

    private static ulong SlotCheck(DurableSlot slot)
    {
        var hash = new Hasher(SlotSalt);
        hash.Add(slot.Sequence);
        hash.Add(slot.Count);
        return hash.Finish();
    }

    /// <summary>
    /// A 64-bit hash (xxHash64's round and final mix): not for adversaries, only so that zeroed,
    /// stale or torn bytes do not match. Bytes go through four lanes a 32-byte stripe at a time
    /// (about memory speed), so <see cref="Add(ReadOnlySpan{byte})"/> must be fed chunks whose
    /// lengths are multiples of 32 except the last; single words go into the first lane.
    /// </summary>
    internal struct Hasher(ulong seed) : ISealHash
    {
        private ulong _lane0 = seed;
        private ulong _lane1 = seed + Prime1;
        private ulong _lane2 = seed ^ Prime2;
        private ulong _lane3 = seed - Prime1;
        private ulong _length;

        public void Add(ulong word)
        {
            _lane0 = Round(_lane0, word);
            _length += 8;
        }

        public void Add(ReadOnlySpan<byte> bytes)
        {
            _length += (ulong)bytes.Length;

            // The lanes in locals and no slicing: the loop runs over every record a seal covers, and
            // fields of a struct reached through a reference are reloaded and stored each round.
            ulong lane0 = _lane0, lane1 = _lane1, lane2 = _lane2, lane3 = _lane3;
            ref byte start = ref MemoryMarshal.GetReference(bytes);
            nint stripes = bytes.Length / 32;
            for (nint i = 0; i < stripes; i++)
            {
                ref byte stripe = ref Unsafe.Add(ref start, i * 32);
                lane0 = Round(lane0, Word(ref stripe));
                lane1 = Round(lane1, Word(ref Unsafe.Add(ref stripe, 8)));
                lane2 = Round(lane2, Word(ref Unsafe.Add(ref stripe, 16)));
                lane3 = Round(lane3, Word(ref Unsafe.Add(ref stripe, 24)));
            }

            _lane0 = lane0;
            _lane1 = lane1;
            _lane2 = lane2;
            _lane3 = lane3;
            bytes = bytes[(int)(stripes * 32)..];

            while (bytes.Length >= 8)
            {
                _lane0 = Round(_lane0, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
                bytes = bytes[8..];
            }

            if (!bytes.IsEmpty)
            {
                Span<byte> last = stackalloc byte[8];
                last.Clear();
                bytes.CopyTo(last);
                _lane0 = Round(_lane0, BinaryPrimitives.ReadUInt64LittleEndian(last));
            }
        }

        public readonly ulong Finish()
        {
            ulong h = BitOperations.RotateLeft(_lane0, 1) + BitOperations.RotateLeft(_lane1, 7)
                + BitOperations.RotateLeft(_lane2, 12) + BitOperations.RotateLeft(_lane3, 18);
            h ^= _length;
            h ^= h >> 33;
            h *= Prime2;
            h ^= h >> 29;
            h *= Prime1;
            h ^= h >> 32;
            return h;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Word(ref byte at)
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(ref at);
            return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Round(ulong lane, ulong word) =>
            BitOperations.RotateLeft(lane + (word * Prime2), 31) * Prime1;
    }
}
