using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Overlay.Indexes;

// Format version 2's search (docs/indexes.md, "Sorted index format"): the summary is a static
// B+-tree (an "S+-tree") over the key array's blocks of 16. A node is 16 keys, 17 children; key t
// of a node is the first key of its child t + 1. Nodes are stored level by level, root first,
// each level in key order, and a child's number is computed (node × 17 + its place), never
// stored: a damaged summary can only send a lookup to the wrong child, which is still a node
// of the next level, so it misses or answers wrongly but never reads outside the tree.
public sealed unsafe partial class MappedSortedIndex<TKey, TValue>
{
    private const int NodeKeys = SortedIndexHeader.NodeKeys;
    private const int Fanout = SortedIndexHeader.Fanout;

    /// <summary>
    /// The tree's levels over <paramref name="blocks"/> leaf blocks, root first, as pairs: the
    /// level's first node (counted from the summary's start) and the number of nodes (or blocks)
    /// in the level below, which bounds a child's number. Empty for one block or none.
    /// </summary>
    internal static long[] TreeLevels(long blocks)
    {
        var sizes = new List<long>();
        for (long n = blocks; n > 1;)
        {
            n = (n + Fanout - 1) / Fanout;
            sizes.Add(n);
        }

        var levels = new long[sizes.Count * 2];
        long start = 0;
        for (int i = 0; i < sizes.Count; i++)
        {
            // Root first: level i from the top is sizes[^(i + 1)]; the level below it holds sizes[^(i + 2)], or the blocks.
            int fromBottom = sizes.Count - 1 - i;
            levels[2 * i] = start;
            levels[(2 * i) + 1] = fromBottom == 0 ? blocks : sizes[fromBottom - 1];
            start += sizes[fromBottom];
        }

        return levels;
    }

    /// <summary>The number of nodes of the tree over <paramref name="blocks"/> blocks (about blocks / 16).</summary>
    internal static long TreeNodes(long blocks)
    {
        long total = 0;
        for (long n = blocks; n > 1;)
        {
            n = (n + Fanout - 1) / Fanout;
            total += n;
        }

        return total;
    }

    /// <summary>
    /// <see cref="LowerBound"/> for integer keys in a version 2 file: at each level, the count of
    /// the node's keys not greater than the key picks the child (the last whose first key is not
    /// greater); in the block so reached, the count of keys less than the key is the position.
    /// </summary>
    /// <remarks>
    /// The counts are vector compares with no branch that depends on a key, and the whole search
    /// inlines into <see cref="TryGetValue"/> (issue 10). The last node of a level may have fewer
    /// children than 17: the builder pads it with its largest key, so a key at or above that
    /// counts the padding too, and the child's number is clamped to the level's last node, the
    /// right answer for such a key and a bound that holds whatever the file holds.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long TreeLowerBoundNumeric(TKey key, bool prefetchValue)
    {
        long[] levels = _levels;
        byte* tree = _summary;
        long node = 0;
        for (int l = 0; l + 1 < levels.Length; l += 2)
        {
            long child = (node * Fanout) + CountKeys(tree + ((levels[l] + node) * (NodeKeys * Unsafe.SizeOf<TKey>())), key, orEqual: true);
            long last = levels[l + 1] - 1;
            node = child < last ? child : last;
        }

        long lo = node * NodeKeys;
        byte* block = _keyBase + (lo * Unsafe.SizeOf<TKey>());
        if (_count - lo >= NodeKeys)
        {
            if (prefetchValue)
            {
                PrefetchValues(_valueBase + (lo * TValue.SizeInBytes));
            }

            return lo + CountKeys(block, key, orEqual: false);
        }

        long n = _count - lo;
        long less = 0;
        for (long i = 0; i < n; i++)
        {
            less += NotGreater(key, Unsafe.ReadUnaligned<TKey>(block + (i * Unsafe.SizeOf<TKey>()))) ? 0 : 1;
        }

        return lo + less;
    }

    /// <summary>
    /// Asks for the values of a whole block (up to 8 cache lines: 16 values of up to 32 bytes)
    /// while the block's keys are read, so that the value's cache miss runs beside the keys' one
    /// instead of after it: without it, a hit's value load waited on the key count, and TryGetValue
    /// measured about twice ContainsKey (docs/benchmarks/indexes.md). Larger values are not
    /// prefetched: the lines would cost more than the miss they save.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchValues(byte* values)
    {
        const int Line = 64;
        int bytes = NodeKeys * TValue.SizeInBytes;
        if (!Sse.IsSupported || bytes == 0 || bytes > 8 * Line)
        {
            return;
        }

        // The values region starts on a line (Regions), so for 2, 4, 8, 16 or 32-byte values these
        // are exactly the block's lines; for other sizes a last line may be left to the load itself.
        Sse.Prefetch0(values);
        if (bytes > Line)
        {
            Sse.Prefetch0(values + Line);
        }

        if (bytes > 2 * Line)
        {
            Sse.Prefetch0(values + (2 * Line));
            Sse.Prefetch0(values + (3 * Line));
        }

        if (bytes > 4 * Line)
        {
            Sse.Prefetch0(values + (4 * Line));
            Sse.Prefetch0(values + (5 * Line));
            Sse.Prefetch0(values + (6 * Line));
            Sse.Prefetch0(values + (7 * Line));
        }
    }

