using System;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// The lowest index of <paramref name="sub"/> within <c>[start, end)</c> (Python's
    /// <c>find(sub, start, end)</c>). Bounds follow slice rules; <paramref name="start"/> defaults
    /// to the cursor and <paramref name="end"/> to the end of the map. Vectorised.
    /// </summary>
    /// <param name="sub">The bytes to look for; an empty needle is found at <c>start</c>.</param>
    /// <param name="start">Where the search starts; null for the cursor. Negative counts from the end.</param>
    /// <param name="end">Where the match must end by; null for the end of the map. Negative counts from the end.</param>
    /// <returns>The index, or -1. A start past the end finds nothing, even an empty needle (Python's gh-151021 fix).</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public long Find(ReadOnlySpan<byte> sub, long? start = null, long? end = null)
    {
        ThrowIfNotReadable();
        if (!ResolveSearch(start, end, out long from, out long to))
        {
            return -1;
        }

        long window = int.MaxValue;
        while (to - from >= sub.Length)
        {
            int size = (int)Math.Min(to - from, window);
            int found = new ReadOnlySpan<byte>(_data + from, size).IndexOf(sub);
            if (found >= 0)
            {
                return from + found;
            }

            if (size == to - from)
            {
                break;
            }

            // The next window overlaps this one by sub.Length - 1 bytes, so no match straddles a seam.
            from += size - sub.Length + 1;
        }

        return -1;
    }

    /// <summary>
    /// The highest index of <paramref name="sub"/> within <c>[start, end)</c> (Python's
    /// <c>rfind(sub, start, end)</c>), with the bounds of <see cref="Find"/>.
    /// </summary>
    /// <param name="sub">The bytes to look for; an empty needle is found at <c>end</c>.</param>
    /// <param name="start">Where the search region starts; null for the cursor.</param>
    /// <param name="end">Where it ends; null for the end of the map.</param>
    /// <returns>The index, or -1.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public long RFind(ReadOnlySpan<byte> sub, long? start = null, long? end = null)
    {
        ThrowIfNotReadable();
        if (!ResolveSearch(start, end, out long from, out long to))
        {
            return -1;
        }

        long window = int.MaxValue;
        while (to - from >= sub.Length)
        {
            int size = (int)Math.Min(to - from, window);
            long windowStart = to - size;
            int found = new ReadOnlySpan<byte>(_data + windowStart, size).LastIndexOf(sub);
            if (found >= 0)
            {
                return windowStart + found;
            }

            if (size == to - from)
            {
                break;
            }

            to = windowStart + sub.Length - 1;
        }

        return -1;
    }

    /// <summary>Whether <paramref name="sub"/> occurs anywhere in the map (a substring search from index 0, whatever the cursor).</summary>
    /// <param name="sub">The bytes to look for.</param>
    /// <returns>True when found.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public bool Contains(ReadOnlySpan<byte> sub) => Find(sub, 0) >= 0;

    /// <summary>Whether the byte <paramref name="value"/> occurs anywhere in the map.</summary>
    /// <param name="value">The byte to look for.</param>
    /// <returns>True when found.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public bool Contains(byte value) => Find([value], 0) >= 0;

    /// <summary>Resolves find bounds as CPython does, but a start past the end finds nothing (gh-151021).</summary>
    private bool ResolveSearch(long? start, long? end, out long from, out long to)
    {
        from = start ?? _position;
        to = end ?? _length;
        if (from < 0)
        {
            from = Math.Max(0, from + _length);
        }

        if (to < 0)
        {
            to = Math.Max(0, to + _length);
        }
        else if (to > _length)
        {
            to = _length;
        }

        return from <= _length && from <= to;
    }
}
