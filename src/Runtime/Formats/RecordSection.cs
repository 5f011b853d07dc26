using System;
using Overlay.Layouts;
using Overlay.Layouts.Support;

namespace Overlay.Formats;

/// <summary>
/// A section of fixed-size records of one layout in a <see cref="MappedContainer"/>. Its members
/// always use the section's current extent; a <see cref="MappedArray{TView}"/> or view taken from
/// it holds an absolute offset and goes stale if the section later moves to grow
/// (<c>docs/formats.md</c> §3): take views after growing, or reserve with <see cref="EnsureCapacity"/>.
/// </summary>
/// <typeparam name="TView">The layout's <c>View</c> or <c>ReadOnlyView</c>.</typeparam>
/// <remarks>Not thread-safe, as the container. Appends are durable after <see cref="MappedContainer.Commit"/>.</remarks>
public sealed class RecordSection<TView>
    where TView : struct, IMappedView<TView>
{
    private readonly MappedContainer _container;
    private readonly SectionEntry _entry;

    internal RecordSection(MappedContainer container, SectionEntry entry)
    {
        _container = container;
        _entry = entry;
    }

    /// <summary>The section's name.</summary>
    public string Name => _entry.Name;

    /// <summary>The number of records.</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Count
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Count;
        }
    }

    /// <summary>How many records fit before the section must grow.</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Capacity
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Capacity / _entry.Stride;
        }
    }

    /// <summary>
    /// The file's record size: <typeparamref name="TView"/>'s size, or another when the file was
    /// written by an older or newer version of the layout that differs by appended fields
    /// (<c>docs/formats.md</c>, Schemas §3).
    /// </summary>
    public int RecordSize => (int)_entry.Stride;

    /// <summary>
    /// The records, as an array of views over the section's current extent (a snapshot of the count
    /// and the extent). In a file written by a newer layout the views read each record's prefix.
    /// </summary>
    /// <exception cref="NotSupportedException">The file's records are shorter than <typeparamref name="TView"/>'s (an older layout): read them with <see cref="Load{TRecord}"/>, or upgrade the file.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public MappedArray<TView> Records
    {
        get
        {
            MemoryMap map = _container.LiveMap;
            ThrowIfShorterRecords();
            return new MappedArray<TView>(map, _entry.Offset, _entry.Count, (int)_entry.Stride);
        }
    }

    /// <summary>
    /// A copy of the record at <paramref name="index"/>: in a file written by an older layout the
    /// fields it lacks read as their <c>[DefaultValue]</c> (<see cref="LayoutField.DefaultValue"/>), or zero; only the file's record size is read, never the next record.
    /// </summary>
    /// <typeparam name="TRecord">The layout of <typeparamref name="TView"/>.</typeparam>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is another layout than <typeparamref name="TView"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the records.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TRecord Load<TRecord>(long index)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        if (TRecord.SizeInBytes != TView.SizeInBytes || TRecord.LayoutFingerprint != TView.LayoutFingerprint)
        {
            throw new ArgumentException($"{typeof(TRecord).FullName} is not the layout of {typeof(TView).FullName}.", nameof(TRecord));
        }

        MemoryMap map = _container.LiveMap;
        if ((ulong)index >= (ulong)_entry.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the {_entry.Count} records of section '{_entry.Name}'.");
        }

        int size = TRecord.SizeInBytes;
        byte[] buffer = new byte[size];
        map.ReadAt(_entry.Offset + (index * _entry.Stride), buffer.AsSpan(0, (int)Math.Min(size, _entry.Stride)));
        if (_entry.Stride < size)
        {
            // An older layout's record: the fields it lacks read as their [DefaultValue], not zero.
            Overlay.Schemas.LayoutDefaults.ApplyPast(TRecord.LayoutInfo, buffer, _entry.Stride);
        }

        return TRecord.Load(buffer);
    }

    /// <summary>A view of the record at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the records.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TView this[long index]
    {
        get
        {
            MemoryMap map = _container.LiveMap;
            if ((ulong)index >= (ulong)_entry.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the {_entry.Count} records of section '{_entry.Name}'.");
            }

            ThrowIfShorterRecords();
            return TView.Create(new CheckedOffset(map, _entry.Offset + (index * _entry.Stride)));
        }
    }

    /// <summary>As the indexer; a method, so that <c>section.At(i).Id = 5</c> compiles (CS1612).</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the records.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TView At(long index) => this[index];

    /// <summary>Appends a zeroed record and returns a view of it (valid until the section next moves).</summary>
    /// <returns>The view.</returns>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The section must grow while memory of the map is exported or pinned.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TView Append()
    {
        long at = Reserve();
        _entry.Length += _entry.Stride;
        _entry.Count++;
        return TView.Create(new CheckedOffset(_container.LiveMap, _entry.Offset + at));
    }

    /// <summary>Appends a copy of <paramref name="value"/>; a value the layout refuses appends nothing.</summary>
    /// <typeparam name="TRecord">The layout: its size and fingerprint must be <typeparamref name="TView"/>'s.</typeparam>
    /// <param name="value">The record.</param>
    /// <returns>A view of it.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is another layout, or its <c>Store</c> refused the value.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The section must grow while memory of the map is exported or pinned.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TView Append<TRecord>(in TRecord value)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        if (TRecord.SizeInBytes != TView.SizeInBytes || TRecord.LayoutFingerprint != TView.LayoutFingerprint)
        {
            throw new ArgumentException($"{typeof(TRecord).FullName} is not the layout of {typeof(TView).FullName}.", nameof(TRecord));
        }

        long at = Reserve();
        MemoryMap map = _container.LiveMap;
        StoreHeld(map, _entry.Offset + at, value); // validates before it writes
        _entry.Length += _entry.Stride;
        _entry.Count++;
        return TView.Create(new CheckedOffset(map, _entry.Offset + at));
    }

    /// <summary>Makes room for <paramref name="records"/> records, moving or growing the section at most once.</summary>
    /// <param name="records">The number of records.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="records"/> is negative or too large.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The section must grow while memory of the map is exported or pinned.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    /// <exception cref="FileTruncatedException">Another process truncated the file under the map: the section does not grow.</exception>
    public void EnsureCapacity(long records)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        if (records > long.MaxValue / 4 / _entry.Stride)
        {
            throw new ArgumentOutOfRangeException(nameof(records), records, "The section would be larger than a file can be.");
        }

        _container.EnsureCapacity(_entry, records * _entry.Stride);
    }

    /// <summary>
    /// Holds the records in place and hands <paramref name="body"/> a span over them: the loop fast
    /// path (<see cref="MappedArray{TView}.Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/>), a raw
    /// pointer plus one compare per access. Meanwhile no section can grow by resizing the map, and
    /// this one cannot move.
    /// </summary>
    /// <typeparam name="TRef">The layout's <c>Ref</c>.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is another layout.</exception>
    /// <exception cref="NotSupportedException">The views are read-only or the map is.</exception>
    /// <exception cref="InvalidOperationException">More than <see cref="int.MaxValue"/> records.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult Pin<TRef, TResult>(Func<MappedSpan<TRef>, TResult> body)
        where TRef : IMappedRef<TRef>, allows ref struct => Records.Pin(body);

    /// <summary>As <see cref="Pin{TRef, TResult}"/>, for reading, on any readable map.</summary>
    /// <typeparam name="TRef">The layout's <c>ReadOnlyRef</c>.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is another layout.</exception>
    /// <exception cref="InvalidOperationException">More than <see cref="int.MaxValue"/> records.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult PinReadOnly<TRef, TResult>(Func<ReadOnlyMappedSpan<TRef>, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct => Records.PinReadOnly(body);

    /// <summary>
    /// As <see cref="PinReadOnly{TRef, TResult}(Func{ReadOnlyMappedSpan{TRef}, TResult})"/>, with
    /// <paramref name="heap"/> pinned too: the callback follows each record's
    /// <see cref="HeapRef"/> fields (<c>[VarString]</c>, <c>[VarBytes]</c>, <c>[VarList]</c>) to their
    /// bytes in place, one bounds check per value and no call. Neither span can outlive the callback.
    /// </summary>
    /// <typeparam name="TRef">The layout's <c>ReadOnlyRef</c>.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="heap">A heap of the same container.</param>
    /// <param name="body">The callback: the records, then the heap.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="heap"/> or <paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="heap"/> is another container's, or <typeparamref name="TRef"/> is another layout.</exception>
    /// <exception cref="InvalidOperationException">More than <see cref="int.MaxValue"/> records.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult PinReadOnly<TRef, TResult>(HeapSection heap, Func<ReadOnlyMappedSpan<TRef>, ReadOnlyHeapSpan, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(heap);
        ArgumentNullException.ThrowIfNull(body);
        if (heap.Container != _container)
        {
            throw new ArgumentException($"Heap '{heap.Name}' is a section of another container than records section '{_entry.Name}'.", nameof(heap));
        }

        return heap.PinReadOnly(
            (Records, body),
            static (ReadOnlyHeapSpan values, (MappedArray<TView> Records, Func<ReadOnlyMappedSpan<TRef>, ReadOnlyHeapSpan, TResult> Body) outer) =>
                outer.Records.PinReadOnly(
                    new PinnedHeap<TRef, TResult>(values, outer.Body),
                    static (ReadOnlyMappedSpan<TRef> records, PinnedHeap<TRef, TResult> inner) => inner.Body(records, inner.Values)));
    }

    // Carries the pinned heap into the records' pin: a ref struct, as the span it holds.
    private readonly ref struct PinnedHeap<TRef, TResult>(ReadOnlyHeapSpan values, Func<ReadOnlyMappedSpan<TRef>, ReadOnlyHeapSpan, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
    {
        public ReadOnlyHeapSpan Values { get; } = values;

        public Func<ReadOnlyMappedSpan<TRef>, ReadOnlyHeapSpan, TResult> Body { get; } = body;
    }

    /// <inheritdoc/>
    public override string ToString() => $"RecordSection(name={_entry.Name}, count={_entry.Count}, recordSize={_entry.Stride})";

    // Through the layout's span Store (one range check for the record, not one per field), the
    // slot pinned meanwhile so that a hand-written Store cannot resize or close the map under its span.
    private static void StoreHeld<TRecord>(MemoryMap map, long offset, in TRecord value)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        int size = TRecord.SizeInBytes;
        ref byte slot = ref map.BeginPin(offset, size, write: true);
        try
        {
            TRecord.Store(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref slot, size), value);
        }
        finally
        {
            map.EndPin();
        }
    }

    // A view of an older layout's shorter record would reach into the next record: never.
    private void ThrowIfShorterRecords()
    {
        if (_entry.Stride < (uint)TView.SizeInBytes)
        {
            throw new NotSupportedException($"Section '{_entry.Name}' holds {_entry.Stride}-byte records of an older version of the layout; {typeof(TView).FullName} needs {TView.SizeInBytes}: read them with Load, or upgrade the file.");
        }
    }

    private long Reserve()
    {
        _container.ThrowIfNotWritable();
        ThrowIfShorterRecords();
        long at = _entry.Length;
        _container.EnsureCapacity(_entry, at + _entry.Stride);
        _container.PrepareBytes(_entry, at, _entry.Stride);
        return at;
    }
}
