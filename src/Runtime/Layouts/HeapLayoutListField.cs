using System;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// A <c>[VarList]</c> field of a fixed-size layout: the 12-byte heap reference at a position of a
/// map, naming <c>count × T.SizeInBytes</c> bytes of the heap given on each access. The records are
/// read and written in place through a <see cref="MappedArray{TView}"/> over the heap's bytes,
/// copied out, or replaced as a whole.
/// </summary>
/// <typeparam name="T">The element layout.</typeparam>
/// <typeparam name="TView">Its <c>View</c> or <c>ReadOnlyView</c>.</typeparam>
public readonly struct HeapLayoutListField<T, TView>
    where T : struct, IMappedLayout<T>
    where TView : struct, IMappedView<TView>
{
    private readonly MemoryMap _map;
    private readonly long _offset;
    private readonly string _fieldName;

    /// <summary>The field whose reference is at <paramref name="offset"/> of <paramref name="map"/>.</summary>
    /// <param name="map">The map holding the record.</param>
    /// <param name="offset">Where the reference is.</param>
    /// <param name="fieldName">The field, for error messages (<c>Game.Save.Quests</c>).</param>
    public HeapLayoutListField(MemoryMap map, long offset, string fieldName)
    {
        _map = map;
        _offset = offset;
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

    /// <summary>The number of records.</summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The count; 0 for the null reference.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the record size.</exception>
    public int Count(HeapSection heap) => HeapListAccess.Count(HeapFieldAccess.ReadReference(_map, _offset), heap, T.SizeInBytes, _fieldName);

    /// <summary>
    /// The records in place: views over the heap's bytes whose every access is checked against the
    /// live mapping, so they throw (never read a dead copy) after the container is closed or the heap
    /// moved to grow.
    /// </summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The records.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the record size.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TView"/> is writable but the container is read-only.</exception>
    public MappedArray<TView> AsArray(HeapSection heap)
    {
        HeapRef reference = HeapFieldAccess.ReadReference(_map, _offset);
        int count = HeapListAccess.Count(reference, heap, T.SizeInBytes, _fieldName);
        return new MappedArray<TView>(heap.LiveMap, count == 0 ? 0 : heap.Locate(reference), count);
    }

    /// <summary>A copy of the records, each through the layout's <c>Load</c>.</summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The records; empty for the null reference.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the record size.</exception>
    public T[] ToArray(HeapSection heap)
    {
        ArgumentNullException.ThrowIfNull(heap);
        HeapRef reference = HeapFieldAccess.ReadReference(_map, _offset);
        int size = T.SizeInBytes;
        int count = HeapListAccess.Count(reference, heap, size, _fieldName);
        var result = new T[count];
        if (count == 0)
        {
            return result;
        }

        MemoryMap map = heap.LiveMap;
        long start = heap.Locate(reference);
        for (int i = 0; i < count; i++)
        {
            result[i] = T.Load(map, start + ((long)i * size));
        }

        return result;
    }

    /// <summary>
    /// Reads the records in place: <paramref name="body"/> gets their bytes (<c>Count × T.SizeInBytes</c>)
    /// with the map pinned (no resize, move or close meanwhile); wrap them in a
    /// <c>ReadOnlyMappedSpan&lt;T.ReadOnlyRef&gt;</c> to read them as records. The span cannot outlive the callback.
    /// </summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="heap">The heap the reference points into.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or its length is not a multiple of the record size.</exception>
    public TResult Pin<TResult>(HeapSection heap, Func<ReadOnlySpan<byte>, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(heap);
        ArgumentNullException.ThrowIfNull(body);
        HeapRef reference = HeapFieldAccess.ReadReference(_map, _offset);
        _ = HeapListAccess.Count(reference, heap, T.SizeInBytes, _fieldName);
        return heap.Pin(reference, body);
    }

    /// <summary>
    /// Stores <paramref name="values"/> in <paramref name="heap"/> and the reference in the record,
    /// then frees the old list's bytes. Every record is validated first; an empty list stores the null reference.
    /// </summary>
    /// <param name="heap">The heap.</param>
    /// <param name="values">The records.</param>
    /// <exception cref="ArgumentException">A record cannot be stored (its layout's <c>Validate</c>): nothing is written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The list's bytes exceed what a heap value holds.</exception>
    /// <exception cref="InvalidDataException">The old reference is outside the heap or names no allocated block: nothing is written.</exception>
    public void Write(HeapSection heap, ReadOnlySpan<T> values) =>
        HeapFieldAccess.Replace(_map, _offset, heap, Encode(values, _fieldName));

    /// <summary>The bytes of <paramref name="values"/> as a list stores them: each record through its layout's <c>Store</c>.</summary>
    /// <param name="values">The records.</param>
    /// <param name="fieldName">The field, for the message.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentException">A record cannot be stored.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The list's bytes exceed what a heap value holds.</exception>
    public static byte[] Encode(ReadOnlySpan<T> values, string fieldName)
    {
        int size = T.SizeInBytes;
        long length = (long)values.Length * size;
        if (length > HeapListAccess.MaximumBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"{fieldName}: {values.Length} records are {length} bytes; a heap value holds at most {HeapListAccess.MaximumBytes}.");
        }

        foreach (T value in values)
        {
            T.Validate(value);
        }

        byte[] bytes = new byte[length];
        for (int i = 0; i < values.Length; i++)
        {
            T.Store(bytes.AsSpan(i * size, size), values[i]);
        }

        return bytes;
    }
}
