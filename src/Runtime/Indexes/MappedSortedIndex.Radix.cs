using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Overlay.Indexes;

// Format version 3's radix table (docs/indexes.md, "The radix table"): for integer keys, after the
// summary tree, the position of the first key of each bucket of the key range [min, max], a
// bucket being the keys with the same (key - min) >> shift. A point lookup reads the key's bucket
// and the next one's start, and when the bucket holds at most 16 keys, counts them in one vector
// compare: one load of the table instead of the tree's levels, and the values' lines asked for
// as soon as the table answers (issue 10). A wider bucket (keys bunched in part of the range) falls
// back to the tree, so such keys cost what version 2 did plus the table's line.
public sealed unsafe partial class MappedSortedIndex<TKey, TValue>
{
    private const int RadixWindow = SortedIndexHeader.RadixWindow;

    // At most this many buckets (4 bytes each): past it the keys are too many for the table's use.
    private const long MaximumRadixBuckets = 1L << 28;

    private readonly ulong _radixMin;
    private readonly int _radixShift;
    private readonly ulong _radixBuckets;
    private readonly long _radixOffset;
    private uint* _radix;

    /// <summary>
    /// The most buckets a table over <paramref name="count"/> keys may have: a quarter of the keys
    /// (so evenly spread keys fill a bucket with 4 to 8, and random ones rarely pass 16), none for
    /// fewer than 16 keys (a lookup's window is 16), for more than a u32 position holds, or for key
    /// types that are not integers vectors hold.
    /// </summary>
    internal static long RadixLimit(long count) =>
        IsVectorKey && count >= RadixWindow && count <= uint.MaxValue ? Math.Clamp(count / 4, 2, MaximumRadixBuckets) : 0;

    /// <summary>The table's bytes: a start for each bucket and one past the last (the count).</summary>
    internal static long RadixBytes(long buckets) => buckets == 0 ? 0 : (buckets + 1) * sizeof(uint);

    /// <summary>An integer key as an unsigned number in the same order (signed types with the sign bit flipped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Ordered(TKey key)
    {
        const ulong Sign = 1UL << 63;
        if (typeof(TKey) == typeof(ulong))
        {
            return (ulong)(object)key;
        }

        if (typeof(TKey) == typeof(long))
        {
            return (ulong)(long)(object)key ^ Sign;
        }

        if (typeof(TKey) == typeof(uint))
        {
            return (uint)(object)key;
        }

        if (typeof(TKey) == typeof(int))
        {
            return (ulong)(long)(int)(object)key ^ Sign;
        }

        if (typeof(TKey) == typeof(ushort))
        {
            return (ushort)(object)key;
        }

        if (typeof(TKey) == typeof(short))
        {
            return (ulong)(long)(short)(object)key ^ Sign;
        }

        if (typeof(TKey) == typeof(byte))
        {
            return (byte)(object)key;
        }

        if (typeof(TKey) == typeof(sbyte))
        {
            return (ulong)(long)(sbyte)(object)key ^ Sign;
        }

        throw new NotSupportedException($"{typeof(TKey).Name} keys have no radix table.");
    }

    /// <summary>
    /// The position of the first key not less than <paramref name="key"/>, from the radix table,
    /// when the key's bucket holds at most 16 keys; false (a tree search then) when there is no
    /// table, the key is outside the table's range or its bucket is wider.
    /// </summary>
    /// <remarks>
    /// The answer is exact for a key in the index, which is all a point lookup needs (it compares
    /// the key found). Whatever the table holds, the 16 keys counted lie inside the key array: the
    /// window starts at the bucket's start or 16 before the end, whichever is lower, and the
    /// bucket's number is checked against the table's length (docs/indexes.md).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool RadixLowerBound(TKey key, bool prefetchValue, out long at)
    {
        if (IsVectorKey)
        {
            ulong bucket = (Ordered(key) - _radixMin) >> _radixShift;
            if (bucket < _radixBuckets)
            {
                uint* table = _radix;
                uint lo = table[bucket];
                uint hi = table[bucket + 1];
                if (hi - lo <= RadixWindow)
                {
                    long start = Math.Min(lo, _count - RadixWindow);
                    if (prefetchValue)
                    {
                        PrefetchBucketValues(_valueBase + (start * TValue.SizeInBytes));
                    }

                    at = start + CountKeys(_keyBase + (start * Unsafe.SizeOf<TKey>()), key, orEqual: false);
                    return true;
                }
            }
        }

        at = 0;
        return false;
    }

