using System;
using System.Buffers;

namespace Overlay;

/// <summary>
/// Writable memory exported from a <see cref="MemoryMap"/> by <see cref="MemoryMap.AcquireMemory"/>.
/// While it is not disposed the map cannot be closed, resized or re-protected, so
/// <see cref="MemoryManager{T}.Memory"/> and its spans always point into a live mapping; after
/// disposal they throw <see cref="ObjectDisposedException"/>.
/// </summary>
/// <remarks>
/// A span taken from it is valid until the export is disposed, as with any
/// <see cref="MemoryManager{T}"/>; an export that is never disposed keeps the mapping for the life
/// of the process, even if the map itself becomes unreachable (its finalizer then leaks the pages
/// rather than unmap them under the span). Disposing from several threads at once ends the export
/// once. See <c>docs/lifetimes.md</c>.
/// </remarks>
public sealed unsafe class MappedMemory : MemoryManager<byte>
{
    private readonly ExportLease _lease;
    private readonly byte* _pointer;
    private readonly int _length;

    internal MappedMemory(ExportLease lease, byte* pointer, int length)
    {
        _lease = lease;
        _pointer = pointer;
        _length = length;
    }

    /// <summary>The exported bytes.</summary>
    /// <returns>A span over the mapped memory.</returns>
    /// <exception cref="ObjectDisposedException">The export was disposed.</exception>
    public override Span<byte> GetSpan()
    {
        ThrowIfEnded();
        return new Span<byte>(_pointer, _length);
    }

    /// <summary>Mapped memory does not move: the handle is the address itself.</summary>
    /// <param name="elementIndex">The offset into the exported range.</param>
    /// <returns>A handle to the byte at <paramref name="elementIndex"/>.</returns>
    /// <exception cref="ObjectDisposedException">The export was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the exported range.</exception>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ThrowIfEnded();
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_pointer + elementIndex);
    }

    /// <summary>Nothing to do: mapped memory is never moved by the GC.</summary>
    public override void Unpin()
    {
    }

    /// <summary>Ends the export; the map can be closed again once every export has ended.</summary>
    /// <param name="disposing">True from <see cref="IDisposable.Dispose"/>.</param>
    protected override void Dispose(bool disposing) => _lease.End();

    private void ThrowIfEnded() => ObjectDisposedException.ThrowIf(!_lease.IsLive, this);
}
