using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using Overlay.Layouts;

namespace Overlay.Indexes;

// Format version 1's search, kept so that files written before version 2 still open and answer
// (docs/indexes.md, "Sorted index format"): the summary is every block's first key in Eytzinger
// (breadth-first) order, descended one binary level at a time, then a search in the block.
public sealed unsafe partial class MappedSortedIndex<TKey, TValue>
{
    /// <summary>
    /// <see cref="LowerBound"/> for integer keys: the same descent and the same answer, compared as
    /// numbers loaded from the mapped bytes, with no branch that depends on a key (issue 10: the
    /// span-and-comparer form mispredicted about half its steps, and a mispredict also throws away
    /// the next lookup's loads that the processor had already started).
    /// </summary>
    /// <remarks>
    /// Inside the block, the keys less than the key are counted (16, two cache lines for eight-byte
    /// keys): the count is the position, since the block is sorted, and the compares are independent
    /// of one another. Measured (1M `u64` keys, lookups of 100,000 to 1M distinct random keys, load
    /// 10): 183 ns against 255-285 ns for the comparer form. Prefetching the node four levels down
    /// (Khuong and Morin) measured no gain: the summary (1/16 of the keys) stays in the caches. On a
    /// batch of 1,000 keys repeated, the comparer form is faster (28 against 88 ns): its branches
    /// learn the batch, which real lookups never repeat (docs/benchmarks.md).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long EytzingerLowerBoundNumeric(TKey key)
    {
        byte* summary = _summary;
        int size = _keySize;
        long m = _blocks;
        long k = 1;
        while (k <= m)
        {
            k = (2 * k) + (NotGreater(Unsafe.ReadUnaligned<TKey>(summary + ((k - 1) * size)), key) ? 1 : 0);
        }

        k >>= BitOperations.TrailingZeroCount(~(ulong)k) + 1;
        long firstGreater = k == 0 ? m : InOrderRank(k, m);
        if (firstGreater == 0)
        {
            return 0;
        }

        long lo = (firstGreater - 1) * _blockSize;
        long n = Math.Min(_count - lo, _blockSize);
        byte* block = _keyBase + (lo * size);
        long less = 0;
        for (long i = 0; i < n; i++)
        {
            less += NotGreater(key, Unsafe.ReadUnaligned<TKey>(block + (i * size))) ? 0 : 1;
        }

        return lo + less;
    }

    /// <summary>
    /// <see cref="LowerBound"/> for keys compared as bytes (<see cref="Guid"/> and layouts): an
    /// Eytzinger descent of the block summary for the last block whose first key is not greater,
    /// then a binary search in that block.
    /// </summary>
    private long EytzingerLowerBoundBytes(ReadOnlySpan<byte> key)
    {
        long m = _blocks;
        long k = 1;
        while (k <= m)
        {
            k = (2 * k) + (IndexKeyFormat<TKey>.Compare(SummaryAt(k - 1), key) <= 0 ? 1 : 0);
        }

        // k now holds, in its bits, the path; dropping the trailing right turns and one left turn
        // gives the first summary entry greater than the key (0: none).
        k >>= BitOperations.TrailingZeroCount(~(ulong)k) + 1;
        long firstGreater = k == 0 ? m : InOrderRank(k, m);
        if (firstGreater == 0)
        {
            return 0;
        }

        long lo = (firstGreater - 1) * _blockSize;
        long hi = Math.Min(_count, lo + _blockSize);
        return LowerBoundInBlock(lo, hi, key);
    }

    /// <summary>
    /// The position in key order (from 0) of node <paramref name="k"/> (from 1) of an Eytzinger tree
    /// of <paramref name="m"/> nodes: the block number the file's rank array stores for it, computed
    /// instead of read, which saves a lookup one dependent load in an array as large as the summary.
    /// </summary>
    /// <remarks>
    /// In the perfect tree of the same height <c>h</c>, node <c>k</c> at depth <c>d</c> has in-order
    /// position <c>p = (2(k − 2^d) + 1) · 2^(h − d)</c> (from 1), the leaves taking the odd ones. The
    /// real tree lacks the last level's leaves from <c>m − (2^h − 1)</c> on, and <c>p / 2</c> leaves
    /// come before position <c>p</c>, so <c>k</c>'s position is <c>p</c> minus the missing ones
    /// among them. Checked against the builder's in-order walk for every node of every tree up to
    /// 3,000 nodes (SortedIndexKeyTypeTests), and any k ≤ m gives a block number below m, whatever
    /// the file holds.
    /// </remarks>
    internal static long InOrderRank(long k, long m)
    {
        int h = 63 - BitOperations.LeadingZeroCount((ulong)m);
        int d = 63 - BitOperations.LeadingZeroCount((ulong)k);
        long p = ((2 * (k - (1L << d))) + 1) << (h - d);
        long lastLevel = m - ((1L << h) - 1);
        return p - Math.Max(0, (p >> 1) - lastLevel) - 1;
    }
}
