using System;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

// What reaches the file, and in which order. The one place that orders writes, flushes, the trim,
// the unmap and the unlock (a later reliability issue builds its crash-safety promises on it):
//
//   Append:  records are stored (Reserve clears stale slack first), then the count is committed
//            (Commit). Both are plain stores into the shared mapping; nothing waits for the disk.
//   Flush:   msync(MS_SYNC) of the prefix, header and counted records, in one call.
//   Dispose: trim the slack (only while no reader is present, see RecordFileLock), unmap, then
//            release the lock: the next writer can only open once this one's map is gone.
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    /// <summary>
    /// Writes the changed pages of the prefix, header and records to the file and waits for the
    /// disk (<c>msync(MS_SYNC)</c>). Nothing else flushes. Does nothing for a read-only or
    /// copy-on-write file.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        if (_appendable)
        {
            _map.Flush(0, UsedLength);
        }
    }

    /// <summary>
    /// Trims a writable file to exactly its prefix, header, padding and records (the slack of the
    /// last growth never reaches the disk), unless a reader has the file open: then the slack stays
    /// (the file is valid either way; its count says how many records it holds), and the next
    /// writer to close it without readers trims it. Then unmaps the file and releases its lock.
    /// Does not flush. A second call does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Memory exported from <see cref="Map"/> is still in use; the file stays open, its lock held.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        ThrowIfStoring("close");
        if (_appendable && _map.Length != UsedLength)
        {
            TrimUnlessReadersArePresent();
        }

        _map.CloseAsOwner();
        _disposed = true;
        _mapRoot.Free();
        GC.SuppressFinalize(this);

        // Unobservable through Count (which throws now), but the indexer compares with it alone:
        // every index then takes its slow path, which throws ObjectDisposedException.
        _count = 0;
        _lock.Dispose();
    }

    /// <summary>
    /// Ends the hold on the map of a file that was never disposed. The map's finalizer leaks the
    /// mapping rather than unmap it under a live export, and the hold counts as one: without this,
    /// the mapping would stay for the life of the process, and with it the file's lock (a mapping
    /// keeps its open file description, which holds the lock). <see cref="_mapRoot"/> keeps the map
    /// from being finalized before this runs; the map unmaps later, once no view references it,
    /// and the lock goes with the mapping. Nothing is trimmed or flushed.
    /// </summary>
    ~RecordFile()
    {
        if (_mapRoot.IsAllocated)
        {
            _map.ReleaseOwnership();
            _mapRoot.Free();
        }
    }

    private void TrimUnlessReadersArePresent()
    {
        // A reader maps the file as long as it was when the reader opened, slack included: cut
        // under it, its next touch of those pages would raise SIGBUS.
        if (!_lock.TryBeginShrink())
        {
            return;
        }

        try
        {
            ResizeMap(UsedLength);
        }
        finally
        {
            _lock.EndShrink();
        }
    }

    private void Commit(long count)
    {
        // A plain store into the map, after the records': the count reaches the file with them,
        // when the kernel writes the pages back or Flush is called. No check against the map's
        // length here (this runs once per record): only ResizeMap changes that length, and never
        // below the counted records.
        ValueAccess.Write(_map, RecordFileFormat.RecordCountOffset, (ulong)count, bigEndian: false);
        _count = count;
    }
}
