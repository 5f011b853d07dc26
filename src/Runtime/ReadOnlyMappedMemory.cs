using System;

namespace Overlay;

/// <summary>
/// Read-only memory exported from a <see cref="MemoryMap"/> by
/// <see cref="MemoryMap.AcquireReadOnlyMemory"/>. While it is not disposed the map cannot be
/// closed, resized or re-protected; after disposal <see cref="Memory"/> and <see cref="Span"/> throw.
/// </summary>
public sealed class ReadOnlyMappedMemory : IDisposable
{
    private readonly MappedMemory _inner;

    internal ReadOnlyMappedMemory(MappedMemory inner) => _inner = inner;

    /// <summary>The exported bytes as memory.</summary>
    /// <exception cref="ObjectDisposedException">The export was disposed.</exception>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            _inner.GetSpan(); // throws once disposed, so a disposed export hands out nothing
            return _inner.Memory;
        }
    }

    /// <summary>The exported bytes as a span.</summary>
    /// <exception cref="ObjectDisposedException">The export was disposed.</exception>
    public ReadOnlySpan<byte> Span => _inner.GetSpan();

    /// <summary>Ends the export.</summary>
    public void Dispose() => ((IDisposable)_inner).Dispose();
}
