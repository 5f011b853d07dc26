using System;

namespace Overlay.Formats;

/// <summary>
/// A section of the application's own bytes in a <see cref="MappedContainer"/>: every access is
/// checked against the section's length (<see cref="ArgumentOutOfRangeException"/>), and spans are
/// only handed out inside <see cref="Pin{TResult}"/> / <see cref="PinForWrite{TResult}"/> callbacks or
/// as an export (<see cref="AcquireReadOnlyMemory"/>), never as a span that could outlive a resize.
/// </summary>
/// <remarks>Not thread-safe, as the container. Changes of length are durable after <see cref="MappedContainer.Commit"/>.</remarks>
public sealed class RawSection
{
    private readonly MappedContainer _container;
    private readonly SectionEntry _entry;

    internal RawSection(MappedContainer container, SectionEntry entry)
    {
        _container = container;
        _entry = entry;
    }

    /// <summary>The section's name.</summary>
    public string Name => _entry.Name;

    /// <summary>The bytes in use.</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Length
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Length;
        }
    }

    /// <summary>The bytes reserved.</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Capacity
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Capacity;
        }
    }

    /// <summary>Copies bytes from <c>[offset, offset + destination.Length)</c> of the section.</summary>
    /// <param name="offset">Where in the section to start.</param>
    /// <param name="destination">Where the bytes go.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the section's length.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public void Read(long offset, Span<byte> destination)
    {
        MemoryMap map = Checked(offset, destination.Length);
        map.ReadAt(_entry.Offset + offset, destination);
    }

    /// <summary>Copies <paramref name="source"/> to <c>[offset, offset + source.Length)</c>, inside the section's length.</summary>
    /// <param name="offset">Where in the section to start.</param>
    /// <param name="source">The bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the section's length.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        MemoryMap map = Checked(offset, source.Length);
        map.WriteAt(_entry.Offset + offset, source);
    }

    /// <summary>Appends <paramref name="source"/> at the end of the section, growing it as needed.</summary>
    /// <param name="source">The bytes.</param>
    /// <returns>Where in the section they start.</returns>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The section must grow while memory of the map is exported or pinned.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Append(ReadOnlySpan<byte> source)
    {
        long at = _entry.Length;
        SetLength(at + source.Length);
        _container.LiveMap.WriteAt(_entry.Offset + at, source);
        return at;
    }

    /// <summary>Sets the section's length: bytes added read as zero; bytes cut off are forgotten (the capacity stays).</summary>
    /// <param name="length">The new length.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or too large.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The section must grow while memory of the map is exported or pinned.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public void SetLength(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _container.ThrowIfNotWritable();
        if (length > _entry.Length)
        {
            _container.EnsureCapacity(_entry, length);
            _container.PrepareBytes(_entry, _entry.Length, length - _entry.Length);
        }
        else
        {
            // Cut bytes are dirty now: a later growth clears them.
            _entry.ZeroFrom = Math.Max(_entry.ZeroFrom, _entry.Length);
        }

        _entry.Length = length;
    }

    /// <summary>Copies the whole section.</summary>
    /// <returns>Its bytes.</returns>
    /// <exception cref="InvalidOperationException">The section is longer than an array can be.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public byte[] ToArray()
    {
        _container.ThrowIfDisposed();
        if (_entry.Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"Section '{_entry.Name}' is {_entry.Length} bytes, more than an array holds.");
        }

        byte[] bytes = new byte[_entry.Length];
        Read(0, bytes);
        return bytes;
    }

    /// <summary>Hands <paramref name="body"/> bytes <c>[offset, offset + length)</c> in place, the map pinned meanwhile.</summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="offset">Where in the section to start.</param>
    /// <param name="length">How many bytes.</param>
    /// <param name="body">The callback; the span cannot outlive it.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the section's length.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult Pin<TResult>(long offset, int length, Func<ReadOnlySpan<byte>, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SectionPin.Read(Checked(offset, length), _entry.Offset + offset, length, body);
    }

    /// <summary>As <see cref="Pin{TResult}"/>, with a writable span.</summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="offset">Where in the section to start.</param>
    /// <param name="length">How many bytes.</param>
    /// <param name="body">The callback; the span cannot outlive it.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the section's length.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult PinForWrite<TResult>(long offset, int length, Func<Span<byte>, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SectionPin.Write(Checked(offset, length), _entry.Offset + offset, length, body);
    }

    /// <summary>
    /// Exports bytes <c>[offset, offset + length)</c> as memory (<see cref="MemoryMap.AcquireReadOnlyMemory"/>):
    /// until it is disposed, the map cannot be resized or closed and no section can move (see <c>docs/lifetimes.md</c>).
    /// </summary>
    /// <param name="offset">Where in the section to start.</param>
    /// <param name="length">How many bytes.</param>
    /// <returns>The export; dispose it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the section's length.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public ReadOnlyMappedMemory AcquireReadOnlyMemory(long offset, int length) =>
        Checked(offset, length).AcquireReadOnlyMemory(_entry.Offset + offset, length);

    /// <inheritdoc/>
    public override string ToString() => $"RawSection(name={_entry.Name}, length={_entry.Length})";

    private MemoryMap Checked(long offset, long length)
    {
        MemoryMap map = _container.LiveMap;
        if (offset < 0 || length < 0 || offset > _entry.Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"{length} bytes at {offset} are not inside section '{_entry.Name}' ({_entry.Length} bytes).");
        }

        return map;
    }
}
