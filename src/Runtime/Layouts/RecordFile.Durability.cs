using System;

namespace Overlay;

// What reaches the file and in which order: the count after the records, Flush, and Dispose.
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
    /// last growth never reaches the disk), then unmaps and closes it. Does not flush. A second
    /// call does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Memory exported from <see cref="Map"/> is still in use; the file stays open.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (_appendable && _map.Length != UsedLength)
        {
            ResizeMap(UsedLength);
        }

        _map.CloseAsOwner();
        _disposed = true;

        // Unobservable through Count (which throws now), but the indexer compares with it alone:
        // every index then takes its slow path, which throws ObjectDisposedException.
        _count = 0;
    }

    private void Commit(long count)
    {
        // A plain store into the map: the count reaches the file with the records, when the
        // kernel writes the pages back or Flush is called.
        ValueAccess.Write(_map, RecordFileFormat.RecordCountOffset, (ulong)count, bigEndian: false);
        _count = count;
    }
}
