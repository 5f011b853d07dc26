using System;
using System.Buffers.Binary;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

// What reaches the file, and in which order. The one place that orders writes, flushes, the trim,
// the unmap and the unlock; docs/durability.md states the promises this order keeps and why.
//
//   Open:    a writer stores the count it chose as the live count, then this boot's id.
//   Append:  records are stored (Reserve clears stale slack first), then the live count is
//            committed (Commit). Plain stores into the shared mapping (a large AppendRange writes
//            through the file handle instead: the same page cache, written before the count);
//            nothing waits for the disk.
//            A process crash keeps them (the page cache survives), and Open trusts the live count
//            in the boot that stored it. After a reboot it trusts only what the next two steps made
//            durable: the kernel may write the prefix page back before the records' pages.
//   Flush:   1. msync(MS_SYNC) of the prefix, header and counted records, in one call (it
//               writes back the range's dirty pages, those pwrite dirtied included);
//            2. only then, if the count grew, the durable slot with the next sequence (the other
//               slot: a torn write leaves the previous one intact), and msync of the prefix.
//            When Flush returns, every counted record survives a power loss.
//   Dispose: the seal (the count plus a hash of the records past the durable count: after a clean
//            reboot they count if all reached the disk), trim the slack (only while no reader is
//            present, see RecordFileLock), unmap, then release the lock: the next writer can only
//            open once this one's map is gone.
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    /// <summary>
    /// Makes every counted record, the header and in-place edits durable: writes their changed
    /// pages and waits for the disk (<c>msync(MS_SYNC)</c>), then, if records were appended since
    /// the last flush, records the new count as durable and waits for that too. When it returns,
    /// <see cref="Count"/> records survive a power loss or kernel crash byte for byte (as flushed:
    /// later in-place edits may or may not have reached the disk). Nothing else flushes. Does
    /// nothing for a read-only or copy-on-write file.
    /// </summary>
    /// <remarks>Two waits for the disk when the count grew, one otherwise: the durable count must
    /// not reach the disk before its records (docs/durability.md).</remarks>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="MapIOException">The OS reported a write error: what this call promises does not hold; records counted before the last successful flush still do.</exception>
    /// <exception cref="FileTruncatedException">Another process truncated the file under the map; nothing was written or flushed.</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        if (!_appendable)
        {
            return;
        }

        // One fstat beside the msyncs: the durable slot is written into the first page, which a
        // file cut under the map no longer has (SIGBUS).
        _map.ThrowIfFileTruncated("Flush");
        long count = _count;
        AdviseForFlush();
        _map.Flush(0, UsedLength);
        if ((ulong)count != _durable.Count)
        {
            var next = new DurableSlot(_durable.Sequence + 1, (ulong)count);
            Span<byte> slot = stackalloc byte[RecordFileFormat.DurableSlotSize];
            RecordFileDurableState.WriteSlot(slot, next);
            _map.WriteAt(next.Offset, slot);
            _map.Flush(0, RecordFileFormat.PrefixSize);
            _durable = next;
        }

        // The next seal extends this count: its hash starts here (RecordFile.StreamedSeal.cs).
        StartSealStream();
    }

    /// <summary>
    /// Seals a writable file's count (a hash of the records appended since the last
    /// <see cref="Flush"/>: after a reboot they count again if every one of them reached the disk,
    /// docs/durability.md), trims it to exactly its prefix, header, padding and records (the slack
    /// of the last growth never reaches the disk), unless a reader has the file open: then the slack
    /// stays (the file is valid either way; its count says how many records it holds), and the next
    /// writer to close it without readers trims it. Then unmaps the file and releases its lock.
    /// Does not flush: records appended since the last <see cref="Flush"/> survive a process crash
    /// and a clean reboot, not a power loss. A second call does nothing.
    /// </summary>
    /// <remarks>The seal reads the unflushed records once (a hash at several GB/s).</remarks>
    /// <exception cref="InvalidOperationException">Memory exported from <see cref="Map"/> is still in use; the file stays open, its lock held.</exception>
    /// <exception cref="FileTruncatedException">Another process truncated the file under the map: it is closed and its lock released without the seal and the trim (which would touch the lost pages); records not flushed may be lost.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        ThrowIfStoring("close");
        if (_appendable)
        {
            try
            {
                // The seal reads the unflushed records and the trim resizes: neither may touch
                // pages another process cut away. The file is closed anyway, its lock released.
                _map.ThrowIfFileTruncated("Closing the record file");
            }
            catch (FileTruncatedException)
            {
                Release();
                throw;
            }

            Seal();
            if (_map.Length != UsedLength)
            {
                TrimUnlessReadersArePresent();
            }
        }

        Release();
    }

    /// <summary>Unmaps the file and releases its lock: the end of <see cref="Dispose"/>.</summary>
    private void Release()
    {
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

    private void Seal()
    {
        // Count and check in one 16-byte store, after the records they describe. Torn by a power
        // loss, the check fails and Open falls back to the durable count. The check is version 3's:
        // hashed while AppendRange wrote the records when nothing else can have written them since
        // (RecordFile.StreamedSeal.cs), otherwise read back from the records.
        Span<byte> seal = stackalloc byte[16];
        if (!TryStreamedSealCheck(out ulong check))
        {
            check = RecordFileDurableState.SealCheckAsOwner(_map, _recordsOffset, _stride, (ulong)_count, _durable, _wroteThroughFile);
        }

        RecordFileDurableState.WriteSealV3(seal, (ulong)_count, check);
        _map.WriteAt(RecordFileFormat.SealCountOffset, seal);
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
