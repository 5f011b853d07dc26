using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Overlay.Layouts;
using Overlay.Layouts.Support;

namespace Overlay.Indexes;

/// <summary>
/// A persistent hash table in a mapped file: keys of <typeparamref name="TKey"/> (integer
/// primitives, <see cref="Guid"/>, or fixed-size <c>[MappedLayout]</c>s through
/// <see cref="IndexKeyFormat.ForLayout{TLayout}"/>) to values of a <c>[MappedLayout]</c>, returned
/// as views into the file, so an update is a write in place. <see cref="NoValue"/> makes it a set.
/// The format is in docs/indexes.md.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value layout's <c>View</c> (or <c>ReadOnlyView</c>, required for a read-only index), or <see cref="NoValue"/>.</typeparam>
/// <remarks>
/// <para>
/// Open addressing with linear probing that never wraps: a key's home slot is its hash modulo the
/// power-of-two capacity, and a run may spill into a fixed tail of slots after the last. Each slot
/// holds the key's 64-bit hash (0 = empty), the key and the value. Lookups read the mapping
/// through a raw pointer bounded by the slot count, which was checked against the mapping when the
/// file was opened or grown; a probe ends at an empty slot or at the end of the table, so a
/// hostile file can make a lookup miss, never loop or read outside the map. Removal leaves a
/// tombstone that the next <see cref="Flush"/> compacts. Growth doubles the table in place, in the
/// same file (docs/indexes.md says why no second file).
/// </para>
/// <para>
/// Views: a view holds the map and an offset, and every access is checked against the live
/// mapping, so no view ever reads outside the map. A view names a slot, not a key: after an
/// insertion of a new key (which may grow the table), a <see cref="Remove"/> or a <see cref="Clear"/>,
/// a view taken before may show another entry's value. Take views again after such changes, as
/// with <c>CollectionsMarshal.GetValueRefOrAddDefault</c>.
/// </para>
/// <para>
/// Durability: changes are stores into the shared mapping. The first change after an open or a
/// <see cref="Flush"/> marks the header dirty and waits for that mark to reach the disk; <see cref="Flush"/>
/// writes the slots, then the header (count, capacity, state clean, checksum), each waited for, in
/// that order; <see cref="Dispose"/> flushes. Nothing moves an entry between flushes; growth and
/// the compaction of removals move entries only after copying them to a rescue area in the file
/// and syncing it. So after a crash (process or power), <c>Open</c> with <c>recover: true</c>
/// finds every entry present at the last completed flush and not changed since, with its value; a
/// plain <c>Open</c> refuses the file with <see cref="System.IO.InvalidDataException"/>.
/// </para>
/// <para>
/// Concurrency: one writer per file, any number of readers, in any processes (the record file's
/// lock protocol). A reader sees the table as its header was when it opened: the writer's later
/// in-place changes show through the shared pages without ordering (a value being written may be
/// seen torn; an entry being moved may be missed), and after the writer grows the table the reader
/// misses keys until it reopens. Lookups never fault and always end. Reopen after the writer's
/// <see cref="Flush"/> to see exactly what it flushed. An instance is not thread-safe; lookups (not
/// changes) may run on several threads at once.
/// </para>
/// <para>
/// In a container: <see cref="Formats.MappedContainer.AddHashIndex{TKey, TValue}"/> and
/// <see cref="Formats.MappedContainer.HashIndex{TKey, TValue}"/> host the same index in a section
/// (kind 4) of a container file, beside records and heaps; its durable point is then the
/// container's <see cref="Formats.MappedContainer.Commit"/> (docs/indexes.md, "As a container section").
/// </para>
/// </remarks>
[SkipLocalsInit]
public sealed unsafe partial class MappedHashIndex<TKey, TValue> : IDisposable
    where TKey : struct
    where TValue : struct, IMappedView<TValue>
{
    /// <summary>The smallest capacity, in slots (not counting the tail).</summary>
    internal const long MinimumCapacity = 16;

    /// <summary>The largest capacity, in slots: 2^40.</summary>
    internal const long MaximumCapacity = 1L << 40;

    /// <summary>The stored hash of a removed entry's slot until a flush compacts it (0 is an empty slot; no key hashes to either).</summary>
    internal const ulong Removed = HashProbe.Removed;

    private readonly IndexKeyFormat<TKey> _keys;
    private MemoryMap _map;

    // The file's lock; null in a container section, whose container keeps writers apart.
    private readonly RecordFileLock? _lock;

    // The container and table entry of a section-hosted index (MappedHashIndex.Section.cs); null for a file of its own.
    private readonly Formats.MappedContainer? _host;
    private readonly Formats.SectionEntry? _entry;

    // Roots the map while the index is alive, so that if the index is never disposed its
    // finalizer runs before the map's can (as RecordFile's does).
    private GCHandle _mapRoot;
    private readonly string _path;

    // Where the index's region starts in the map: 0 for a file of its own; its section's offset
    // in a container, which changes when the section relocates to grow (docs/indexes.md).
    private long _base;
    private readonly bool _writable;
    private readonly int _keySize;
    private readonly int _valueSize;
    private readonly int _stride;
    private readonly int _tail;
    private readonly int _maxLoadPercent;
    private readonly ulong _seed;
    private readonly ulong _preparedSeed;
    private readonly ulong _tag;

    // The file's hash function (StableHash.Function1 or Function2); for 8-byte keys they differ,
    // and the lookup reads this flag once: a branch that always goes the same way for a file.
    private readonly uint _hashFunction;
    private readonly bool _foldEightByteKeys;

    // The slots' address, valid while the owner's hold keeps the pages in place: re-read after
    // every resize, null after Dispose.
    private byte* _slots;
    private long _capacity;
    private ulong _mask;
    private long _slotCount;
    private long _maxCount;
    private long _count;

    // Slots removed since the last flush: tombstones (hash Removed) that the flush compacts.
    private readonly System.Collections.Generic.List<long> _removed = [];

    // Where the rescue area the header names ends (0: it names none): a new rescue goes after it,
    // else right after the table, so the file does not grow with every compaction.
    private long _liveRescueEnd;
    private bool _dirty;
    private bool _disposed;
    private int _version;

    private MappedHashIndex(IndexKeyFormat<TKey> keys, MemoryMap map, RecordFileLock fileLock, string path, in HashIndexHeader header, long count)
        : this(keys, map, path, header, count, 0, map.Access is MapAccess.Write)
    {
        _lock = fileLock;

        // Last: nothing after it may throw, or the caller could no longer close the map it made.
        map.TakeOwnership();
        _mapRoot = GCHandle.Alloc(map);
        SetCapacity((long)header.Capacity);
    }

    // A section of a container: the container owns the map (no hold is taken, so that it can grow
    // other sections) and tells the index when the map moved (MapMoved) or closed (Detach).
    private MappedHashIndex(IndexKeyFormat<TKey> keys, Formats.MappedContainer host, Formats.SectionEntry entry, in HashIndexHeader header, long count)
        : this(keys, host.LiveMap, $"{host.Path} (section '{entry.Name}')", header, count, entry.Offset, host.CanWrite)
    {
        _host = host;
        _entry = entry;
        SetCapacity((long)header.Capacity);
    }

    private MappedHashIndex(IndexKeyFormat<TKey> keys, MemoryMap map, string path, in HashIndexHeader header, long count, long regionBase, bool writable)
    {
        _keys = keys;
        _map = map;
        _path = path;
        _base = regionBase;
        _writable = writable;
        _keySize = (int)header.KeySize;
        _valueSize = (int)header.ValueSize;
        _stride = (int)header.SlotStride;
        _tail = (int)header.TailSlots;
        _maxLoadPercent = (int)header.MaxLoadPercent;
        _seed = header.Seed;
        _preparedSeed = StableHash.PrepareSeed(header.Seed);
        _tag = header.Tag;
        _hashFunction = header.HashFunction;
        _foldEightByteKeys = header.HashFunction == StableHash.Function2;
        _count = count;
    }

    /// <summary>The file's path; for a section of a container, the container's path and the section's name.</summary>
    public string Path => _path;

    /// <summary>The number of entries.</summary>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public long Count
    {
        get
        {
            ThrowIfDisposed();
            return _count;
        }
    }

    /// <summary>The number of home slots (a power of two); the table doubles when <see cref="Count"/> would pass the load factor's share of it.</summary>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public long Capacity
    {
        get
        {
            ThrowIfDisposed();
            return _capacity;
        }
    }

    /// <summary>True when the index was opened read-only: every change throws <see cref="NotSupportedException"/>.</summary>
    public bool IsReadOnly => !_writable;

    /// <summary>The hash seed recorded in the file.</summary>
    public ulong Seed => _seed;

    /// <summary>The application tag recorded in the file.</summary>
    public ulong Tag => _tag;

    /// <summary>The load factor, in percent, past which the table doubles.</summary>
    public int MaxLoadPercent => _maxLoadPercent;

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed
            ? $"MappedHashIndex(closed, path={_path})"
            : $"MappedHashIndex(path={_path}, count={_count}, capacity={_capacity}, key={_keys.Name}, value={typeof(TValue).Name}, access={(_writable ? "write" : "read")})";

    private long SlotsOffset => _base + HashIndexHeader.Size;

    private long RegionLength => HashIndexHeader.Size + (_slotCount * _stride);

    private void SetCapacity(long capacity)
    {
        _capacity = capacity;
        _mask = (ulong)capacity - 1;
        _slotCount = capacity + _tail;
        _maxCount = capacity * _maxLoadPercent / 100;
        _slots = _map.OwnerPointer(SlotsOffset, _slotCount * _stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* Slot(long index) => _slots + (index * _stride);

    private TValue ValueAt(long slot) =>
        TValue.Create(new CheckedOffset(_map, SlotsOffset + (slot * _stride) + sizeof(ulong) + _keySize));

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowDisposed();
        }
    }

    [DoesNotReturn]
    private void ThrowDisposed() => throw new ObjectDisposedException(ToString());

    private void ThrowIfNotWritable()
    {
        // One compare more, for the pins: their count is not 0 only while a pin's callback runs,
        // and no change may touch the table under its lookups.
        if (_disposed || !_writable || Volatile.Read(ref _pins) != 0)
        {
            ThrowNotWritable();
        }
    }

    [DoesNotReturn]
    private void ThrowNotWritable()
    {
        ThrowIfDisposed();
        if (_writable)
        {
            ThrowPinned();
        }

        throw new NotSupportedException($"{_path} was opened read-only: open it with MapAccess.Write to change it.");
    }
}
