using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Overlay;

// Retired ranges: bytes of the map that a container section left when it moved to grow
// (docs/formats.md §3, "Stale accessors"). A view or array taken before the move still holds the
// old offsets; its reads would see a dead copy and its writes would be lost. The typed accessors
// (ReadAt/WriteAt, EnsureRange and so every pin) refuse such bytes with InvalidOperationException.
// Null until the first move: then the hot path pays one field test and a branch that is never
// taken, and the ranges are only looked at on the cold path. The byte-level members (indexer,
// slices, the cursor, Find, Move) treat the map as the file's bytes and do not consult them.
public sealed unsafe partial class MemoryMap
{
    // Sorted by start, never overlapping, replaced (never changed) so that a reader on another
    // thread sees a whole array. Ranges are only added: a container never reuses a retired extent
    // in the session that retired it, and nothing else retires bytes.
    private RetiredRange[]? _retired;

    /// <summary>
    /// Marks <c>[offset, offset + length)</c> as left by <paramref name="owner"/>: from now on the
    /// typed accessors refuse any access that touches it.
    /// </summary>
    /// <param name="offset">Where the range starts; not negative.</param>
    /// <param name="length">How many bytes; positive.</param>
    /// <param name="owner">Who left it, for the message (<c>section 'players'</c>).</param>
    internal void Retire(long offset, long length, string owner)
    {
        if (offset < 0 || length <= 0 || offset > long.MaxValue - length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"[{offset}, {offset} + {length}) is not a range that can be retired.");
        }

        RetiredRange[] old = _retired ?? [];
        var ranges = new RetiredRange[old.Length + 1];
        int at = 0;
        while (at < old.Length && old[at].Start < offset)
        {
            ranges[at] = old[at];
            at++;
        }

        ranges[at] = new RetiredRange(offset, offset + length, owner);
        Array.Copy(old, at, ranges, at + 1, old.Length - at);
        Volatile.Write(ref _retired, ranges);
    }

    /// <summary>Whether any byte of <c>[offset, offset + size)</c> is retired; for tests and checks that are not on a hot path.</summary>
    internal bool IsRetired(long offset, long size) => _retired is { } ranges && FindRetired(ranges, offset, size) >= 0;

    /// <summary>
    /// The hot path's test: one field load and a branch not taken until a section has moved. Called
    /// after the bounds test, so <paramref name="offset"/> and <paramref name="size"/> are inside the map.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckRetired(long offset, long size)
    {
        if (_retired is not null)
        {
            CheckRetiredSlow(offset, size);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckRetiredSlow(long offset, long size)
    {
        RetiredRange[]? ranges = Volatile.Read(ref _retired);
        if (ranges is null)
        {
            return;
        }

        int found = FindRetired(ranges, offset, size);
        if (found >= 0)
        {
            RetiredRange range = ranges[found];
            throw new InvalidOperationException(
                $"{size} bytes at offset {offset} of the map lie in [{range.Start}, {range.End}), which {range.Owner} left when it moved to grow: " +
                "this view, array or pin was taken before the move and would read a dead copy and lose its writes. Take it again from the section (docs/formats.md §3).");
        }
    }

    // Linear: a section moves about log2(its final size / 4 KiB) times, so a map holds a few dozen
    // ranges at most. An empty range touches nothing (an empty stale array has nothing to lose).
    private static int FindRetired(RetiredRange[] ranges, long offset, long size)
    {
        if (size <= 0)
        {
            return -1;
        }

        long end = offset + size; // inside the map: no overflow
        for (int i = 0; i < ranges.Length && ranges[i].Start < end; i++)
        {
            if (offset < ranges[i].End)
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct RetiredRange(long Start, long End, string Owner);
}
