using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Overlay.Layouts;

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
        return Export(start, length, write: true);
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
        return new ReadOnlyMappedMemory(Export(start, length, write: false));
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
    internal int ExportCount => Math.Max(Volatile.Read(ref _exports), 0);

    /// <summary>
    /// Counts a new export. Atomic, so exports taken and ended on several threads at once are all
    /// counted, and refused once <see cref="Close"/>, <see cref="Resize"/> or <see cref="Protect"/>
    /// has started (see <see cref="BeginMaintenance"/>).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">Another thread is closing, resizing or re-protecting the map.</exception>
    internal void AddExport()
    {
        while (true)
        {
            int count = Volatile.Read(ref _exports);
            if (count < 0)
            {
                ThrowIfClosed();
                ThrowHelper.Busy();
            }

            if (count == int.MaxValue)
            {
                throw new InvalidOperationException("The map has int.MaxValue live exports; dispose some first.");
            }

            if (Interlocked.CompareExchange(ref _exports, count + 1, count) == count)
            {
                return;
            }
        }
    }

    /// <summary>Ends one export. Callers end each export exactly once (<see cref="ExportLease"/>, or a pin's <c>finally</c>).</summary>
    internal void ReleaseExport()
    {
        int remaining = Interlocked.Decrement(ref _exports);
        Debug.Assert(remaining >= 0, "An export was ended twice.");
    }

    /// <summary>
    /// Starts an operation that moves, unmaps or re-protects the pages: succeeds only when no export
    /// is live but the <paramref name="heldByCaller"/> the caller itself holds (an owner's hold, see
    /// <c>MemoryMap.RecordFileSupport.cs</c>), and holds new exports off until
    /// <see cref="EndMaintenance"/> (or for ever, after a close). One compare-and-swap, so no
    /// export can slip in between the check and the operation.
    /// </summary>
    /// <exception cref="InvalidOperationException">An export is live, or another thread is in such an operation.</exception>
    private void BeginMaintenance(string operation, int heldByCaller = 0)
    {
        int found = Interlocked.CompareExchange(ref _exports, Maintenance, heldByCaller);
        if (found > heldByCaller)
        {
            ThrowHelper.Exported(operation);
        }
        else if (found != heldByCaller)
        {
            ThrowIfClosed();
            ThrowHelper.Busy();
        }
    }

    /// <summary>Ends what <see cref="BeginMaintenance"/> started; exports may be taken again, the caller's hold is back.</summary>
    private void EndMaintenance(int heldByCaller = 0) => Volatile.Write(ref _exports, heldByCaller);

    /// <summary>
    /// Starts a pin of <c>[offset, offset + size)</c> for <see cref="MappedArray{TView}.Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/>
    /// and for record files storing through a layout's span <c>Store</c>: counts as an export, then
    /// checks the range and the access against the live mapping, so <see cref="Close"/>,
    /// <see cref="Resize"/> and <see cref="Protect"/> refuse until <see cref="EndPin"/>. A pin is an
    /// export scoped by the caller's <c>try</c>/<c>finally</c>, so it needs no <see cref="ExportLease"/>.
    /// </summary>
    /// <returns>The first byte of the range.</returns>
    internal ref byte BeginPin(long offset, long size, bool write)
    {
        AddExport();
        try
        {
            if (write)
            {
                ThrowIfNotWritable();
            }
            else
            {
                ThrowIfNotReadable();
            }

            // Checked after the export is counted: from here the mapping cannot move or shrink.
            EnsureRange(offset, size);
        }
        catch
        {
            ReleaseExport();
            throw;
        }

        return ref *(_data + offset);
    }

    /// <summary>Ends a pin started by <see cref="BeginPin"/>.</summary>
    internal void EndPin() => ReleaseExport();

    private MappedMemory Export(long start, int? length, bool write)
    {
        // Counted before the range is checked and the address taken: from then on the mapping
        // cannot move, shrink or close, even from another thread.
        var lease = new ExportLease(this);
        try
        {
            if (write)
            {
                ThrowIfNotWritable();
            }
            else
            {
                ThrowIfNotReadable();
            }

            int count = CheckExportRange(start, length);
            return new MappedMemory(lease, _data + start, count);
        }
        catch
        {
            lease.End();
            throw;
        }
    }

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
