using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Overlay;

/// <summary>
/// A mapped file of one header and a growable array of records, both <c>[MappedLayout]</c>
/// layouts: a fixed prefix (<see cref="RecordFileFormat"/>), the header, then <see cref="Count"/>
/// records. Views read and write the mapped bytes directly.
/// </summary>
/// <typeparam name="THeaderView">The header layout's <c>View</c> or <c>ReadOnlyView</c>.</typeparam>
/// <typeparam name="TRecordView">The record layout's <c>View</c> or <c>ReadOnlyView</c>.</typeparam>
/// <remarks>
/// <para>
/// <see cref="Open"/> checks the magic number, the format version, the sizes and both layout
/// fingerprints, and that the file holds every record its count claims; any mismatch is an
/// <see cref="InvalidDataException"/> that says what differs. Every access through a view is
/// checked against the live mapping, so no file, however damaged, makes a view read or write
/// outside it. (As with any memory map, another process truncating the file while it is mapped
/// makes the kernel raise SIGBUS; lock the file if that can happen.)
/// </para>
/// <para>
/// <see cref="Append()"/> grows the file in large chunks through <see cref="MemoryMap.Resize"/> and
/// never flushes: durability is <see cref="Flush"/>'s job. Views stay valid across growth, as
/// they hold the map and an offset, not an address. <see cref="Dispose"/> trims a writable file to
/// exactly its prefix, header, padding and <see cref="Count"/> records, so no slack reaches the
/// disk; it does not flush either (the pages reach the file through the page cache; call
/// <see cref="Flush"/> first to survive a power loss).
/// </para>
/// <para>Not thread-safe: one writer, and no readers while it appends.</para>
/// </remarks>
public sealed class RecordFile<THeaderView, TRecordView> : IDisposable
    where THeaderView : struct, IMappedView<THeaderView>
    where TRecordView : struct, IMappedView<TRecordView>
{
    /// <summary>The default of <see cref="MinimumGrowthBytes"/>: 64 MiB.</summary>
    public const long DefaultMinimumGrowthBytes = 64L << 20;

    /// <summary>The largest step by which <see cref="Append()"/> grows the file: 1 GiB.</summary>
    public const long MaximumGrowthBytes = 1L << 30;

    private readonly MemoryMap _map;
    private readonly string _path;
    private readonly long _recordsOffset;
    private readonly bool _appendable;
    private long _count;
    private long _capacity;

    // Records at index >= _zeroFrom are known to hold zeros (the file grew there through
    // ftruncate); below it, slack left by a crashed writer may hold anything, so Append clears it.
    private long _zeroFrom;
    private long _minimumGrowthBytes = DefaultMinimumGrowthBytes;
    private bool _disposed;

    /// <param name="map">The map over the whole file.</param>
    /// <param name="path">The file's path.</param>
    /// <param name="count">The records in use.</param>
    /// <param name="created">True for a file just created (every record slot holds zeros); false
    /// for an opened one, whose slack up to its capacity may hold what a crashed writer left.</param>
    private RecordFile(MemoryMap map, string path, long count, bool created)
    {
        _map = map;
        _path = path;
        _recordsOffset = RecordsOffset;
        _appendable = map.Access is MapAccess.Write or MapAccess.Default;
        _count = count;
        _capacity = (map.Length - _recordsOffset) / RecordSize;
        _zeroFrom = created ? 0 : _capacity;
    }

    private static int RecordSize => TRecordView.SizeInBytes;

    private static long RecordsOffset => RecordFileFormat.RecordsOffset(THeaderView.SizeInBytes);

    /// <summary>The file's path.</summary>
    public string Path => _path;

    /// <summary>
    /// The map over the whole file, for <see cref="MemoryMap.Advise"/>, <see cref="MemoryMap.Lock()"/>
    /// and the like. Do not resize or close it: the record file owns it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public MemoryMap Map
    {
        get
        {
            ThrowIfDisposed();
            return _map;
        }
    }

    /// <summary>The number of records.</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public long Count
    {
        get
        {
            ThrowIfDisposed();
            return _count;
        }
    }

    /// <summary>How many records fit before <see cref="Append()"/> must grow the file.</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public long Capacity
    {
        get
        {
            ThrowIfDisposed();
            return _capacity;
        }
    }

    /// <summary>Whether records can be appended (the file was created, or opened with <see cref="MapAccess.Write"/>).</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public bool CanAppend
    {
        get
        {
            ThrowIfDisposed();
            return _appendable;
        }
    }

    /// <summary>
    /// The least number of bytes by which <see cref="Append()"/> grows the file when it is full;
    /// 64 MiB unless set. Each step grows by the records' current size (doubling), at least this
    /// and at most <see cref="MaximumGrowthBytes"/> (or this, if larger).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive.</exception>
    /// <remarks>
    /// Why large steps: every growth is an <c>ftruncate</c> plus an <c>mremap</c> (which may move
    /// the page tables of the whole mapping), so small steps turn a long append run quadratic,
    /// while the slack costs nothing: the file grows sparse, and <see cref="Dispose"/> trims it.
    /// Doubling keeps the number of remaps logarithmic; the 1 GiB cap bounds the sparse slack a
    /// crashed writer leaves behind.
    /// </remarks>
    public long MinimumGrowthBytes
    {
        get => _minimumGrowthBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _minimumGrowthBytes = value;
        }
    }

    /// <summary>A view of the header.</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public THeaderView Header
    {
        get
        {
            ThrowIfDisposed();
            return THeaderView.Create(new CheckedOffset(_map, RecordFileFormat.HeaderOffset));
        }
    }

    /// <summary>The <see cref="Count"/> records, as an array of views (a snapshot of the count: records appended later are not in it).</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public MappedArray<TRecordView> Records
    {
        get
        {
            ThrowIfDisposed();
            return new MappedArray<TRecordView>(_map, _recordsOffset, _count);
        }
    }

    /// <summary>A view of the record at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the records.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public TRecordView this[long index]
    {
        get
        {
            // One compare: Dispose sets the count to 0, so a closed file always takes this branch.
            if ((ulong)index >= (ulong)_count)
            {
                ThrowIfDisposed();
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the {_count} records.");
            }

            // 0 <= index < Count: the offset is not negative and the map (owned) is not null.
            return TRecordView.Create(new CheckedOffset(_map, _recordsOffset + (index * RecordSize)));
        }
    }

    /// <summary>
    /// Creates a record file at <paramref name="path"/> with a zeroed header and no records, and
    /// maps it for writing.
    /// </summary>
    /// <param name="path">The file to create; it must not exist.</param>
    /// <param name="magic">The application's magic number, checked by <see cref="Open"/>.</param>
    /// <param name="initialCapacity">How many records to make room for now (the file grows past it as needed; <see cref="Dispose"/> trims the rest).</param>
    /// <returns>The open file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative or too large for a file.</exception>
    /// <exception cref="NotSupportedException">A layout is empty or larger than a file format field can describe.</exception>
    /// <exception cref="IOException">The file already exists, or cannot be created.</exception>
    public static RecordFile<THeaderView, TRecordView> Create(string path, ulong magic, long initialCapacity = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckLayoutSizes();
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        long recordsOffset = RecordsOffset;
        if (initialCapacity > (long.MaxValue - recordsOffset) / RecordSize)
        {
            throw new ArgumentOutOfRangeException(nameof(initialCapacity), initialCapacity, "The file would be larger than a file can be.");
        }

        long length = recordsOffset + (initialCapacity * RecordSize);

        // CreateNew: an existing file is an IOException here, before anything is created, and is
        // left alone; from here on, a failure removes the half-made file.
        SafeFileHandle file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        MemoryMap? map = null;
        try
        {
            using (file)
            {
                RandomAccess.SetLength(file, length);
                map = new MemoryMap(file, 0, access: MapAccess.Write);
            }

            Span<byte> prefix = stackalloc byte[RecordFileFormat.PrefixSize];
            ExpectedPrefix(magic, count: 0).Write(prefix);
            map.WriteAt(0, prefix);
            return new RecordFile<THeaderView, TRecordView>(map, path, count: 0, created: true);
        }
        catch
        {
            map?.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Opens and validates an existing record file. Checked in this order, each failure an
    /// <see cref="InvalidDataException"/> naming what was expected and what was found: the file
    /// holds a whole prefix; the magic number; the format version; the prefix, header and record
    /// sizes; the header and record fingerprints; the file holds the header; the file holds every
    /// record the count claims.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="magic">The magic number the file must carry.</param>
    /// <param name="access">
    /// <see cref="MapAccess.Write"/> (or <see cref="MapAccess.Default"/>) to read, write and append;
    /// <see cref="MapAccess.Read"/> to read only (both view types must then be <c>ReadOnlyView</c>s);
    /// <see cref="MapAccess.Copy"/> for private, copy-on-write changes that never reach the file (no appending).
    /// </param>
    /// <returns>The open file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="access"/> is not a <see cref="MapAccess"/>.</exception>
    /// <exception cref="NotSupportedException"><see cref="MapAccess.Read"/> with a writable view type, or a layout a record file cannot describe.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid record file of these layouts and this magic number.</exception>
    public static RecordFile<THeaderView, TRecordView> Open(string path, ulong magic, MapAccess access = MapAccess.Write)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckLayoutSizes();
        if (access is not (MapAccess.Default or MapAccess.Read or MapAccess.Write or MapAccess.Copy))
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown access.");
        }

        if (access == MapAccess.Read && (!THeaderView.IsReadOnly || !TRecordView.IsReadOnly))
        {
            string writable = THeaderView.IsReadOnly ? typeof(TRecordView).FullName! : typeof(THeaderView).FullName!;
            throw new NotSupportedException($"A record file opened with MapAccess.Read hands out read-only views only, but {writable} is writable: use the layout's ReadOnlyView.");
        }

        if (access == MapAccess.Default)
        {
            access = MapAccess.Write;
        }

        MemoryMap map;
        FileAccess fileAccess = access == MapAccess.Write ? FileAccess.ReadWrite : FileAccess.Read;
        using (SafeFileHandle file = File.OpenHandle(path, FileMode.Open, fileAccess, FileShare.ReadWrite))
        {
            long fileLength = RandomAccess.GetLength(file);
            if (fileLength < RecordFileFormat.PrefixSize)
            {
                throw Invalid(path, $"it is {fileLength} bytes long, shorter than the {RecordFileFormat.PrefixSize}-byte record file prefix");
            }

            map = new MemoryMap(file, 0, access: access);
        }

        try
        {
            long count = Validate(map, path, magic);
            return new RecordFile<THeaderView, TRecordView>(map, path, count, created: false);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Appends a zeroed record and returns a view of it.</summary>
    /// <returns>A view of the new record, valid for as long as the file is open.</returns>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    /// <exception cref="MapIOException">The file could not grow.</exception>
    public TRecordView Append()
    {
        long offset = Reserve(1);
        Commit(_count + 1);
        return TRecordView.Create(new CheckedOffset(_map, offset));
    }

    /// <summary>Appends a copy of <paramref name="value"/> and returns a view of it.</summary>
    /// <typeparam name="TRecord">The record layout: its size and fingerprint must be <typeparamref name="TRecordView"/>'s.</typeparam>
    /// <param name="value">The record.</param>
    /// <returns>A view of the new record.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is another layout than <typeparamref name="TRecordView"/>'s, or the layout's <c>Store</c> refused the value (a string too long, ...): nothing is appended.</exception>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    public TRecordView Append<TRecord>(in TRecord value)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        CheckRecordLayout<TRecord>();
        long offset = Reserve(1);

        // Store validates before it writes, but if it throws, the slot it may have touched is no
        // longer known zero: say so before storing (after a successful Store, Commit moves the
        // count to this same index, so nothing changes). Not a try/catch: a method with one is
        // never inlined, and this one is called once per record.
        _zeroFrom = Math.Max(_zeroFrom, _count + 1);
        StoreHeld(_map, offset, value);
        Commit(_count + 1);
        return TRecordView.Create(new CheckedOffset(_map, offset));
    }

    /// <summary>
    /// Appends a copy of every record in <paramref name="values"/>, growing the file at most once.
    /// All or nothing: if a value is refused, none is appended.
    /// </summary>
    /// <typeparam name="TRecord">The record layout: its size and fingerprint must be <typeparamref name="TRecordView"/>'s.</typeparam>
    /// <param name="values">The records.</param>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is another layout than <typeparamref name="TRecordView"/>'s, or the layout's <c>Store</c> refused a value.</exception>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    public void AppendRange<TRecord>(ReadOnlySpan<TRecord> values)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        CheckRecordLayout<TRecord>();
        long offset = Reserve(values.Length);
        int stored = 0;
        int size = RecordSize;

        // The whole range pinned once, held while TRecord.Store runs on its spans: see StoreHeld.
        ref byte first = ref _map.BeginPin(offset, (long)values.Length * size, write: true);
        try
        {
            for (; stored < values.Length; stored++)
            {
                TRecord.Store(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref first, (nint)stored * size), size), values[stored]);
            }
        }
        catch
        {
            _zeroFrom = Math.Max(_zeroFrom, _count + stored + 1);
            throw;
        }
        finally
        {
            _map.EndPin();
        }

        Commit(_count + values.Length);
    }

    /// <summary>Makes room for at least <paramref name="capacity"/> records, growing the file to exactly that if it holds fewer.</summary>
    /// <param name="capacity">The number of records.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative or too large for a file.</exception>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    public void EnsureCapacity(long capacity)
    {
        ThrowIfNotAppendable();
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > _capacity)
        {
            GrowTo(capacity);
        }
    }

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

        if (_appendable && !_map.IsClosed && _map.Length != UsedLength)
        {
            _map.Resize(UsedLength);
            _capacity = _count;
        }

        _map.Dispose();
        _disposed = true;

        // Unobservable through Count (which throws now), but the indexer compares with it alone:
        // every index then takes its slow path, which throws ObjectDisposedException.
        _count = 0;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed
            ? $"RecordFile(closed, path={_path})"
            : $"RecordFile(path={_path}, count={_count}, capacity={_capacity}, recordSize={RecordSize}, access={_map.Access})";

    private long UsedLength => _recordsOffset + (_count * RecordSize);

    private long Reserve(int count)
    {
        ThrowIfNotAppendable();
        long first = _count;
        if (count > _capacity - first)
        {
            Grow(first + count);
        }

        long offset = _recordsOffset + (first * RecordSize);
        if (first < _zeroFrom)
        {
            long dirty = Math.Min(count, _zeroFrom - first);
            _map.Fill(offset, dirty * RecordSize, 0);
        }

        return offset;
    }

    /// <summary>
    /// Stores <paramref name="value"/> into the slot at <paramref name="offset"/> through the
    /// layout's span <c>Store</c> (one range check for the record, not one per field), with the slot
    /// pinned meanwhile: <c>Store</c> is user code for a hand-written layout, and without the pin it
    /// could close or resize the map under the span it was given.
    /// </summary>
    /// <remarks>Out of line because of its try/finally, so that <see cref="Append{TRecord}(in TRecord)"/> still inlines.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreHeld<TRecord>(MemoryMap map, long offset, in TRecord value)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        int size = RecordSize;
        ref byte slot = ref map.BeginPin(offset, size, write: true);
        try
        {
            TRecord.Store(MemoryMarshal.CreateSpan(ref slot, size), value);
        }
        finally
        {
            map.EndPin();
        }
    }

    private void Commit(long count)
    {
        // A plain store into the map: the count reaches the file with the records, when the
        // kernel writes the pages back or Flush is called.
        ValueAccess.Write(_map, RecordFileFormat.RecordCountOffset, (ulong)count, bigEndian: false);
        _count = count;
    }

    private void Grow(long required)
    {
        long currentBytes = _capacity * RecordSize;
        long step = Math.Clamp(currentBytes, _minimumGrowthBytes, Math.Max(_minimumGrowthBytes, MaximumGrowthBytes));
        long maximum = (long.MaxValue - _recordsOffset) / RecordSize;
        long wanted = _capacity + Math.Max(1, step / RecordSize);
        if (wanted < 0 || wanted > maximum)
        {
            wanted = maximum;
        }

        if (required > maximum)
        {
            throw new IOException($"{_path}: {required} records of {RecordSize} bytes do not fit in a file.");
        }

        GrowTo(Math.Max(required, wanted));
    }

    private void GrowTo(long capacity)
    {
        if (capacity > (long.MaxValue - _recordsOffset) / RecordSize)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The file would be larger than a file can be.");
        }

        // Resize only remaps (MREMAP_MAYMOVE) and extends the file with zeros: it never flushes.
        _map.Resize(_recordsOffset + (capacity * RecordSize));
        _capacity = capacity;
    }

    private static long Validate(MemoryMap map, string path, ulong magic)
    {
        Span<byte> bytes = stackalloc byte[RecordFileFormat.PrefixSize];
        map.ReadAt(0, bytes);
        RecordFilePrefix found = RecordFilePrefix.Read(bytes);
        RecordFilePrefix expected = ExpectedPrefix(magic, 0);

        if (found.Magic != expected.Magic)
        {
            throw Invalid(path, $"its magic number is 0x{found.Magic:X16}, expected 0x{expected.Magic:X16}");
        }

        if (found.FormatVersion != expected.FormatVersion)
        {
            throw Invalid(path, $"its format version is {found.FormatVersion}, expected {expected.FormatVersion}");
        }

        if (found.PrefixSize != expected.PrefixSize)
        {
            throw Invalid(path, $"its prefix size is {found.PrefixSize} bytes, expected {expected.PrefixSize}");
        }

        if (found.HeaderSize != expected.HeaderSize)
        {
            throw Invalid(path, $"its header size is {found.HeaderSize} bytes, expected {expected.HeaderSize} ({typeof(THeaderView).FullName})");
        }

        if (found.RecordSize != expected.RecordSize)
        {
            throw Invalid(path, $"its record size is {found.RecordSize} bytes, expected {expected.RecordSize} ({typeof(TRecordView).FullName})");
        }

        if (found.HeaderFingerprint != expected.HeaderFingerprint)
        {
            throw Invalid(path, $"its header fingerprint is 0x{found.HeaderFingerprint:X16}, expected 0x{expected.HeaderFingerprint:X16} ({typeof(THeaderView).FullName}): the header layout differs");
        }

        if (found.RecordFingerprint != expected.RecordFingerprint)
        {
            throw Invalid(path, $"its record fingerprint is 0x{found.RecordFingerprint:X16}, expected 0x{expected.RecordFingerprint:X16} ({typeof(TRecordView).FullName}): the record layout differs");
        }

        long length = map.Length;
        long recordsOffset = RecordsOffset;
        if (length < recordsOffset)
        {
            throw Invalid(path, $"it is {length} bytes long, shorter than its prefix and {THeaderView.SizeInBytes}-byte header ({recordsOffset} bytes)");
        }

        long fits = (length - recordsOffset) / RecordSize;
        if (found.RecordCount > (ulong)fits)
        {
            throw Invalid(path, $"it claims {found.RecordCount} records but its {length} bytes hold at most {fits} records of {RecordSize} bytes");
        }

        return (long)found.RecordCount;
    }

    private static RecordFilePrefix ExpectedPrefix(ulong magic, long count) => new(
        magic,
        RecordFileFormat.Version,
        RecordFileFormat.PrefixSize,
        (uint)THeaderView.SizeInBytes,
        (uint)TRecordView.SizeInBytes,
        THeaderView.LayoutFingerprint,
        TRecordView.LayoutFingerprint,
        (ulong)count);

    private static InvalidDataException Invalid(string path, string difference) =>
        new($"{path} is not a valid record file of {typeof(THeaderView).FullName} and {typeof(TRecordView).FullName}: {difference}.");

    private static void CheckLayoutSizes()
    {
        // The format stores sizes as u32; generated layouts are far smaller, but a hand-written
        // view could claim anything.
        if (THeaderView.SizeInBytes < 0)
        {
            throw new NotSupportedException($"{typeof(THeaderView).FullName} claims a negative size.");
        }

        if (TRecordView.SizeInBytes <= 0)
        {
            throw new NotSupportedException($"{typeof(TRecordView).FullName} is {TRecordView.SizeInBytes} bytes: a record needs at least one byte.");
        }
    }

    // The test compares constants and folds away once inlined; the message is built in a method
    // of its own so that this one stays small enough to inline (it was a call per Append).
    private static void CheckRecordLayout<TRecord>()
        where TRecord : struct, IMappedLayout<TRecord>
    {
        if (TRecord.SizeInBytes != TRecordView.SizeInBytes || TRecord.LayoutFingerprint != TRecordView.LayoutFingerprint)
        {
            ThrowOtherLayout<TRecord>();
        }
    }

    [DoesNotReturn]
    private static void ThrowOtherLayout<TRecord>()
        where TRecord : struct, IMappedLayout<TRecord>
    {
        throw new ArgumentException(
            $"{typeof(TRecord).FullName} ({TRecord.SizeInBytes} bytes, fingerprint 0x{TRecord.LayoutFingerprint:X16}) is not the layout of {typeof(TRecordView).FullName} ({TRecordView.SizeInBytes} bytes, fingerprint 0x{TRecordView.LayoutFingerprint:X16}).",
            nameof(TRecord));
    }

    // Two field tests inline on every Append; the exceptions are built out of line.
    private void ThrowIfNotAppendable()
    {
        if (_disposed || !_appendable)
        {
            ThrowNotAppendable();
        }
    }

    [DoesNotReturn]
    private void ThrowNotAppendable()
    {
        ThrowIfDisposed();
        throw new NotSupportedException($"{_path} was opened with MapAccess.{_map.Access}: records can only be appended to a file opened with MapAccess.Write.");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
