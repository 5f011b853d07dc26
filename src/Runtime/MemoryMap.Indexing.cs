using System;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// The byte at <paramref name="index"/> (Python's <c>m[i]</c>); a negative index counts from
    /// the end. Does not move the cursor.
    /// </summary>
    /// <param name="index">From -<see cref="Length"/> to <see cref="Length"/> - 1.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the map.</exception>
    /// <exception cref="NotSupportedException">Setting a byte of a read-only map (checked before the index), or reading a map without read access.</exception>
    public byte this[long index]
    {
        get
        {
            // One unsigned compare covers negative indices, the end, a closed map and an unreadable one.
            if ((ulong)index < (ulong)_readLimit)
            {
                return _data[index];
            }

            return GetByteSlow(index);
        }

        set
        {
            if ((ulong)index < (ulong)_writeLimit)
            {
                _data[index] = value;
                return;
            }

            SetByteSlow(index, value);
        }
    }

    /// <summary>
    /// A copy of the bytes in <paramref name="range"/> (Python's <c>m[i:j]</c>), clamped to the
    /// map as Python clamps slices; setting writes bytes of exactly the clamped length.
    /// </summary>
    /// <param name="range">The bytes to read or write; parts outside the map are dropped.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentNullException">The value set is null.</exception>
    /// <exception cref="ArgumentException">The value set is not as long as the clamped range; nothing is written.</exception>
    /// <exception cref="NotSupportedException">Setting into a read-only map.</exception>
    public byte[] this[Range range]
    {
        get
        {
            ThrowIfNotReadable();
            (long start, long count) = ClampRange(range);
            return CopyOut(start, count);
        }

        set
        {
            ThrowIfNotWritable();
            ArgumentNullException.ThrowIfNull(value);
            (long start, long count) = ClampRange(range);
            if (value.Length != count)
            {
                throw new ArgumentException($"The slice holds {count} bytes but {value.Length} were given; a map cannot change length through a slice.", nameof(value));
            }

            value.CopyTo(new Span<byte>(_data + start, value.Length));
        }
    }

    /// <summary>
    /// A copy of the extended slice <c>m[start:stop:step]</c>, with Python's rules: null takes the
    /// default for the step's direction, negative bounds count from the end, and bounds are
    /// clamped to the map.
    /// </summary>
    /// <param name="start">The first index, or null.</param>
    /// <param name="stop">The index to stop before, or null.</param>
    /// <param name="step">The stride, not 0; negative walks backwards. Null means 1.</param>
    /// <returns>The selected bytes.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentException"><paramref name="step"/> is 0.</exception>
    public byte[] GetSlice(long? start, long? stop, long? step = null)
    {
        ThrowIfNotReadable();
        SliceBounds slice = SliceBounds.Resolve(start, stop, step, _length);
        if (slice.Step == 1)
        {
            return CopyOut(slice.Start, slice.Count);
        }

        byte[] result = NewArray(slice.Count);
        long index = slice.Start;
        for (int i = 0; i < result.Length; i++, index += slice.Step)
        {
            result[i] = _data[index];
        }

        return result;
    }

    /// <summary>
    /// Writes <paramref name="value"/> into the extended slice <c>m[start:stop:step]</c>; the value
    /// must be exactly as long as the slice.
    /// </summary>
    /// <param name="start">The first index, or null.</param>
    /// <param name="stop">The index to stop before, or null.</param>
    /// <param name="step">The stride, not 0; null means 1.</param>
    /// <param name="value">The bytes, one per selected position.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only (checked first).</exception>
    /// <exception cref="ArgumentException"><paramref name="step"/> is 0, or the value's length differs from the slice's; nothing is written.</exception>
    public void SetSlice(long? start, long? stop, long? step, ReadOnlySpan<byte> value)
    {
        ThrowIfNotWritable();
        SliceBounds slice = SliceBounds.Resolve(start, stop, step, _length);
        if (value.Length != slice.Count)
        {
            throw new ArgumentException($"The slice holds {slice.Count} bytes but {value.Length} were given.", nameof(value));
        }

        if (slice.Step == 1)
        {
            value.CopyTo(new Span<byte>(_data + slice.Start, value.Length));
            return;
        }

        long index = slice.Start;
        for (int i = 0; i < value.Length; i++, index += slice.Step)
        {
            _data[index] = value[i];
        }
    }

    private byte GetByteSlow(long index)
    {
        ThrowIfNotReadable();
        return _data[NormalizeIndex(index)];
    }

    private void SetByteSlow(long index, byte value)
    {
        ThrowIfNotWritable();
        _data[NormalizeIndex(index)] = value;
    }

    private long NormalizeIndex(long index)
    {
        long normalized = index < 0 ? index + _length : index;
        if ((ulong)normalized >= (ulong)_length)
        {
            ThrowHelper.IndexOutOfRange(index, _length);
        }

        return normalized;
    }

    private (long Start, long Count) ClampRange(Range range)
    {
        long start = Clamp(range.Start);
        long end = Clamp(range.End);
        return (start, Math.Max(0, end - start));
    }

    private long Clamp(Index index)
    {
        long value = index.IsFromEnd ? _length - index.Value : index.Value;
        return Math.Clamp(value, 0, _length);
    }

    private byte[] CopyOut(long start, long count)
    {
        byte[] result = NewArray(count);
        new ReadOnlySpan<byte>(_data + start, result.Length).CopyTo(result);
        return result;
    }

    private static byte[] NewArray(long count)
    {
        if (count > Array.MaxLength)
        {
            throw new InvalidOperationException($"{count} bytes do not fit in one array (at most {Array.MaxLength}); read in smaller pieces or use AcquireReadOnlyMemory.");
        }

        return count == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)count);
    }
}
