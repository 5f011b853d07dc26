using System.Threading;

namespace Overlay;

/// <summary>
/// One export of a <see cref="MemoryMap"/>: the heap object that every copy of an export handle
/// shares, so the export ends exactly once however many copies are disposed, on whatever thread.
/// </summary>
/// <remarks>
/// A <c>ref struct</c> enumerator is copied by value; a flag in the struct would be copied with
/// it, and two copies would each end the export (the count would then go below zero and let
/// <see cref="MemoryMap.Close"/> unmap memory that another export still hands out). The flag
/// lives here instead, and <see cref="IsLive"/> lets each copy see that another one ended it.
/// See <c>docs/lifetimes.md</c>.
/// </remarks>
internal sealed class ExportLease
{
    private readonly MemoryMap _map;
    private int _ended;

    /// <summary>Counts a new export on <paramref name="map"/>.</summary>
    /// <exception cref="System.ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="System.InvalidOperationException">Another thread is closing, resizing or re-protecting the map.</exception>
    public ExportLease(MemoryMap map)
    {
        map.AddExport();
        _map = map;
    }

    /// <summary>The map the export is of; reachable for as long as the lease is.</summary>
    public MemoryMap Map => _map;

    /// <summary>Whether the export still holds the map (no copy has ended it).</summary>
    public bool IsLive => Volatile.Read(ref _ended) == 0;

    /// <summary>Ends the export if no copy has yet; later calls do nothing.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _map.ReleaseExport();
        }
    }
}
