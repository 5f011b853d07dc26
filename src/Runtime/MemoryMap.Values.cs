using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Reads a <typeparamref name="T"/> at <paramref name="offset"/> in the machine's byte order,
    /// without alignment requirements and without moving the cursor. This is what generated
    /// layout views call; each call is checked against the live mapping. A <c>bool</c> reads as
    /// true for any non-zero byte; a struct is copied as its bytes are, bools inside it included
    /// (read such records through a <c>[MappedLayout]</c>, whose bool fields are normalised).
    /// </summary>
    /// <typeparam name="T">An unmanaged type: a primitive, an enum, or a struct of them.</typeparam>
    /// <param name="offset">Where the value starts; the whole value must lie inside the map.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">The bytes are ones a container section left when it moved to grow: a view or array taken before the move (<c>docs/formats.md</c> §3).</exception>
    /// <exception cref="NotSupportedException">The map is not readable.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadAt<T>(long offset)
        where T : unmanaged
    {
        // One unsigned compare against the number of valid start offsets (see _readStarts4): a
        // negative offset is a huge unsigned one. sizeof(T) is a constant, so the switch folds
        // to one field; the field load is also the null check of an inlined call.
        if (sizeof(T) is 1 or 2 or 4 or 8 or 16)
        {
            if ((ulong)offset >= (ulong)ReadStarts(sizeof(T)))
            {
                ThrowAccessOutOfRange(offset, sizeof(T), write: false);
            }
        }
        else if (offset > _readLimit - sizeof(T) || offset < 0)
        {
            // Other sizes (a struct of several values): limits are never negative and sizes are
            // far from long.MinValue, so the subtraction cannot overflow.
            ThrowAccessOutOfRange(offset, sizeof(T), write: false);
        }

        CheckRetired(offset, sizeof(T)); // null until a container section moved: a branch never taken

        if (typeof(T) == typeof(bool))
        {
            // Any non-zero byte is true: a byte of 2 read as a bool would compare unequal to true.
            bool flag = _data[offset] != 0;
            return Unsafe.As<bool, T>(ref flag);
        }

        return Unsafe.ReadUnaligned<T>(_data + offset);
    }

    /// <summary>
    /// Writes a <typeparamref name="T"/> at <paramref name="offset"/> in the machine's byte order,
    /// without alignment requirements and without moving the cursor.
    /// </summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <param name="offset">Where the value starts; the whole value must lie inside the map.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">The bytes are ones a container section left when it moved to grow: a view or array taken before the move (<c>docs/formats.md</c> §3).</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteAt<T>(long offset, T value)
        where T : unmanaged
    {
        if (sizeof(T) is 1 or 2 or 4 or 8 or 16)
        {
            if ((ulong)offset >= (ulong)WriteStarts(sizeof(T)))
            {
                ThrowAccessOutOfRange(offset, sizeof(T), write: true);
            }
        }
        else if (offset > _writeLimit - sizeof(T) || offset < 0)
        {
            ThrowAccessOutOfRange(offset, sizeof(T), write: true);
        }

        CheckRetired(offset, sizeof(T));
        Unsafe.WriteUnaligned(_data + offset, value);
    }

    /// <summary>How many offsets a read of <paramref name="size"/> (1, 2, 4, 8 or 16) bytes may start at; a constant size folds the switch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadStarts(int size) => size switch
    {
        1 => _readLimit,
        2 => _readStarts2,
        4 => _readStarts4,
        8 => _readStarts8,
        _ => _readStarts16,
    };

    /// <summary>How many offsets a write of <paramref name="size"/> (1, 2, 4, 8 or 16) bytes may start at.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long WriteStarts(int size) => size switch
    {
        1 => _writeLimit,
        2 => _writeStarts2,
        4 => _writeStarts4,
        8 => _writeStarts8,
        _ => _writeStarts16,
    };

    /// <summary>Copies <c>destination.Length</c> bytes from <paramref name="offset"/> into <paramref name="destination"/>, without moving the cursor.</summary>
    /// <param name="offset">Where the bytes start.</param>
    /// <param name="destination">Where they go; its length is how many are read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">The bytes are ones a container section left when it moved to grow: a view or array taken before the move (<c>docs/formats.md</c> §3).</exception>
    /// <exception cref="NotSupportedException">The map is not readable.</exception>
    public void ReadAt(long offset, Span<byte> destination)
    {
        ThrowIfClosed(); // an empty range passes the bounds test even on a closed map
        if (offset < 0 || offset > _readLimit - destination.Length)
        {
            ThrowAccessOutOfRange(offset, destination.Length, write: false);
        }

        CheckRetired(offset, destination.Length);
        new ReadOnlySpan<byte>(_data + offset, destination.Length).CopyTo(destination);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="offset"/>, without moving the cursor. All of it fits, or nothing is written.</summary>
    /// <param name="offset">Where the bytes go.</param>
    /// <param name="source">The bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">The bytes are ones a container section left when it moved to grow: a view or array taken before the move (<c>docs/formats.md</c> §3).</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    public void WriteAt(long offset, ReadOnlySpan<byte> source)
    {
        ThrowIfClosed(); // an empty range passes the bounds test even on a closed map
        if (offset < 0 || offset > _writeLimit - source.Length)
        {
            ThrowAccessOutOfRange(offset, source.Length, write: true);
        }

        CheckRetired(offset, source.Length);
        source.CopyTo(new Span<byte>(_data + offset, source.Length));
    }

    /// <summary>Fills <c>[offset, offset + count)</c> with <paramref name="value"/>, without moving the cursor.</summary>
    /// <param name="offset">Where the range starts.</param>
    /// <param name="count">How many bytes.</param>
    /// <param name="value">The byte to write.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">The bytes are ones a container section left when it moved to grow: a view or array taken before the move (<c>docs/formats.md</c> §3).</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    public void Fill(long offset, long count, byte value)
    {
        ThrowIfClosed(); // an empty range passes the bounds test even on a closed map
        if (offset < 0 || count < 0 || offset > _writeLimit - count)
        {
            ThrowAccessOutOfRange(offset, count, write: true);
        }

        CheckRetired(offset, count);
        for (long done = 0; done < count;)
        {
            int chunk = (int)Math.Min(count - done, int.MaxValue);
            new Span<byte>(_data + offset + done, chunk).Fill(value);
            done += chunk;
        }
    }

    /// <summary>
    /// Checks that <c>[offset, offset + size)</c> lies inside the map now, for an array, a record
    /// copied in or out, or a pin about to be made; every later access of a view is checked again.
    /// </summary>
    /// <param name="offset">Where the range starts.</param>
    /// <param name="size">How many bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">The bytes are ones a container section left when it moved to grow: a view or array taken before the move (<c>docs/formats.md</c> §3).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureRange(long offset, long size)
    {
        // Inlined where it is called: a sign test and one compare for a positive size.
        // A closed map has length 0, so a positive size fails here; a size of 0 or less (and
        // every failure) takes the slow path, which checks in the original order.
        if (offset > _length - size || offset < 0 || size <= 0)
        {
            EnsureRangeSlow(offset, size);
        }

        CheckRetired(offset, size);
    }

    /// <summary>The whole check of <see cref="EnsureRange"/>, out of line: closed first, then the range.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnsureRangeSlow(long offset, long size)
    {
        ThrowIfClosed();
        if (offset < 0 || size < 0 || offset > _length - size)
        {
            ThrowHelper.OutOfRange(nameof(offset), offset, $"{size} bytes at offset {offset} do not lie inside the map (length {_length}).");
        }
    }

    // Ends in a throw of its own (not a call to ThrowHelper): the JIT then sees that it never
    // returns, never inlines it, and keeps nothing alive across the call in the loops that inline
    // ReadAt/WriteAt (with a helper that "may return", it spilled the offset on every access).
    [DoesNotReturn]
    private void ThrowAccessOutOfRange(long offset, long size, bool write)
    {
        if (write)
        {
            ThrowIfNotWritable();
        }
        else
        {
            ThrowIfNotReadable();
        }

        throw new ArgumentOutOfRangeException(nameof(offset), offset, $"{size} bytes at offset {offset} do not lie inside the map (length {_length}).");
    }
}
