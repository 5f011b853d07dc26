using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Overlay.Layouts;

namespace Overlay.Indexes;

// A reader takes up a writer's flushed state without reopening (docs/indexes.md, "Concurrency").
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>
    /// For a reader: takes up the writer's last flushed state. Re-reads the header (again if the
    /// writer was rewriting it), maps the file afresh if it grew (a growth), and checks everything
    /// <c>Open</c> checks; lookups then use the header's capacity and count. Does nothing for a
    /// writer, whose state is always its own, and for an index in a container section (reopen the
    /// container after its writer's commits). Not to be called while other threads look up.
    /// </summary>
    /// <returns>True if the capacity, the count or the mapping changed.</returns>
    /// <remarks>
    /// After a refresh that remapped, views and enumerators taken before read the old mapping until
    /// it closes (at once, unless memory exported from it is in use), then throw
    /// <see cref="ObjectDisposedException"/>: take them again, as after any change of the table.
    /// A refresh while the writer grows the table (its header says so) keeps the old capacity until
    /// the growth's flush; refresh again later.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="PinReadOnly{TRef, TState, TResult}"/>).</exception>
    /// <exception cref="InvalidDataException">The file no longer holds a valid index of these types (as <c>Open</c> says), was replaced by another index, shrank, or was left dirty by a writer that crashed.</exception>
    public bool Refresh()
    {
        ThrowIfDisposed();
        ThrowIfPinned();
        if (_writable || _lock is null)
        {
            // A section of a container: readers reopen the container after its commits.
            return false;
        }

        SafeFileHandle file = _lock.File;
        HashIndexHeader header = ReadHeader(file, _path, writer: false);
        long length = RandomAccess.GetLength(file);
        if (length < _map.Length)
        {
            throw Invalid(_path, _keys, $"it shrank to {length} bytes under a reader that maps {_map.Length}: an index file never shrinks, so it was replaced or cut");
        }

        MemoryMap? fresh = null;
        try
        {
            MemoryMap map = _map;
            if (length > _map.Length)
            {
                fresh = new MemoryMap(file, 0, access: MapAccess.Read);
                ReaderFolioAdvice.Apply(fresh);
                map = fresh;
            }

            long count = Validate(header, map.Length, _path, _keys, _stride, _tag, recover: false);
            if (header.Seed != _seed || header.TailSlots != (uint)_tail || header.MaxLoadPercent != (uint)_maxLoadPercent || header.HashFunction != _hashFunction)
            {
                throw Invalid(_path, _keys, $"its seed, tail, load factor or hash function (0x{header.Seed:X16}, {header.TailSlots}, {header.MaxLoadPercent}%, {header.HashFunction}) differ from those it was opened with (0x{_seed:X16}, {_tail}, {_maxLoadPercent}%, {_hashFunction}): it was replaced by another index");
            }

            if (header.State != HashIndexHeader.Clean && !RecordFileLock.IsWriterPresent(file))
            {
                throw Invalid(_path, _keys, "it was changed after its last Flush by a writer that did not close it (it crashed or was killed); a writer must open it with recover: true");
            }

            // A relayout's header names the table before it: keep reading that until its flush.
            bool changed = fresh is not null || count != _count || (long)header.Capacity != _capacity;
            if (fresh is not null)
            {
                Swap(fresh);
                fresh = null;
            }

            _count = count;
            SetCapacity((long)header.Capacity);
            _version++;
            return changed;
        }
        finally
        {
            fresh?.Dispose();
        }
    }

    /// <summary>Makes <paramref name="fresh"/> the index's map and lets the old one go (closed now, or when memory exported from it is released).</summary>
    private void Swap(MemoryMap fresh)
    {
        MemoryMap old = _map;
        GCHandle root = GCHandle.Alloc(fresh);
        fresh.TakeOwnership();
        _map = fresh;
        _mapRoot.Free();
        _mapRoot = root;
        try
        {
            old.CloseAsOwner();
        }
        catch (InvalidOperationException)
        {
            // Memory exported from a view is in use: the old map closes when it is released.
            old.ReleaseOwnership();
        }
    }
}
