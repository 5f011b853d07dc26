using System;
using System.Runtime.CompilerServices;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// A fixed-length array of primitives or enums stored in a map: the accessor generated views
/// return for <see cref="FixedArrayAttribute"/> fields. Every element access is bounds-checked
/// against the array and against the live mapping.
/// </summary>
/// <typeparam name="T">The element type: a primitive (<c>bool</c> is stored as one byte, 0 or 1) or an enum.</typeparam>
public readonly struct MappedValueArray<T>
    where T : unmanaged
{
    private readonly MemoryMap _map;
    private readonly long _offset;
    private readonly int _length;
    private readonly bool _bigEndian;

    /// <summary>Creates the accessor for <paramref name="length"/> elements at <paramref name="offset"/>.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the first element starts.</param>
    /// <param name="length">The number of elements.</param>
    /// <param name="bigEndian">Whether elements are stored big-endian.</param>
    /// <exception cref="ArgumentOutOfRangeException">The array does not lie inside the map.</exception>
    public unsafe MappedValueArray(MemoryMap map, long offset, int length, bool bigEndian)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        map.EnsureRange(offset, (long)length * sizeof(T));
        _map = map;
        _offset = offset;
        _length = length;
        _bigEndian = bigEndian;
    }

    /// <summary>The number of elements.</summary>
    public int Length => _length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="IndexOutOfRangeException">The index is outside the array.</exception>
    /// <exception cref="NotSupportedException">Setting an element of a read-only map.</exception>
    public unsafe T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)_length)
            {
                ThrowIndex(index, _length);
            }

            return ValueAccess.Read<T>(_map, _offset + ((long)index * sizeof(T)), _bigEndian);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set
        {
            if ((uint)index >= (uint)_length)
            {
                ThrowIndex(index, _length);
            }

            ValueAccess.Write(_map, _offset + ((long)index * sizeof(T)), value, _bigEndian);
        }
    }

    /// <summary>Copies every element into a new array.</summary>
    /// <returns>The elements.</returns>
    public T[] ToArray()
    {
        var result = new T[_length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = this[i];
        }

        return result;
    }

    /// <summary>Copies <paramref name="values"/> into the array; it must have exactly <see cref="Length"/> elements.</summary>
    /// <param name="values">The elements.</param>
    /// <exception cref="ArgumentException">The length differs; nothing is written.</exception>
    public void CopyFrom(ReadOnlySpan<T> values)
    {
        if (values.Length != _length)
        {
            throw new ArgumentException($"The array holds {_length} elements but {values.Length} were given; nothing was written.", nameof(values));
        }

        for (int i = 0; i < values.Length; i++)
        {
            this[i] = values[i];
        }
    }

    /// <summary>A read-only accessor over the same elements.</summary>
    /// <returns>The read-only accessor.</returns>
    public ReadOnlyMappedValueArray<T> AsReadOnly() => new(_map, _offset, _length, _bigEndian);

    /// <summary>Enumerates the elements without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    internal static void ThrowIndex(int index, int length) =>
        throw new IndexOutOfRangeException($"Index {index} is outside the fixed array of {length} elements.");

    /// <summary>Enumerates a <see cref="MappedValueArray{T}"/>.</summary>
    public struct Enumerator
    {
        private readonly MappedValueArray<T> _array;
        private int _index;

        internal Enumerator(MappedValueArray<T> array)
        {
            _array = array;
            _index = -1;
        }

        /// <summary>The current element.</summary>
        public readonly T Current => _array[_index];

        /// <summary>Moves to the next element.</summary>
        /// <returns>False after the last element.</returns>
        public bool MoveNext() => ++_index < _array.Length;
    }
}

/// <summary>A read-only fixed-length array of primitives or enums stored in a map; see <see cref="MappedValueArray{T}"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct ReadOnlyMappedValueArray<T>
    where T : unmanaged
{
    // The writable accessor with its setters hidden: reads, checks and byte order are the same.
    private readonly MappedValueArray<T> _inner;

    /// <summary>Creates the accessor for <paramref name="length"/> elements at <paramref name="offset"/>.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the first element starts.</param>
    /// <param name="length">The number of elements.</param>
    /// <param name="bigEndian">Whether elements are stored big-endian.</param>
    /// <exception cref="ArgumentOutOfRangeException">The array does not lie inside the map.</exception>
    public ReadOnlyMappedValueArray(MemoryMap map, long offset, int length, bool bigEndian) =>
        _inner = new MappedValueArray<T>(map, offset, length, bigEndian);

    /// <summary>The number of elements.</summary>
    public int Length => _inner.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="IndexOutOfRangeException">The index is outside the array.</exception>
    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _inner[index];
    }

    /// <summary>Copies every element into a new array.</summary>
    /// <returns>The elements.</returns>
    public T[] ToArray() => _inner.ToArray();

    /// <summary>Enumerates the elements without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public MappedValueArray<T>.Enumerator GetEnumerator() => _inner.GetEnumerator();
}
