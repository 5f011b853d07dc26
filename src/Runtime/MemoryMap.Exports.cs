using System;
using System.IO;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Exports <c>[start, start + length)</c> as writable <see cref="Memory{T}"/> (Python's buffer
    /// protocol). Until the returned owner is disposed, <see cref="Close"/>, <see cref="Resize"/>
    /// and <see cref="Protect"/> refuse, so the memory can never outlive the mapping.
    /// </summary>
    /// <param name="start">Where the exported range starts.</param>
    /// <param name="length">How many bytes; null for the rest of the map, which must then fit in an <see cref="int"/>.</param>
    /// <returns>The owner of the memory; dispose it to end the export.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only: use <see cref="AcquireReadOnlyMemory"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map, or longer than <see cref="int.MaxValue"/>.</exception>
    public MappedMemory AcquireMemory(long start = 0, int? length = null)
    {
        ThrowIfNotWritable();
        int count = CheckExportRange(start, length);
        return new MappedMemory(this, _data + start, count);
    }

    /// <summary>
    /// Exports <c>[start, start + length)</c> as <see cref="ReadOnlyMemory{T}"/>. Until the returned
    /// owner is disposed, <see cref="Close"/>, <see cref="Resize"/> and <see cref="Protect"/> refuse.
    /// </summary>
    /// <param name="start">Where the exported range starts.</param>
    /// <param name="length">How many bytes; null for the rest of the map, which must then fit in an <see cref="int"/>.</param>
    /// <returns>The owner of the memory; dispose it to end the export.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is not readable.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map, or longer than <see cref="int.MaxValue"/>.</exception>
    public ReadOnlyMappedMemory AcquireReadOnlyMemory(long start = 0, int? length = null)
    {
        ThrowIfNotReadable();
        int count = CheckExportRange(start, length);
        return new ReadOnlyMappedMemory(new MappedMemory(this, _data + start, count));
    }

    /// <summary>
    /// A <see cref="Stream"/> over the map for APIs that want one. It shares the map's cursor,
    /// can write only when the map can, cannot grow past the end (<see cref="Stream.SetLength"/>
    /// resizes the map), and disposing it leaves the map open.
    /// </summary>
    /// <returns>A new stream.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public Stream AsStream()
    {
        ThrowIfClosed();
        return new MemoryMapStream(this);
    }

    /// <summary>The number of live exports; tests and the stream read it.</summary>
    internal int ExportCount => _exports;

    internal void AddExport()
    {
        ThrowIfClosed();
        _exports++;
    }

    internal void ReleaseExport() => _exports--;

    /// <summary>
    /// Starts a pin of <c>[offset, offset + size)</c> for <see cref="MappedArray{TView}.Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/>
    /// and for record files storing through a layout's span <c>Store</c>:
    /// checks the range and the access against the live mapping, then counts as an export, so
    /// <see cref="Close"/>, <see cref="Resize"/> and <see cref="Protect"/> refuse until <see cref="EndPin"/>.
    /// </summary>
    /// <returns>The first byte of the range.</returns>
    internal ref byte BeginPin(long offset, long size, bool write)
    {
        if (write)
        {
            ThrowIfNotWritable();
        }
        else
        {
            ThrowIfNotReadable();
        }

        EnsureRange(offset, size);
        _exports++;
        return ref *(_data + offset);
    }

    /// <summary>Ends a pin started by <see cref="BeginPin"/>.</summary>
    internal void EndPin() => _exports--;

    private int CheckExportRange(long start, int? length)
    {
        if (start < 0 || start > _length)
        {
            ThrowHelper.OutOfRange(nameof(start), start, $"The start is outside the map (length {_length}).");
        }

        long count = length ?? (_length - start);
        if (count < 0 || _length - start < count)
        {
            ThrowHelper.OutOfRange(nameof(length), count, $"The range reaches outside the map (length {_length}).");
        }

        if (count > int.MaxValue)
        {
            ThrowHelper.OutOfRange(nameof(length), count, "Memory<byte> holds at most int.MaxValue bytes; export the map in ranges.");
        }

        return (int)count;
    }
}
