using System;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// <see cref="Count"/> records of one layout, back to back in a map: the indexer returns views
/// that read and write the mapped bytes. A read-only map only hands out arrays of read-only views.
/// </summary>
/// <typeparam name="TView">The generated <c>View</c> or <c>ReadOnlyView</c> of a layout.</typeparam>
public readonly partial struct MappedArray<TView>
    where TView : struct, IMappedView<TView>
{
    private readonly MemoryMap _map;
    private readonly long _offset;
    private readonly long _count;

    // The distance between records: TView.SizeInBytes, or a file's larger record size when the
    // file was written by a newer layout that appended fields (docs/formats.md, Schemas §3).
    private readonly int _stride;

    /// <summary>Creates an array of <paramref name="count"/> records starting at <paramref name="offset"/>.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the first record starts.</param>
    /// <param name="count">The number of records.</param>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The records do not lie inside the map, or the count is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TView"/> is writable but the map is read-only.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TView"/> says its records have no bytes or a negative number.</exception>
    public MappedArray(MemoryMap map, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!TView.IsReadOnly && !map.CanWrite)
        {
            throw new NotSupportedException($"The map is read-only: use the layout's ReadOnlyView, not {typeof(TView).Name}.");
        }

        int size = TView.SizeInBytes; // read once: a hand-written view could answer differently each time
        if (size <= 0)
        {
            ThrowHelper.BadRecordSize(typeof(TView), size, nameof(TView));
        }

        if (count > long.MaxValue / size)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The records' total size overflows.");
        }

        map.EnsureRange(offset, count * size);
        _map = map;
        _offset = offset;
        _count = count;
        _stride = size;
    }

    // Records of a file whose record size is stride (at least TView.SizeInBytes: the caller, a
    // container section, checked the file's schema), each read through its first SizeInBytes bytes.
    internal MappedArray(MemoryMap map, long offset, long count, int stride)
    {
        map.EnsureRange(offset, count * stride);
        _map = map;
        _offset = offset;
        _count = count;
        _stride = stride;
    }

    /// <summary>The distance in bytes between records: the layout's size, or a file's larger record size (a newer layout's records, read through their prefix).</summary>
    public int Stride => _stride;

    /// <summary>The number of records.</summary>
    public long Count => _count;

    /// <summary>The map the records live in.</summary>
    public MemoryMap Map => _map;

    /// <summary>Where the first record starts.</summary>
    public long Offset => _offset;

    /// <summary>
    /// A view of the record at <paramref name="index"/>. Only the index is checked here: whether the
    /// record still lies inside the map (after a <see cref="MemoryMap.Resize"/> or <see cref="MemoryMap.Close"/>)
    /// is checked by every access of the view, against the live mapping.
    /// </summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the array.</exception>
    public TView this[long index]
    {
        get
        {
            if ((ulong)index >= (ulong)_count)
            {
                ThrowIndex(index, _count);
            }

            // The array's map is not null and its offset not negative (checked when it was made),
            // and 0 <= index < Count, so the view's constructor has nothing left to check.
            return TView.Create(new CheckedOffset(_map, _offset + (index * _stride)));
        }
    }

    /// <summary>
    /// A view of the record at <paramref name="index"/>, as the indexer. C# refuses to set a
    /// property on a struct an indexer returns (CS1612) but allows it on one a method returns, so
    /// <c>array.At(i).Id = 5</c> writes in one statement where <c>array[i].Id = 5</c> does not compile.
    /// </summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the array.</exception>
    public TView At(long index) => this[index];

    /// <summary>The records <c>[start, start + count)</c> as an array of their own.</summary>
    /// <param name="start">The first record.</param>
    /// <param name="count">How many records.</param>
    /// <returns>The slice.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The slice is not inside the array.</exception>
    public MappedArray<TView> Slice(long start, long count)
    {
        if (start < 0 || count < 0 || start > _count - count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Records [{start}, {start} + {count}) are not inside the array of {_count}.");
        }

        return new MappedArray<TView>(_map, _offset + (start * _stride), count, _stride);
    }

    /// <summary>Enumerates views of the records without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    // Static, with the count passed in: an instance method would take the array's address, and an
    // address-taken struct is not kept in registers (the indexer then reloads the map and offset
    // from the stack on every access).
    private static void ThrowIndex(long index, long count) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the array of {count} records.");

    /// <summary>Enumerates a <see cref="MappedArray{TView}"/>.</summary>
    public struct Enumerator
    {
        private readonly MappedArray<TView> _array;
        private long _index;

        internal Enumerator(MappedArray<TView> array)
        {
            _array = array;
            _index = -1;
        }

        /// <summary>A view of the current record.</summary>
        public readonly TView Current => _array[_index];

        /// <summary>Moves to the next record.</summary>
        /// <returns>False after the last record.</returns>
        public bool MoveNext() => ++_index < _array.Count;
    }
}
