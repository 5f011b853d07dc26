using System;
using System.Runtime.CompilerServices;

namespace Overlay.Indexes;

// What reaches the file, and in which order (the type's remarks state the promise):
//
//   first change after open/Flush:  header state := dirty, checksum; msync(header) and wait.
//   changes:                        plain stores into the shared mapping; nothing moves an entry
//                                   (Remove writes a tombstone).
//   Flush:                          compaction of tombstones (a relayout, Growth.cs); msync(slots)
//                                   and wait; then header (count, capacity, state clean,
//                                   checksum); msync(header) and wait.
//   Dispose:                        Flush (a writer), unmap, release the lock.
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>
    /// Writes the changed slots to the file and waits for the disk, then the header (count,
    /// capacity, state clean, checksum), and waits again: after it returns, a crash or power loss
    /// keeps exactly this state. Does nothing for a read-only index. With no entry added, removed
    /// or moved since the last flush, only the slots are synced: values written in place through
    /// views or a pin tell the index nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="Pin{TRef, TState, TResult}"/>) and has removals to compact, which would move entries under the pin's lookups; nothing was written.</exception>
    /// <exception cref="MapIOException">The OS reported a failure to write.</exception>
    /// <exception cref="FileTruncatedException">Another process truncated the file under the map; nothing was written.</exception>
    /// <remarks>
    /// In a section of a <see cref="Formats.MappedContainer"/>, the durable point is the
    /// container's <see cref="Formats.MappedContainer.Commit"/>, and this calls it: every section
    /// of the container is committed, this index's count and state folded into its section entry.
    /// </remarks>
    public void Flush()
    {
        ThrowIfDisposed();
        if (_host is not null)
        {
            if (_writable)
            {
                _host.Commit();
            }

            return;
        }

        FlushIndex();
    }

    /// <summary>The index's own flush: compaction of tombstones, the slots synced, then the clean header synced.</summary>
    private void FlushIndex()
    {
        ThrowIfDisposed();
        if (!_writable)
        {
            return;
        }

        _map.ThrowIfFileTruncated("Flush");
        if (!_dirty)
        {
            // Nothing was added, removed or moved since the last flush, so the header stands; but
            // values may have been written in place, through views or a pin, which tell the index
            // nothing: their pages are the slots', and a flush promises them on the disk. (The
            // region from its start, as below: a flush's offset must be a whole page.)
            _map.Flush(_base, RegionLength);
            return;
        }

        if (_removed.Count > 0)
        {
            // Compaction moves entries, under a pin's lookups: refused before anything is written.
            ThrowIfPinned();
            Compact();
        }

        _map.Flush(_base, RegionLength);
        WriteHeader(HashIndexHeader.Clean);
        _map.Flush(_base, HashIndexHeader.Size);
        _liveRescueEnd = 0;
        _dirty = false;
        SyncEntry();
    }

    /// <summary>
    /// Flushes a writer (<see cref="Flush"/>), unmaps the file and releases its lock. A second call
    /// does nothing. Views taken from the index throw <see cref="ObjectDisposedException"/> afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">Memory exported from a view's map is still in use, or the index is pinned (<see cref="Pin{TRef, TState, TResult}"/>); the index stays open.</exception>
    /// <exception cref="MapIOException">The flush failed; the index stays open, so the caller may retry.</exception>
    /// <exception cref="FileTruncatedException">Another process truncated the file under the map: nothing is flushed (the header stays dirty), and the index is closed, its lock released, since a retry cannot succeed.</exception>
    /// <remarks>
    /// In a section of a <see cref="Formats.MappedContainer"/>, disposing does not commit the
    /// container (as the container's own <c>Dispose</c> does not): it flushes the index's slots and
    /// header and folds its count into the section entry, so that the container's next
    /// <see cref="Formats.MappedContainer.Commit"/> makes it durable; the container stays open.
    /// </remarks>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // As a map refuses to close while pinned: the pin's callback still reads the slots.
        ThrowIfPinned();
        if (_host is not null)
        {
            try
            {
                if (!_host.IsClosed)
                {
                    FlushIndex();
                }
            }
            finally
            {
                _host.ReleaseIndex(_entry!);
                Detach();
            }

            return;
        }

        try
        {
            FlushIndex();
        }
        catch (FileTruncatedException)
        {
            Release();
            throw;
        }

        Release();
    }

    /// <summary>Unmaps the file and releases its lock: the end of <see cref="Dispose"/>.</summary>
    private void Release()
    {
        _map.CloseAsOwner();
        _disposed = true;
        _slots = null;
        _mapRoot.Free();
        GC.SuppressFinalize(this);
        _lock?.Dispose();
    }

    /// <summary>
    /// Ends the hold on the map of an index that was never disposed, so the map can unmap once no
    /// view references it (as <c>RecordFile</c>'s finalizer). Nothing is flushed: the header stays
    /// dirty if it was, and the next <c>Open</c> says so.
    /// </summary>
    ~MappedHashIndex()
    {
        if (_mapRoot.IsAllocated)
        {
            _map.ReleaseOwnership();
            _mapRoot.Free();
        }
    }

    /// <summary>Marks the header dirty on disk before the first change since the last flush.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkDirty()
    {
        if (!_dirty)
        {
            MarkDirtySlow();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MarkDirtySlow()
    {
        if (_prefaultTo > _prefaultFrom)
        {
            // A new section's table (MappedHashIndex.Section.cs): faulted in before the first insert.
            _map.TryPrefaultForWrite(_base + _prefaultFrom, _prefaultTo - _prefaultFrom);
            _prefaultTo = 0;
        }

        WriteHeader(HashIndexHeader.Dirty);
        _map.Flush(_base, HashIndexHeader.Size);
        _dirty = true;
    }

    private void WriteHeader(uint state, long rescueOffset = 0, long rescueCount = 0)
    {
        HashIndexHeader header = MakeHeader(_keys, _keySize, _valueSize, _stride, _tail, _maxLoadPercent, _hashFunction, _seed, _tag, _capacity, _count, state) with
        {
            RescueOffset = (ulong)rescueOffset,
            RescueCount = (ulong)rescueCount,
        };
        // Made whole on the stack, then copied in one go: writing the fields into the map one by one
        // (after clearing it, with the checksum last) left a header a SIGKILL could cut in the
        // middle, which no recovery can read.
        Span<byte> bytes = stackalloc byte[HashIndexHeader.Size];
        header.Write(bytes);
        bytes.CopyTo(new Span<byte>(_map.OwnerPointer(_base, HashIndexHeader.Size), HashIndexHeader.Size));
    }

    internal static HashIndexHeader MakeHeader(IndexKeyFormat<TKey> keys, int keySize, int valueSize, int stride, int tail, int load, uint hashFunction, ulong seed, ulong tag, long capacity, long count, uint state) => new(
        HashIndexHeader.ExpectedMagic,
        HashIndexHeader.Version,
        HashIndexHeader.Size,
        (uint)keySize,
        (uint)valueSize,
        keys.Fingerprint,
        TValue.LayoutFingerprint,
        hashFunction,
        (uint)load,
        seed,
        (uint)stride,
        (uint)tail,
        (ulong)capacity,
        (ulong)count,
        state,
        0,
        tag,
        0,
        0,
        true,
        0);
}
