using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.InteropServices;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

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
/// outside it.
/// </para>
/// <para>
/// <see cref="Append()"/> grows the file in large chunks and never flushes: durability is
/// <see cref="Flush"/>'s job. Views stay valid across growth, as they hold the map and an offset,
/// not an address. <see cref="Dispose"/> trims a writable file to exactly its prefix, header,
/// padding and <see cref="Count"/> records, so no slack reaches the disk (unless a reader is
/// present, below); it does not flush either (the pages reach the file through the page cache;
/// call <see cref="Flush"/> first to survive a power loss). The record file owns its
/// <see cref="Map"/>: resizing, closing or re-protecting it is refused.
/// </para>
/// <para>
/// One writer, any number of readers. A writer (<see cref="Create"/>, or <see cref="Open"/> with
/// <see cref="MapAccess.Write"/>) holds the file's writer lock until <see cref="Dispose"/>: a
/// second writer, in this process or another, gets an <see cref="IOException"/> before anything is
/// mapped or changed. A reader (<see cref="Open"/> with <see cref="MapAccess.Read"/> or
/// <see cref="MapAccess.Copy"/>) may stay open beside a writer, and sees:
/// the records counted when it opened (its <see cref="Count"/> never changes; records appended
/// later are not in it), through a mapping that keeps its length; the writer's later edits of those
/// records, in place and without ordering (a record being written may be seen torn, and a record
/// that <see cref="Append()"/> returned is counted before its fields are set); and no fault: the
/// writer only grows the file while a reader is open, and its <see cref="Dispose"/> leaves the slack
/// rather than cut pages a reader has mapped. The locks are advisory Linux open-file-description
/// locks on bytes 2^62 and 2^62 + 1 (docs/layouts.md has the protocol): they bind record files and
/// tools that follow the protocol; a program that truncates the file without it still makes the
/// kernel raise SIGBUS in every process that maps the file.
/// </para>
/// <para>An instance is not thread-safe: use each from one thread at a time (a reader on another thread opens its own).</para>
/// </remarks>
public sealed partial class RecordFile<THeaderView, TRecordView> : IDisposable
    where THeaderView : struct, IMappedView<THeaderView>
    where TRecordView : struct, IMappedView<TRecordView>
{
    /// <summary>The default of <see cref="MinimumGrowthBytes"/>: 256 MiB (64 MiB before issue 8).</summary>
    /// <remarks>
    /// A constant: code compiled against an earlier version keeps the value it was compiled with
    /// where it reads this field; the files it opens grow by the runtime's default all the same.
    /// </remarks>
    public const long DefaultMinimumGrowthBytes = 256L << 20;

    /// <summary>The largest step by which <see cref="Append()"/> grows the file: 1 GiB.</summary>
    public const long MaximumGrowthBytes = 1L << 30;

    // AppendRange writes a range of at least this many bytes through the file handle, in chunks
    // of WriteThroughChunkBytes (RecordFile.Append.cs); a smaller one stores through the map.
    private const long WriteThroughMinimumBytes = 64 << 10;
    private const int WriteThroughChunkBytes = 256 << 10;

    // How far ahead of the records being appended their pages are faulted in (RecordFile.Growth.cs).
    private const long PrefaultWindowBytes = 4L << 20;

    private readonly MemoryMap _map;
    private readonly RecordFileLock _lock;

    // Roots the map while this file is alive, so that if the file is never disposed its finalizer
    // runs before the map's can (see ~RecordFile).
    private GCHandle _mapRoot;
    private readonly string _path;
    private readonly long _headerOffset;
    private readonly int _headerSize;
    private readonly long _recordsOffset;

    // The file's record size: the code's, or a compatible other version's (docs/formats.md §8.3).
    private readonly int _stride;

    private readonly RecordFileSchemaRegion? _schemas;
    private readonly bool _appendable;
    private long _count;
    private long _capacity;

    // Records below it have their pages faulted in for writing (or pre-faulting is off, and it
    // equals the capacity): Reserve compares with it alone, and takes its slow path to pre-fault
    // the next window or grow (RecordFile.Growth.cs). Never above the capacity.
    private long _prefaulted;

    // True once AppendRange wrote records through the file handle: their pages are not mapped in
    // this process, so the seal reads them through the file too (RecordFile.Durability.cs).
    private bool _wroteThroughFile;

    // Records at index >= _zeroFrom lie wholly past the end the file had when it was opened: the
    // file grew there through ftruncate, which fills with zeros. Below it, slack left by a crashed
    // writer may hold anything (a reserved but uncounted record, the start of one cut short), so
    // Append clears it first. Issue 14 (hole 7): this once started at the capacity, which rounds
    // down, so the slot over a partial last record kept its old bytes.
    private long _zeroFrom;

    // True while a layout's Store writes into a span of the map (StoreHeld, AppendRange): the file
    // then neither appends, grows nor closes, so the span cannot move or be unmapped under it and
    // the slot is not handed out twice.
    private bool _storing;
    private long _minimumGrowthBytes = DefaultMinimumGrowthBytes;

    // The durable slot the file's prefix holds: the next Flush that counts more records writes
    // the other slot with the next sequence (RecordFile.Durability.cs).
    private DurableSlot _durable;
    private bool _disposed;

    /// <param name="map">The map over the whole file.</param>
    /// <param name="fileLock">The writer lock or reader presence, held on the file's open until <see cref="Dispose"/>.</param>
    /// <param name="path">The file's path.</param>
    /// <param name="count">The records in use.</param>
    /// <param name="durable">The better durable slot in the file (docs/durability.md).</param>
    /// <param name="created">True for a file just created (every record slot holds zeros); false
    /// for an opened one, whose slack up to its capacity may hold what a crashed writer left.</param>
    /// <param name="shape">Where the header and records are, as the file states it.</param>
    private RecordFile(MemoryMap map, RecordFileLock fileLock, string path, long count, DurableSlot durable, bool created, RecordFileShape shape)
    {
        _durable = durable;
        _map = map;
        _lock = fileLock;
        _path = path;
        _headerOffset = shape.HeaderOffset;
        _headerSize = shape.HeaderSize;
        _recordsOffset = shape.RecordsOffset;
        _stride = shape.Stride;
        _schemas = shape.Schemas;
        _appendable = map.Access is MapAccess.Write or MapAccess.Default;
        _count = count;
        long recordBytes = map.Length - _recordsOffset;
        _capacity = recordBytes / _stride;
        _zeroFrom = created ? 0 : _capacity + (recordBytes % _stride == 0 ? 0 : 1);
        StartSealStream();

        // Last: nothing after it may throw, or the caller could no longer close the map it made.
        map.TakeOwnership();
        _mapRoot = GCHandle.Alloc(map);
    }

    private static int RecordSize => TRecordView.SizeInBytes;

    // False when the file's header or records are shorter than the code's layout (an older
    // version): a view would reach past them, so only Load reads them (the file is then read-only).
    // A compare with a constant, as cheap as testing a stored flag.
    private bool HeaderViewable => _headerSize >= THeaderView.SizeInBytes;

    private bool RecordsViewable => _stride >= RecordSize;

    /// <summary>The file's path.</summary>
    public string Path => _path;

    /// <summary>
    /// The map over the whole file, for <see cref="MemoryMap.Advise"/>, <see cref="MemoryMap.Lock()"/>,
    /// <see cref="MemoryMap.Flush()"/>, exports and the like. The record file owns it: its
    /// <see cref="MemoryMap.Resize"/>, <see cref="MemoryMap.Close"/> and <see cref="MemoryMap.Protect"/>
    /// throw <see cref="InvalidOperationException"/> (the file's capacity, count and lock follow the
    /// map's length, so only the record file changes it); <see cref="Dispose"/> closes it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public MemoryMap Map
    {
        get
        {
            ThrowIfDisposed();
            MarkMapHandedOut();
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

    /// <summary>The distance between records in bytes: the file's record size, which is the record layout's size unless the file was written by a compatible other version of it (docs/formats.md §8.3).</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public int RecordStride
    {
        get
        {
            ThrowIfDisposed();
            return _stride;
        }
    }

    /// <summary>The header layout as the file describes it, read without the code that wrote it (decoded on first use); null for a file that embeds no schemas (docs/formats.md §8.4).</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidDataException">The embedded schemas are invalid (checked when first decoded).</exception>
    public LayoutInfo? HeaderSchema
    {
        get
        {
            ThrowIfDisposed();
            return _schemas?.Schemas.Header;
        }
    }

    /// <summary>The record layout as the file describes it, read without the code that wrote it (decoded on first use); null for a file that embeds no schemas.</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidDataException">The embedded schemas are invalid (checked when first decoded).</exception>
    public LayoutInfo? RecordSchema
    {
        get
        {
            ThrowIfDisposed();
            return _schemas?.Schemas.Record;
        }
    }

    /// <summary>A view of the header.</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="NotSupportedException">The file's header is an older, shorter version of the layout: read it with <see cref="LoadHeader{THeader}"/>.</exception>
    public THeaderView Header
    {
        get
        {
            ThrowIfDisposed();
            if (!HeaderViewable)
            {
                throw OlderLayout("header", "LoadHeader");
            }

            MarkMapHandedOut();
            return THeaderView.Create(new CheckedOffset(_map, _headerOffset));
        }
    }

    /// <summary>The <see cref="Count"/> records, as an array of views (a snapshot of the count: records appended later are not in it).</summary>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="NotSupportedException">The file's records are an older, shorter version of the layout: read them with <see cref="Load{TRecord}"/>.</exception>
    public MappedArray<TRecordView> Records
    {
        get
        {
            ThrowIfDisposed();
            if (!RecordsViewable)
            {
                throw OlderLayout("records", "Load");
            }

            MarkMapHandedOut();
            return new MappedArray<TRecordView>(_map, _recordsOffset, _count, _stride);
        }
    }

    /// <summary>A view of the record at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the records.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="NotSupportedException">The file's records are an older, shorter version of the layout: read them with <see cref="Load{TRecord}"/>.</exception>
    public TRecordView this[long index]
    {
        get
        {
            // Dispose sets the count to 0, so a closed file always takes this branch.
            if ((ulong)index >= (ulong)_count || !RecordsViewable)
            {
                ThrowIfDisposed();
                if (!RecordsViewable)
                {
                    throw OlderLayout("records", "Load");
                }

                throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the {_count} records.");
            }

            // 0 <= index < Count: the offset is not negative and the map (owned) is not null. A view
            // holds the map, which writes anywhere: the seal's streamed hash is no longer enough.
            MarkMapHandedOut();
            return TRecordView.Create(new CheckedOffset(_map, _recordsOffset + (index * _stride)));
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed
            ? $"RecordFile(closed, path={_path})"
            : $"RecordFile(path={_path}, count={_count}, capacity={_capacity}, recordSize={RecordSize}, access={_map.Access})";

    private long UsedLength => _recordsOffset + (_count * _stride);

    // Two field tests inline on every Append; the exceptions are built out of line.
    private void ThrowIfNotAppendable()
    {
        if (_disposed || !_appendable || _storing)
        {
            ThrowNotAppendable();
        }
    }

    [DoesNotReturn]
    private void ThrowNotAppendable()
    {
        ThrowIfDisposed();
        ThrowIfStoring("append to");
        throw new NotSupportedException($"{_path} was opened with MapAccess.{_map.Access}: records can only be appended to a file opened with MapAccess.Write.");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private NotSupportedException OlderLayout(string part, string method) =>
        new($"{_path}'s {part} were written by an older, shorter version of the layout than {(part == "header" ? typeof(THeaderView) : typeof(TRecordView)).FullName}: a view would reach past them. Read them with {method}, which fills the fields the file lacks with their defaults, or upgrade the file.");

    private void ThrowIfStoring(string operation)
    {
        if (_storing)
        {
            throw new InvalidOperationException($"Cannot {operation} {_path} while a layout's Store writes a record into it: Store must not append to or dispose the file it is storing into.");
        }
    }
}
