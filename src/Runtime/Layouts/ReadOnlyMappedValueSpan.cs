using System;
using System.Runtime.InteropServices;

namespace Overlay.Layouts;

/// <summary>A read-only fixed-length array of primitives or enums inside a <c>ReadOnlyRef</c>; see <see cref="MappedValueSpan{T}"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly ref struct ReadOnlyMappedValueSpan<T>
    where T : unmanaged
{
    // The writable accessor with its setters hidden: reads, checks and byte order are the same.
    private readonly MappedValueSpan<T> _inner;

    /// <summary>The first <paramref name="length"/> elements of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes; at least <paramref name="length"/> elements.</param>
    /// <param name="length">The number of elements.</param>
    /// <param name="bigEndian">Whether elements are stored big-endian.</param>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative, or the elements do not fit in <paramref name="bytes"/>.</exception>
    public ReadOnlyMappedValueSpan(ReadOnlySpan<byte> bytes, int length, bool bigEndian) =>
        _inner = new MappedValueSpan<T>(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(bytes), bytes.Length), length, bigEndian);

    internal ReadOnlyMappedValueSpan(MappedValueSpan<T> inner) => _inner = inner;

    /// <summary>The number of elements.</summary>
    public int Length => _inner.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="IndexOutOfRangeException">The index is outside the array.</exception>
    public T this[int index] => _inner[index];

    /// <summary>Copies every element into a new array.</summary>
    /// <returns>The elements.</returns>
    public T[] ToArray() => _inner.ToArray();

    /// <summary>Enumerates the elements without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public MappedValueSpan<T>.Enumerator GetEnumerator() => _inner.GetEnumerator();
}
