using System;
using System.IO;
using System.Runtime.InteropServices;
using Overlay.Formats;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// A <c>[VarList]</c> field of primitives or enums: the 12-byte heap reference at a position of a
/// map, naming <c>count × sizeof(T)</c> bytes of the heap given on each access. The elements are
/// read in place through a <see cref="MappedValueArray{T}"/> over the heap's bytes, copied out, or
/// replaced as a whole.
/// </summary>
/// <typeparam name="T">The element type: a primitive (<c>bool</c> is one byte, 0 or 1) or an enum.</typeparam>
public readonly struct HeapListField<T>
    where T : unmanaged
{
    private readonly MemoryMap _map;
    private readonly long _offset;
    private readonly bool _bigEndian;
    private readonly string _fieldName;

    /// <summary>The field whose reference is at <paramref name="offset"/> of <paramref name="map"/>.</summary>
    /// <param name="map">The map holding the record.</param>
    /// <param name="offset">Where the reference is.</param>
    /// <param name="bigEndian">Whether the elements are stored big-endian.</param>
    /// <param name="fieldName">The field, for error messages (<c>Game.Player.Scores</c>).</param>
    public HeapListField(MemoryMap map, long offset, bool bigEndian, string fieldName)
    {
        _map = map;
        _offset = offset;
        _bigEndian = bigEndian;
        _fieldName = fieldName;
    }

    /// <summary>The stored reference, as the file holds it (not checked: the heap checks it on use).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The record is not inside the live mapping.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public HeapRef Reference
    {
        get => HeapFieldAccess.ReadReference(_map, _offset);
        set => HeapFieldAccess.WriteReference(_map, _offset, value);
    }

    /// <summary>The number of elements.</summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The count; 0 for the null reference.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the element size.</exception>
    public int Count(HeapSection heap) => HeapListAccess.Count(HeapFieldAccess.ReadReference(_map, _offset), heap, ElementSize, _fieldName);

    /// <summary>
    /// The elements in place: an accessor over the heap's bytes whose every access is checked against
    /// the live mapping, so it throws (never reads a dead copy) after the container is closed or the
    /// heap moved to grow. Setting an element writes the heap; the list's length cannot change this way.
    /// </summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The elements.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the element size.</exception>
    public MappedValueArray<T> AsArray(HeapSection heap)
    {
        HeapRef reference = HeapFieldAccess.ReadReference(_map, _offset);
        int count = HeapListAccess.Count(reference, heap, ElementSize, _fieldName);
        return new MappedValueArray<T>(heap.LiveMap, count == 0 ? 0 : heap.Locate(reference), count, _bigEndian);
    }

    /// <summary>The elements in place, read-only; see <see cref="AsArray"/>.</summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The elements.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the element size.</exception>
    public ReadOnlyMappedValueArray<T> AsReadOnlyArray(HeapSection heap) => AsArray(heap).AsReadOnly();

    /// <summary>A copy of the elements.</summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The elements; empty for the null reference.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the element size.</exception>
    public T[] ToArray(HeapSection heap) => AsArray(heap).ToArray();

    /// <summary>
    /// Reads the elements in place: <paramref name="body"/> gets them with the map pinned (no resize,
    /// move or close meanwhile), and the span cannot outlive it.
    /// </summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="heap">The heap the reference points into.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the element size.</exception>
    public TResult Pin<TResult>(HeapSection heap, Func<ReadOnlyMappedValueSpan<T>, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(heap);
        ArgumentNullException.ThrowIfNull(body);
        HeapRef reference = HeapFieldAccess.ReadReference(_map, _offset);
        int count = HeapListAccess.Count(reference, heap, ElementSize, _fieldName);
        bool bigEndian = _bigEndian;
        return heap.Pin(reference, bytes => body(new ReadOnlyMappedValueSpan<T>(bytes, count, bigEndian)));
    }

    /// <summary>
    /// Stores <paramref name="values"/> in <paramref name="heap"/> and the reference in the record,
    /// then frees the old list's bytes. An empty list stores the null reference.
    /// </summary>
    /// <param name="heap">The heap.</param>
    /// <param name="values">The elements.</param>
    /// <exception cref="ArgumentOutOfRangeException">The list's bytes exceed what a heap value holds.</exception>
    /// <exception cref="InvalidDataException">The old reference is outside the heap or names no allocated block: nothing is written.</exception>
    public void Write(HeapSection heap, ReadOnlySpan<T> values) =>
        HeapFieldAccess.Replace(_map, _offset, heap, Encode(values, _bigEndian, _fieldName));

    /// <summary>The bytes of <paramref name="values"/> as a list stores them: each element in the field's byte order.</summary>
    /// <param name="values">The elements.</param>
    /// <param name="bigEndian">Whether elements are stored big-endian.</param>
    /// <param name="fieldName">The field, for the message.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The list's bytes exceed what a heap value holds.</exception>
    public static unsafe byte[] Encode(ReadOnlySpan<T> values, bool bigEndian, string fieldName)
    {
        long length = (long)values.Length * sizeof(T);
        if (length > HeapListAccess.MaximumBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"{fieldName}: {values.Length} elements are {length} bytes; a heap value holds at most {HeapListAccess.MaximumBytes}.");
        }

        byte[] bytes = new byte[length];
        for (int i = 0; i < values.Length; i++)
        {
            T value = values[i];
            if (typeof(T) == typeof(bool))
            {
                bytes[i] = *(byte*)&value != 0 ? (byte)1 : (byte)0;
                continue;
            }

            MemoryMarshal.Write(bytes.AsSpan(i * sizeof(T)), ByteOrder.Convert(value, bigEndian));
        }

        return bytes;
    }

    private static unsafe int ElementSize => sizeof(T);
}
