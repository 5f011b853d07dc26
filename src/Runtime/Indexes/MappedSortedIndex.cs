using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Overlay.Layouts;
using Overlay.Layouts.Support;

namespace Overlay.Indexes;

/// <summary>
/// A sorted, immutable set of keys with their values in a mapped file, built in bulk by
/// <see cref="SortedIndexBuilder{TKey, TValue}"/>: point lookups, <see cref="Range"/> scans in key
/// order, <see cref="First"/> and <see cref="Last"/>. Values are views into the file; opened with
/// <see cref="MapAccess.Write"/>, they are writable in place (the keys never change: rebuild to add
/// or remove keys).
/// </summary>
/// <typeparam name="TKey">The key type: integer primitives (numeric order), <see cref="Guid"/> or a layout (byte order of the stored format).</typeparam>
/// <typeparam name="TValue">The value layout's <c>View</c> or <c>ReadOnlyView</c>, or <see cref="NoValue"/>.</typeparam>
/// <remarks>
/// <para>
/// Layout (docs/indexes.md): the sorted keys, densely (so a scan reads keys sequentially and a
/// block of 16 eight-byte keys is two cache lines), then the values in the same order, then a
/// summary: a static B+-tree whose nodes hold 16 keys and have 17 children, computed rather than
/// stored, whose leaves are the key array's blocks of 16 (format version 2); a lookup counts the
/// node's keys not greater than its key to pick the child, level by level, then counts the
/// block's keys less than it. Files of version 1 (the blocks' first keys in Eytzinger order)
/// are still read.
/// </para>
/// <para>
/// Every offset and count in the header is checked against the file when it opens; the summary's
/// block numbers are checked when a lookup uses them, so a damaged file makes lookups miss or
/// answer wrongly, never read outside the map or loop. The file is replaced whole (a builder writes a new
/// file and renames it over the old one): readers that have it open keep reading the old one.
/// </para>
/// <para>
/// Concurrency: any number of readers and one writer (in-place value writes only), as record
/// files; lookups may run on several threads at once.
/// </para>
/// </remarks>
[SkipLocalsInit]
public sealed unsafe partial class MappedSortedIndex<TKey, TValue> : IDisposable
    where TKey : struct
    where TValue : struct, IMappedView<TValue>
{
    private readonly IndexKeyFormat<TKey> _keys;
    private readonly MemoryMap _map;
    private readonly RecordFileLock? _lock;
    private readonly string _path;
    private readonly int _keySize;
    private readonly int _valueSize;
    private readonly long _count;
    private readonly long _blockSize;
    private readonly long _blocks;

    // Versions 2 and 3 (the builder's): the summary is a static B+-tree (MappedSortedIndex.Tree.cs),
    // version 3 with a radix table after it (MappedSortedIndex.Radix.cs); version 1: the blocks'
    // first keys in Eytzinger order (MappedSortedIndex.Eytzinger.cs).
    private readonly bool _tree;
    private readonly long[] _levels;
    private readonly long _summaryBytes;

    // Where the index's region starts in the map (0 for a file of its own, the section's offset in
    // a container) and the header's offsets, which are relative to it.
    private readonly long _base;
    private readonly long _keysOffset;
    private readonly long _valuesOffset;
    private readonly long _summaryOffset;
    private readonly ulong _tag;
    private readonly long _regionLength;
    private byte* _keyBase;
    private byte* _valueBase;
    private byte* _summary;
    private bool _disposed;

    private MappedSortedIndex(IndexKeyFormat<TKey> keys, MemoryMap map, RecordFileLock? fileLock, string path, long regionBase, in SortedIndexHeader header)
    {
        _keys = keys;
        _map = map;
        _lock = fileLock;
        _path = path;
        _keySize = keys.Size;
        _valueSize = TValue.SizeInBytes;
        _count = (long)header.Count;
        _blockSize = header.BlockSize;
        _blocks = (_count + _blockSize - 1) / _blockSize;
        _tree = header.FormatVersion is SortedIndexHeader.Version or SortedIndexHeader.Version2;
        _levels = _tree ? TreeLevels(_blocks) : [];
        _summaryBytes = (long)header.SummaryCount * (_tree ? SortedIndexHeader.NodeKeys : 1) * _keySize;
        _base = regionBase;
        _keysOffset = (long)header.KeysOffset;
        _valuesOffset = (long)header.ValuesOffset;
        _summaryOffset = (long)header.SummaryOffset;
        _tag = header.Tag;
        _radixMin = header.RadixMin;
        _radixShift = (int)header.RadixShift;
        _radixBuckets = header.RadixBuckets;
        var regions = Regions(_count, _keySize, _valueSize, _blockSize, header.FormatVersion, header.RadixBuckets)!.Value;
        _radixOffset = regions.Radix;
        _regionLength = regions.End;
        if (fileLock is not null)
        {
            // A file of its own owns its map; a section's map is the container's (MappedSortedIndex.Section.cs).
            map.TakeOwnership();
        }

        TakePointers();
    }

    /// <summary>The file's path; for a container's section, the container's path and the section's name.</summary>
    public string Path => _path;

    /// <summary>The number of keys.</summary>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public long Count
    {
        get
        {
            ThrowIfDisposed();
            return _count;
        }
    }

    /// <summary>The application tag recorded in the file.</summary>
    public ulong Tag => _tag;

    /// <summary>
    /// Opens and validates a sorted index file: magic, version, header size, checksum, the key's and
    /// value's sizes and fingerprints, key order, block size, and that every region the header
    /// describes lies inside the file where the count puts it; each failure an <see cref="InvalidDataException"/> naming it.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="access"><see cref="MapAccess.Read"/> (the default) or <see cref="MapAccess.Write"/> for writable value views (one writer at a time: a second gets <see cref="IOException"/>).</param>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys.</param>
    /// <param name="tag">The application tag the file must carry.</param>
    /// <returns>The open index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="access"/> is not Read, Write or Default.</exception>
    /// <exception cref="NotSupportedException"><see cref="MapAccess.Read"/> with a writable view type.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid sorted index of these types and tag.</exception>
    /// <exception cref="IOException">For writing: another writer has it open; or the file cannot be opened.</exception>
    public static MappedSortedIndex<TKey, TValue> Open(string path, MapAccess access = MapAccess.Read, IndexKeyFormat<TKey>? keyFormat = null, ulong tag = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (access is not (MapAccess.Default or MapAccess.Write or MapAccess.Read))
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "A sorted index is opened with MapAccess.Read or MapAccess.Write.");
        }

        keyFormat ??= IndexKeyFormat<TKey>.Default;
        bool writer = access != MapAccess.Read;
        if (!writer && !TValue.IsReadOnly)
        {
            throw new NotSupportedException($"A sorted index opened with MapAccess.Read hands out read-only views only, but {typeof(TValue).FullName} is writable: use the layout's ReadOnlyView.");
        }

        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, writer ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        RecordFileLock? fileLock = null;
        MemoryMap? map = null;
        try
        {
            fileLock = writer ? RecordFileLock.ForWriter(file, path, "MappedSortedIndex") : RecordFileLock.ForReader(file);
            long length = RandomAccess.GetLength(file);
            if (length < SortedIndexHeader.Size)
            {
                throw Invalid(path, keyFormat, $"it is {length} bytes long, shorter than the {SortedIndexHeader.Size}-byte header");
            }

            map = new MemoryMap(file, 0, access: writer ? MapAccess.Write : MapAccess.Read);
            Span<byte> bytes = stackalloc byte[SortedIndexHeader.Size];
            map.ReadAt(0, bytes);
            SortedIndexHeader header = SortedIndexHeader.Read(bytes);
            Validate(header, bytes, map.Length, path, keyFormat, tag);
            if (!writer)
            {
                ReaderFolioAdvice.Apply(map);
            }

            return new MappedSortedIndex<TKey, TValue>(keyFormat, map, fileLock, path, 0, header);
        }
        catch
        {
            map?.Dispose();
            if (fileLock is null)
            {
                file.Dispose();
            }
            else
            {
                fileLock.Dispose();
            }

            throw;
        }
    }

    /// <summary>Looks <paramref name="key"/> up and hands out a view of its value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The view; <c>default</c> if absent.</param>
    /// <returns>True if the key is present.</returns>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <remarks>
    /// For integer keys the whole lookup is small enough to inline into the caller's loop, which
    /// lets the processor run several independent lookups' cache misses at once (issue 10); keys
    /// that need a stack buffer (<see cref="Guid"/>, layouts) take a separate method, since a
    /// method with <c>stackalloc</c> is never inlined.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(in TKey key, out TValue value)
    {
        if (!IsNumeric)
        {
            return TryGetValueBytes(in key, out value);
        }

        long at = FindNumeric(key, prefetchValue: true);
        if (at >= 0)
        {
            value = ValueAt(at);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True if it is.</returns>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContainsKey(in TKey key) => IsNumeric ? FindNumeric(key, prefetchValue: false) >= 0 : TryGetValueBytes(in key, out _);

    /// <summary>The smallest key and its value.</summary>
    /// <returns>The entry.</returns>
    /// <exception cref="InvalidOperationException">The index is empty.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public KeyValuePair<TKey, TValue> First() => EntryAt(0);

    /// <summary>The largest key and its value.</summary>
    /// <returns>The entry.</returns>
    /// <exception cref="InvalidOperationException">The index is empty.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public KeyValuePair<TKey, TValue> Last() => EntryAt(_count - 1);

    /// <summary>The entries with keys from <paramref name="from"/> to <paramref name="to"/>, both included, in key order.</summary>
    /// <param name="from">The smallest key wanted.</param>
    /// <param name="to">The largest key wanted.</param>
    /// <returns>An enumerable of the entries (empty if <paramref name="from"/> is after <paramref name="to"/>).</returns>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public RangeEnumerable Range(in TKey from, in TKey to)
    {
        ThrowIfDisposed();
        byte[] toBytes = new byte[_keySize];
        _keys.Write(in to, toBytes);
        Span<byte> scratch = IndexKeyFormat<TKey>.IsPrimitive ? default : stackalloc byte[_keySize];
        long start = LowerBound(KeyBytes(in from, scratch));
        return new RangeEnumerable(this, start, toBytes);
    }

    /// <summary>All entries in key order.</summary>
    /// <returns>The enumerator.</returns>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public RangeEnumerable.Enumerator GetEnumerator()
    {
        ThrowIfDisposed();
        return new RangeEnumerable(this, 0, null).GetEnumerator();
    }

    /// <summary>Writes value changes made through views back to the file and waits for the disk. Does nothing for a read-only index.</summary>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        if (_host is not null)
        {
            // A section's durable point is its container's commit.
            if (_host.CanWrite)
            {
                _host.Commit();
            }
        }
        else if (_map.CanWrite)
        {
            _map.Flush();
        }
    }

    /// <summary>
    /// Unmaps the file and releases its lock (without flushing); a section's index lets its
    /// container forget it (the container keeps its map). A second call does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Memory exported from a view's map is still in use, or the index is pinned (<see cref="PinReadOnly{TRef, TState, TResult}"/>); it stays open.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // As a map refuses to close while pinned: the pin's callback still reads the regions.
        ThrowIfPinned();

        if (_host is not null)
        {
            _host.ReleaseIndex(_entry!);
            Detach();
            return;
        }

        _map.CloseAsOwner();
        Detach();
        _lock!.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"MappedSortedIndex(path={_path}, count={_count}, key={_keys.Name}, value={typeof(TValue).Name})";

    /// <summary>
    /// The position of the first key not less than <paramref name="key"/> (<see cref="Count"/> if
    /// none): integer keys compared as numbers, the others as bytes.
    /// </summary>
    private long LowerBound(ReadOnlySpan<byte> key) =>
        IsNumeric
            ? (_tree ? TreeLowerBoundNumeric(MemoryMarshal.Read<TKey>(key), false) : EytzingerLowerBoundNumeric(MemoryMarshal.Read<TKey>(key)))
            : (_tree ? TreeLowerBoundBytes(key) : EytzingerLowerBoundBytes(key));

    /// <summary>
    /// Integer keys, compared as numbers (the primitives but <see cref="Guid"/>); spelled out
    /// rather than asked of <see cref="IndexKeyFormat{TKey}"/> so that the JIT folds it to a
    /// constant inside an inlined <see cref="TryGetValue"/> (it did not inline the longer test).
    /// </summary>
    private static bool IsNumeric
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsVectorKey || typeof(TKey) == typeof(char) || typeof(TKey) == typeof(Int128) || typeof(TKey) == typeof(UInt128);
    }

    /// <summary>The position of integer key <paramref name="key"/>, or -1 if it is absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long FindNumeric(TKey key, bool prefetchValue)
    {
        ThrowIfDisposed();
        return FindNumericUnchecked(key, prefetchValue);
    }

    /// <summary><see cref="FindNumeric"/> without the check that the index is open (a pin made it once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long FindNumericUnchecked(TKey key, bool prefetchValue)
    {
        if (!RadixLowerBound(key, prefetchValue, out long at))
        {
            at = _tree ? TreeLowerBoundNumeric(key, prefetchValue) : EytzingerLowerBoundNumeric(key);
        }

        return at < _count && EqualityComparer<TKey>.Default.Equals(Unsafe.ReadUnaligned<TKey>(_keyBase + (at * Unsafe.SizeOf<TKey>())), key) ? at : -1;
    }

    /// <summary><see cref="TryGetValue"/> for keys compared as bytes, whose stored form needs a stack buffer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetValueBytes(in TKey key, out TValue value)
    {
        ThrowIfDisposed();
        Span<byte> scratch = stackalloc byte[_keySize];
        ReadOnlySpan<byte> bytes = KeyBytes(in key, scratch);
        long at = LowerBound(bytes);
        if (at < _count && IndexKeyFormat<TKey>.Compare(KeyAt(at), bytes) == 0)
        {
            value = ValueAt(at);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Whether <paramref name="a"/> ≤ <paramref name="b"/> for the integer key types, as one compare the JIT keeps free of branches (each type test is a constant for a value type).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NotGreater(TKey a, TKey b)
    {
        if (typeof(TKey) == typeof(ulong))
        {
            return (ulong)(object)a <= (ulong)(object)b;
        }

        if (typeof(TKey) == typeof(long))
        {
            return (long)(object)a <= (long)(object)b;
        }

        if (typeof(TKey) == typeof(uint))
        {
            return (uint)(object)a <= (uint)(object)b;
        }

        if (typeof(TKey) == typeof(int))
        {
            return (int)(object)a <= (int)(object)b;
        }

        return Comparer<TKey>.Default.Compare(a, b) <= 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> KeyBytes(in TKey key, Span<byte> scratch)
    {
        if (IndexKeyFormat<TKey>.IsPrimitive)
        {
            return MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key));
        }

        _keys.Write(in key, scratch);
        return scratch;
    }

    private ReadOnlySpan<byte> KeyAt(long position) => new(_keyBase + (position * _keySize), _keySize);

    private ReadOnlySpan<byte> SummaryAt(long position) => new(_summary + (position * _keySize), _keySize);

    private TValue ValueAt(long position) => TValue.Create(new CheckedOffset(_map, _base + _valuesOffset + (position * _valueSize)));

    private KeyValuePair<TKey, TValue> EntryAt(long position)
    {
        ThrowIfDisposed();
        if ((ulong)position >= (ulong)_count)
        {
            throw new InvalidOperationException($"{_path} holds no keys.");
        }

        return new KeyValuePair<TKey, TValue>(_keys.Read(KeyAt(position)), ValueAt(position));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Takes the regions' addresses (again, after a container's map moved).</summary>
    private void TakePointers()
    {
        // An empty index has no regions, and its lookups touch none (the summary descent ends at once).
        if (_count > 0)
        {
            _keyBase = _map.OwnerPointer(_base + _keysOffset, _count * _keySize);
            _valueBase = _valueSize > 0 ? _map.OwnerPointer(_base + _valuesOffset, _count * _valueSize) : null;
            _summary = _summaryBytes > 0 ? _map.OwnerPointer(_base + _summaryOffset, _summaryBytes) : null;
            _radix = _radixBuckets > 0 ? (uint*)_map.OwnerPointer(_base + _radixOffset, RadixBytes((long)_radixBuckets)) : null;
        }
    }

    private void Detach()
    {
        _disposed = true;
        _keyBase = null;
        _valueBase = null;
        _summary = null;
        _radix = null;
    }

    /// <summary>Copies the stored bytes of entry <paramref name="position"/> out, for a rebuild's merge.</summary>
    internal void CopyEntry(long position, Span<byte> key, Span<byte> value)
    {
        ThrowIfDisposed();
        KeyAt(position).CopyTo(key);
        if (_valueSize > 0)
        {
            _map.ReadAt(_base + _valuesOffset + (position * _valueSize), value);
        }
    }

    internal static long RanksOffset(long summaryOffset, long blocks, int keySize) => summaryOffset + Align8(blocks * keySize);

    internal static long Align8(long value) => (value + 7) & ~7L;

    internal static long Align64(long value) => (value + 63) & ~63L;

    internal static uint KeyOrder => IndexKeyFormat<TKey>.IsPrimitive && typeof(TKey) != typeof(Guid) ? 1u : 2u;

    /// <summary>
    /// Where each region of a file of <paramref name="count"/> keys lies, its length, and the
    /// summary's count (version 1: blocks; versions 2 and 3: tree nodes). Versions 2 and 3 start the values and
    /// the tree on 64-byte boundaries, so that a node of eight-byte keys is two whole cache lines
    /// and a block's values are whole lines; version 2 puts the values before the tree, version 3
    /// the tree, then the radix table of <paramref name="radixBuckets"/> buckets, then the values,
    /// each on a 64-byte boundary. Null when the numbers overflow.
    /// </summary>
    internal static (long Keys, long Values, long Summary, long Radix, long End, long SummaryCount)? Regions(long count, int keySize, int valueSize, long blockSize, uint version = SortedIndexHeader.Version, long radixBuckets = 0)
    {
        try
        {
            checked
            {
                long keys = SortedIndexHeader.Size;
                long blocks = (count + blockSize - 1) / blockSize;
                if (version == SortedIndexHeader.Version1)
                {
                    long values1 = keys + Align8(count * keySize);
                    long summary1 = values1 + Align8(count * valueSize);
                    long end1 = RanksOffset(summary1, blocks, keySize) + (blocks * sizeof(ulong));
                    return (keys, values1, summary1, end1, end1, blocks);
                }

                long nodes = TreeNodes(blocks);
                long treeBytes = nodes * SortedIndexHeader.NodeKeys * keySize;
                if (version == SortedIndexHeader.Version2)
                {
                    long values2 = Align64(keys + (count * keySize));
                    long summary2 = Align64(values2 + (count * valueSize));
                    return (keys, values2, summary2, summary2 + treeBytes, summary2 + treeBytes, nodes);
                }

                // Version 3: what a lookup reads first (tree, table) next to the keys, away from
                // the file's last partial 2 MiB, which the kernel can only map in 4 KiB pages; the
                // values last (docs/indexes.md: its measured effect is not yet clear).
                long summary = Align64(keys + (count * keySize));
                long radix = Align64(summary + treeBytes);
                long values = Align64(radix + RadixBytes(radixBuckets));
                return (keys, values, summary, radix, values + (count * valueSize), nodes);
            }
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static void Validate(in SortedIndexHeader found, ReadOnlySpan<byte> bytes, long length, string path, IndexKeyFormat<TKey> keys, ulong tag)
    {
        if (found.Magic != SortedIndexHeader.ExpectedMagic)
        {
            throw Invalid(path, keys, $"its magic number is 0x{found.Magic:X16}, expected 0x{SortedIndexHeader.ExpectedMagic:X16} (\"OVLSORT1\")");
        }

        if (found.FormatVersion is not (SortedIndexHeader.Version or SortedIndexHeader.Version2 or SortedIndexHeader.Version1) || found.HeaderSize != SortedIndexHeader.Size)
        {
            throw Invalid(path, keys, $"its format version is {found.FormatVersion} and header size {found.HeaderSize}, expected {SortedIndexHeader.Version1} to {SortedIndexHeader.Version} and {SortedIndexHeader.Size}");
        }

        uint computed = SortedIndexHeader.ComputeChecksum(bytes);
        // Before version 3 the radix fields were reserved bytes.
        bool reservedIsZero = found.ReservedIsZero && (found.FormatVersion == SortedIndexHeader.Version || (found.RadixMin == 0 && found.RadixShift == 0 && found.RadixBuckets == 0));
        if (found.Checksum != computed || !reservedIsZero)
        {
            throw Invalid(path, keys, reservedIsZero ? $"its header checksum is 0x{found.Checksum:X8} but its bytes give 0x{computed:X8}: the header is damaged" : "its reserved header bytes are not zero");
        }

        if (found.KeySize != keys.Size || found.KeyFingerprint != keys.Fingerprint || found.KeyOrder != KeyOrder)
        {
            throw Invalid(path, keys, $"its keys are {found.KeySize} bytes with fingerprint 0x{found.KeyFingerprint:X16} and order {found.KeyOrder}, expected {keys.Size} bytes with 0x{keys.Fingerprint:X16} and order {KeyOrder} ({keys.Name}): it was made for another key type");
        }

        if (found.ValueSize != (uint)TValue.SizeInBytes || found.ValueFingerprint != TValue.LayoutFingerprint)
        {
            throw Invalid(path, keys, $"its values are {found.ValueSize} bytes with fingerprint 0x{found.ValueFingerprint:X16}, expected {TValue.SizeInBytes} bytes with 0x{TValue.LayoutFingerprint:X16} ({typeof(TValue).FullName}): it was made for another value layout");
        }

        if (found.Tag != tag)
        {
            throw Invalid(path, keys, $"its tag is 0x{found.Tag:X16}, expected 0x{tag:X16}");
        }

        if (found.BlockSize is < 1 or > 4096)
        {
            throw Invalid(path, keys, $"its block size is {found.BlockSize}, outside 1 to 4096");
        }

        if (found.FormatVersion != SortedIndexHeader.Version1 && found.BlockSize != SortedIndexHeader.NodeKeys)
        {
            throw Invalid(path, keys, $"its block size is {found.BlockSize}, but a version {found.FormatVersion} summary tree needs {SortedIndexHeader.NodeKeys}");
        }

        if (found.Count > (ulong)length)
        {
            throw Invalid(path, keys, $"it claims {found.Count} keys in {length} bytes");
        }

        // The radix table's bucket count bounds every bucket a lookup reads, and its shift a shift of a u64.
        if (found.RadixBuckets > (ulong)RadixLimit((long)found.Count) || found.RadixShift > 63)
        {
            throw Invalid(path, keys, $"its radix table has {found.RadixBuckets} buckets of shift {found.RadixShift}, but {found.Count} keys of {keys.Name} allow at most {RadixLimit((long)found.Count)} and shifts up to 63");
        }

        var regions = Regions((long)found.Count, keys.Size, TValue.SizeInBytes, found.BlockSize, found.FormatVersion, found.RadixBuckets);
        if (regions is not { } r || found.SummaryCount != (ulong)r.SummaryCount || found.KeysOffset != (ulong)r.Keys || found.ValuesOffset != (ulong)r.Values || found.SummaryOffset != (ulong)r.Summary)
        {
            throw Invalid(path, keys, $"its regions (keys at {found.KeysOffset}, values at {found.ValuesOffset}, summary of {found.SummaryCount} at {found.SummaryOffset}) are not where {found.Count} keys put them");
        }

        if (r.End > length)
        {
            throw Invalid(path, keys, $"it needs {r.End} bytes for {found.Count} keys but is {length} bytes long");
        }
    }

    private static InvalidDataException Invalid(string path, IndexKeyFormat<TKey> keys, string difference) =>
        new($"{path} is not a valid sorted index of {keys.Name} to {typeof(TValue).FullName}: {difference}.");

    /// <summary>The entries from a start position up to a last key, in key order.</summary>
    public readonly struct RangeEnumerable
    {
        private readonly MappedSortedIndex<TKey, TValue> _index;
        private readonly long _start;
        private readonly byte[]? _to;

        internal RangeEnumerable(MappedSortedIndex<TKey, TValue> index, long start, byte[]? to)
        {
            _index = index;
            _start = start;
            _to = to;
        }

        /// <summary>Enumerates the range.</summary>
        /// <returns>The enumerator.</returns>
        public Enumerator GetEnumerator() => new(_index, _start, _to);

        /// <summary>Enumerates a range of a <see cref="MappedSortedIndex{TKey, TValue}"/>.</summary>
        public struct Enumerator
        {
            private readonly MappedSortedIndex<TKey, TValue> _index;
            private readonly byte[]? _to;
            private long _position;
            private KeyValuePair<TKey, TValue> _current;

            internal Enumerator(MappedSortedIndex<TKey, TValue> index, long start, byte[]? to)
            {
                _index = index;
                _to = to;
                _position = start - 1;
                _current = default;
            }

            /// <summary>The current entry.</summary>
            public readonly KeyValuePair<TKey, TValue> Current => _current;

            /// <summary>Moves to the next entry.</summary>
            /// <returns>False past the range's last key.</returns>
            /// <exception cref="ObjectDisposedException">The index is closed.</exception>
            public bool MoveNext()
            {
                MappedSortedIndex<TKey, TValue> index = _index ?? throw new InvalidOperationException("The enumerator is default.");
                index.ThrowIfDisposed();
                long next = _position + 1;
                if (next >= index._count)
                {
                    _position = index._count;
                    return false;
                }

                ReadOnlySpan<byte> key = index.KeyAt(next);
                if (_to is not null && IndexKeyFormat<TKey>.Compare(key, _to) > 0)
                {
                    _position = index._count;
                    return false;
                }

                _position = next;
                _current = new KeyValuePair<TKey, TValue>(index._keys.Read(key), index.ValueAt(next));
                return true;
            }
        }
    }

    /// <summary>The first position in [<paramref name="lo"/>, <paramref name="hi"/>) whose key is not less than <paramref name="key"/>, by halves (byte-ordered keys; both versions' block search).</summary>
    private long LowerBoundInBlock(long lo, long hi, ReadOnlySpan<byte> key)
    {
        while (lo < hi)
        {
            long mid = (lo + hi) >>> 1;
            if (IndexKeyFormat<TKey>.Compare(KeyAt(mid), key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