    /// <summary>
    /// <see cref="LowerBound"/> for keys compared as bytes (<see cref="Guid"/>, layouts) in a
    /// version 2 file: the same descent as <see cref="TreeLowerBoundNumeric"/> with a byte compare,
    /// then a search by halves in the block.
    /// </summary>
    private long TreeLowerBoundBytes(ReadOnlySpan<byte> key)
    {
        long[] levels = _levels;
        int size = _keySize;
        long node = 0;
        for (int l = 0; l + 1 < levels.Length; l += 2)
        {
            byte* keys = _summary + ((levels[l] + node) * NodeKeys * size);
            int notGreater = 0;
            for (int t = 0; t < NodeKeys; t++)
            {
                notGreater += IndexKeyFormat<TKey>.Compare(new ReadOnlySpan<byte>(keys + (t * size), size), key) <= 0 ? 1 : 0;
            }

            long child = (node * Fanout) + notGreater;
            long last = levels[l + 1] - 1;
            node = child < last ? child : last;
        }

        long lo = node * NodeKeys;
        long hi = Math.Min(_count, lo + NodeKeys);
        return LowerBoundInBlock(lo, hi, key);
    }

    /// <summary>
    /// How many of the 16 keys at <paramref name="keys"/> are less than (or, with
    /// <paramref name="orEqual"/>, not greater than) <paramref name="key"/>: a compare of whole
    /// vectors for the eight integer types vectors hold (16 u64 keys: four 256-bit compares),
    /// one by one for the others (char, 128-bit keys).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountKeys(byte* keys, TKey key, bool orEqual)
    {
        if (IsVectorKey && Vector256.IsHardwareAccelerated && Unsafe.SizeOf<TKey>() >= 2)
        {
            // 16 keys of 2, 4 or 8 bytes are 1, 2 or 4 vectors; each compare gives one bit a key.
            Vector256<TKey> wanted = Vector256.Create(key);
            uint mask = Mask256(keys, wanted, orEqual);
            if (Unsafe.SizeOf<TKey>() >= 4)
            {
                mask |= Mask256(keys + 32, wanted, orEqual) << Vector256<TKey>.Count;
            }

            if (Unsafe.SizeOf<TKey>() == 8)
            {
                mask |= Mask256(keys + 64, wanted, orEqual) << 8;
                mask |= Mask256(keys + 96, wanted, orEqual) << 12;
            }

            return BitOperations.PopCount(mask);
        }

        if (IsVectorKey && Vector128.IsHardwareAccelerated)
        {
            Vector128<TKey> wanted = Vector128.Create(key);
            int count = 0;
            for (int offset = 0; offset < NodeKeys * Unsafe.SizeOf<TKey>(); offset += 16)
            {
                Vector128<TKey> stored = Unsafe.ReadUnaligned<Vector128<TKey>>(keys + offset);
                Vector128<TKey> hit = orEqual ? Vector128.LessThanOrEqual(stored, wanted) : Vector128.LessThan(stored, wanted);
                count += BitOperations.PopCount(hit.ExtractMostSignificantBits());
            }

            return count;
        }

        int counted = 0;
        for (int t = 0; t < NodeKeys; t++)
        {
            TKey stored = Unsafe.ReadUnaligned<TKey>(keys + (t * Unsafe.SizeOf<TKey>()));
            counted += (orEqual ? NotGreater(stored, key) : !NotGreater(key, stored)) ? 1 : 0;
        }

        return counted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mask256(byte* keys, Vector256<TKey> wanted, bool orEqual)
    {
        Vector256<TKey> stored = Unsafe.ReadUnaligned<Vector256<TKey>>(keys);
        return (orEqual ? Vector256.LessThanOrEqual(stored, wanted) : Vector256.LessThan(stored, wanted)).ExtractMostSignificantBits();
    }

    /// <summary>The integer types that vectors hold (not char or the 128-bit ones).</summary>
    private static bool IsVectorKey
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(TKey) == typeof(ulong) || typeof(TKey) == typeof(long) || typeof(TKey) == typeof(uint) || typeof(TKey) == typeof(int)
        || typeof(TKey) == typeof(ushort) || typeof(TKey) == typeof(short) || typeof(TKey) == typeof(byte) || typeof(TKey) == typeof(sbyte);
    }
}
