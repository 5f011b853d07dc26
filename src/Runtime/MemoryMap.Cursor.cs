using System;
using System.IO;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// The cursor's position (Python's <c>tell()</c> and <c>seek(pos)</c>). After a
    /// <see cref="Resize"/> that shrank the map it may lie past the end, as in Python.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Setting a position outside <c>[0, Length]</c>.</exception>
    public long Position
    {
        get
        {
            ThrowIfClosed();
            return _position;
        }

        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>Always true while the map is open: the cursor can move anywhere in the map (Python 3.13's <c>seekable()</c>).</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public bool Seekable
    {
        get
        {
            ThrowIfClosed();
            return true;
        }
    }

    /// <summary>The cursor's position (Python's <c>tell()</c>).</summary>
    /// <returns>The position.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public long Tell() => Position;

    /// <summary>Moves the cursor (Python's <c>seek(pos, whence)</c>); a failed seek leaves it where it was.</summary>
    /// <param name="offset">The distance from <paramref name="origin"/>.</param>
    /// <param name="origin">Where to measure from.</param>
    /// <returns>The new position.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An unknown origin (checked first), or a target outside <c>[0, Length]</c>.</exception>
    public long Seek(long offset, SeekOrigin origin = SeekOrigin.Begin)
    {
        ThrowIfClosed();
        long basis = origin switch
        {
            SeekOrigin.Begin => 0,
            SeekOrigin.Current => _position,
            SeekOrigin.End => _length,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown seek origin."),
        };

        // basis >= 0, so only a positive offset can overflow.
        if (offset > long.MaxValue - basis || basis + offset < 0 || basis + offset > _length)
        {
            ThrowHelper.OutOfRange(nameof(offset), offset, $"The target position is outside the map (length {_length}).");
        }

        _position = basis + offset;
        return _position;
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> bytes at the cursor and moves past them (Python's
    /// <c>read(n)</c>); a negative count reads to the end.
    /// </summary>
    /// <param name="count">How many bytes at most; negative for all that remain.</param>
    /// <returns>The bytes read; empty at the end.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public byte[] Read(long count = -1)
    {
        ThrowIfNotReadable();
        long remaining = Remaining;
        if (count < 0 || count > remaining)
        {
            count = remaining;
        }

        byte[] result = CopyOut(_position, count);
        _position += count;
        return result;
    }

    /// <summary>Reads bytes at the cursor into <paramref name="buffer"/> and moves past them.</summary>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <returns>How many bytes were read: fewer than the buffer holds only at the end of the map.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public int Read(Span<byte> buffer)
    {
        ThrowIfNotReadable();
        int count = (int)Math.Min(buffer.Length, Remaining);
        new ReadOnlySpan<byte>(_data + _position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    /// <summary>Reads the byte at the cursor and moves past it (Python's <c>read_byte()</c>).</summary>
    /// <returns>The byte.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="EndOfStreamException">The cursor is at or past the end.</exception>
    public byte ReadByte()
    {
        ThrowIfNotReadable();
        if (_position >= _length)
        {
            ThrowHelper.EndOfMap("read a byte");
        }

        return _data[_position++];
    }

    /// <summary>
    /// Reads from the cursor up to and including the next <c>\n</c>, or to the end (Python's
    /// <c>readline()</c>).
    /// </summary>
    /// <returns>A new array with the line; empty at the end.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public byte[] ReadLine()
    {
        ThrowIfNotReadable();
        long length = LineLength(_position);
        byte[] line = CopyOut(_position, length);
        _position += length;
        return line;
    }

    /// <summary>
    /// Walks the lines from the cursor to the end without allocating: each line is a span over the
    /// mapped bytes (with its <c>\n</c>), and the cursor moves past it as with <see cref="ReadLine"/>.
    /// While the enumeration runs the map cannot be closed or resized.
    /// </summary>
    /// <returns>An enumerable for <c>foreach</c>.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public MappedLineEnumerable EnumerateLines()
    {
        ThrowIfNotReadable();
        return new MappedLineEnumerable(this);
    }

    /// <summary>
    /// Writes <paramref name="data"/> at the cursor and moves past it (Python's <c>write(b)</c>).
    /// All of it fits, or nothing is written.
    /// </summary>
    /// <param name="data">The bytes to write.</param>
    /// <returns>How many bytes were written: always <c>data.Length</c>.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="ArgumentException">The data reaches past the end of the map; nothing is written.</exception>
    public int Write(ReadOnlySpan<byte> data)
    {
        ThrowIfNotWritable();
        if (_position > _length || _length - _position < data.Length)
        {
            throw new ArgumentException($"{data.Length} bytes do not fit between the position {_position} and the end of the map ({_length}); nothing was written.", nameof(data));
        }

        data.CopyTo(new Span<byte>(_data + _position, data.Length));
        _position += data.Length;
        return data.Length;
    }

    /// <summary>Writes one byte at the cursor and moves past it (Python's <c>write_byte(b)</c>).</summary>
    /// <param name="value">The byte.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="EndOfStreamException">The cursor is at or past the end; nothing is written.</exception>
    public void WriteByte(byte value)
    {
        ThrowIfNotWritable();
        if (_position >= _length)
        {
            ThrowHelper.EndOfMap("write a byte");
        }

        _data[_position++] = value;
    }

    /// <summary>Bytes from the cursor to the end; 0 when the cursor lies past the end.</summary>
    private long Remaining => _position < _length ? _length - _position : 0;

    /// <summary>The length of the line starting at <paramref name="start"/>, its <c>\n</c> included.</summary>
    internal long LineLength(long start)
    {
        long end = _length;
        long position = start;
        while (position < end)
        {
            int window = (int)Math.Min(end - position, int.MaxValue);
            int newline = NewlineSearch.IndexOf(new ReadOnlySpan<byte>(_data + position, window));
            if (newline >= 0)
            {
                return position + newline + 1 - start;
            }

            position += window;
        }

        return Math.Max(0, end - start);
    }

    /// <summary>The cursor, for <see cref="MappedLineEnumerator"/>, which holds an export and so a stable mapping.</summary>
    internal long CursorPosition
    {
        get => _position;
        set => _position = value;
    }

    /// <summary>The mapped bytes from <paramref name="start"/>, at most <see cref="int.MaxValue"/> of them; empty past the end.</summary>
    internal ReadOnlySpan<byte> WindowFrom(long start)
    {
        ThrowIfNotReadable();
        return start >= _length ? default : new ReadOnlySpan<byte>(_data + start, (int)Math.Min(_length - start, int.MaxValue));
    }

    /// <summary>Hands out the line at the cursor and moves past it; false at the end (for <see cref="MappedLineEnumerator"/>).</summary>
    internal bool TryTakeLine(out ReadOnlySpan<byte> line)
    {
        ThrowIfNotReadable();
        if (_position >= _length)
        {
            line = default;
            return false;
        }

        long length = LineLength(_position);
        if (length > int.MaxValue)
        {
            throw new InvalidOperationException("A line longer than 2 GiB does not fit in a span; use ReadLine or Find.");
        }

        line = new ReadOnlySpan<byte>(_data + _position, (int)length);
        _position += length;
        return true;
    }
}
