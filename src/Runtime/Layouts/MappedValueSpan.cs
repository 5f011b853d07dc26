using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// A fixed-length array of primitives or enums inside a <c>Ref</c>: what the generated <c>Ref</c>
/// returns for a <see cref="FixedArrayAttribute"/> field. The twin of <see cref="MappedValueArray{T}"/>
/// over pinned memory: an element access checks the index and nothing else.
/// </summary>
/// <typeparam name="T">The element type: a primitive (<c>bool</c> is stored as one byte, 0 or 1) or an enum.</typeparam>
public readonly ref struct MappedValueSpan<T>
    where T : unmanaged
{
    private readonly ref byte _start;
    private readonly int _length;
    private readonly bool _bigEndian;

    /// <summary>The first <paramref name="length"/> elements of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes; at least <paramref name="length"/> elements.</param>
    /// <param name="length">The number of elements.</param>
    /// <param name="bigEndian">Whether elements are stored big-endian.</param>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative, or the elements do not fit in <paramref name="bytes"/>.</exception>
    public unsafe MappedValueSpan(Span<byte> bytes, int length, bool bigEndian)
    {
        // Both constants when a generated Ref calls this, so the JIT folds the test away.
        if ((ulong)(uint)length * (ulong)sizeof(T) > (ulong)bytes.Length)
        {
            ThrowTooShort(bytes.Length, length, sizeof(T));
        }

        _start = ref MemoryMarshal.GetReference(bytes);
        _length = length;
        _bigEndian = bigEndian;
    }

    /// <summary>The number of elements.</summary>
    public int Length => _length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="IndexOutOfRangeException">The index is outside the array.</exception>
    public unsafe T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)_length)
            {
                MappedValueArray<T>.ThrowIndex(index, _length);
            }

            ref byte at = ref Unsafe.Add(ref _start, (nint)(uint)index * sizeof(T));
            if (typeof(T) == typeof(bool))
            {
                bool flag = at != 0; // any non-zero byte is true: a hostile file cannot make an unnormalised bool
                return Unsafe.As<bool, T>(ref flag);
            }

            return ByteOrder.Convert(Unsafe.ReadUnaligned<T>(ref at), _bigEndian);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set
        {
            if ((uint)index >= (uint)_length)
            {
                MappedValueArray<T>.ThrowIndex(index, _length);
            }

            ref byte at = ref Unsafe.Add(ref _start, (nint)(uint)index * sizeof(T));
            if (typeof(T) == typeof(bool))
            {
                at = Unsafe.As<T, bool>(ref value) ? (byte)1 : (byte)0;
                return;
            }

            Unsafe.WriteUnaligned(ref at, ByteOrder.Convert(value, _bigEndian));
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
    public ReadOnlyMappedValueSpan<T> AsReadOnly() => new(this);

    /// <summary>Enumerates the elements without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    [DoesNotReturn]
    private static void ThrowTooShort(int bytes, int length, int size) =>
        throw new ArgumentOutOfRangeException(nameof(length), length, length < 0
            ? "The number of elements cannot be negative."
            : $"{length} elements of {size} bytes do not fit in {bytes} bytes.");

    /// <summary>Enumerates a <see cref="MappedValueSpan{T}"/>.</summary>
    public ref struct Enumerator
    {
        private readonly MappedValueSpan<T> _array;
        private int _index;

        internal Enumerator(MappedValueSpan<T> array)
        {
            _array = array;
            _index = -1;
        }

        /// <summary>The current element.</summary>
        /// <exception cref="IndexOutOfRangeException">Before the first <see cref="MoveNext"/> or after the last.</exception>
        public readonly T Current => _array[_index];

        /// <summary>Moves to the next element.</summary>
        /// <returns>False after the last element.</returns>
        public bool MoveNext() => ++_index < _array.Length;
    }
}