    /// <summary>
    /// Asks for the lines of 8 values from <paramref name="values"/> (a bucket's first), from the
    /// line it starts in: as many as a bucket holds on average at most (the table's limit), a
    /// number fixed per value type, so no branch depends on the bucket. A whole block's 8 lines,
    /// the tree's prefetch, measured 78-89 ns a hit in the hand-written search, the bucket's own
    /// lines (a loop to its end) 54-64, and 4 or 6 fixed lines 49-50 (docs/benchmarks/indexes.md).
    /// Values over 32 bytes are not prefetched, as the tree's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchBucketValues(byte* values)
    {
        const int Line = 64;
        int size = TValue.SizeInBytes;
        if (!Sse.IsSupported || size == 0 || size * RadixWindow > 8 * Line)
        {
            return;
        }

        // 8 values from a line's start span (8 × size) / 64 lines; one more for the values' offset in their first line.
        byte* first = (byte*)((nuint)values & ~(nuint)(Line - 1));
        int lines = (8 * size / Line) + 1;
        Sse.Prefetch0(first);
        if (lines > 1)
        {
            Sse.Prefetch0(first + Line);
        }

        if (lines > 2)
        {
            Sse.Prefetch0(first + (2 * Line));
        }

        if (lines > 3)
        {
            Sse.Prefetch0(first + (3 * Line));
            Sse.Prefetch0(first + (4 * Line));
        }
    }

    /// <summary>
    /// The radix table of a build, made as the merge writes the keys in order: the bucket width
    /// starts at 1 and doubles whenever a key's bucket would pass the limit (each start of the
    /// coarser table is a start of the finer one), so the keys' range need not be known first.
    /// </summary>
    internal sealed class RadixTableBuilder
    {
        private readonly long _limit;
        private readonly List<uint> _starts = [];
        private ulong _min;
        private int _shift;
        private long _count;

        /// <param name="maximumCount">The most keys the build can write, which bounds the table while it grows.</param>
        public RadixTableBuilder(long maximumCount) => _limit = RadixLimit(maximumCount);

        /// <summary>Takes the next key (in increasing order) in its stored form.</summary>
        public void Add(ReadOnlySpan<byte> stored)
        {
            if (_limit > 0)
            {
                ulong key = Ordered(MemoryMarshal.Read<TKey>(stored));
                if (_count == 0)
                {
                    _min = key;
                }

                ulong offset = key - _min;
                while ((offset >> _shift) >= (ulong)_limit)
                {
                    Coarsen();
                }

                long bucket = (long)(offset >> _shift);
                while (_starts.Count <= bucket)
                {
                    _starts.Add((uint)_count);
                }
            }

            _count++;
        }

        /// <summary>The header's fields for the keys taken: none when the count allows no table, else coarsened to its limit.</summary>
        public (ulong Min, uint Shift, uint Buckets) Finish()
        {
            long limit = Math.Min(_limit, RadixLimit(_count));
            if (limit == 0)
            {
                _starts.Clear();
                return (0, 0, 0);
            }

            while (_starts.Count > limit)
            {
                Coarsen();
            }

            return (_min, (uint)_shift, (uint)_starts.Count);
        }

        /// <summary>Writes the table <see cref="Finish"/> described: each bucket's start, then the count.</summary>
        public void Write(Stream stream)
        {
            if (_starts.Count == 0)
            {
                return;
            }

            byte[] bytes = new byte[RadixBytes(_starts.Count)];
            Span<uint> words = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan());
            for (int i = 0; i < _starts.Count; i++)
            {
                words[i] = _starts[i];
            }

            words[_starts.Count] = (uint)_count;
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Sorted index files are little-endian.");
            }

            stream.Write(bytes);
        }

        private void Coarsen()
        {
            _shift++;
            int kept = (_starts.Count + 1) / 2;
            for (int i = 0; i < kept; i++)
            {
                _starts[i] = _starts[2 * i];
            }

            _starts.RemoveRange(kept, _starts.Count - kept);
        }
    }
}
