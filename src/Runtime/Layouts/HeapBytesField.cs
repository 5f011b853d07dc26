using System;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// A <c>[VarBytes]</c> field of a record in a map: the 12-byte heap reference at a position of the
/// map, read and written through the heap it points into, given on each access.
/// </summary>
public readonly struct HeapBytesField
{
    private readonly MemoryMap _map;
    private readonly long _offset;

    /// <summary>The field whose reference is at <paramref name="offset"/> of <paramref name="map"/>.</summary>
    /// <param name="map">The map holding the record.</param>
    /// <param name="offset">Where the reference is.</param>
    public HeapBytesField(MemoryMap map, long offset)
    {
        _map = map;
        _offset = offset;
    }

    /// <summary>The stored reference, as the file holds it (not checked: the heap checks it on use).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The record is not inside the live mapping.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public HeapRef Reference
    {
        get => HeapFieldAccess.ReadReference(_map, _offset);
        set => HeapFieldAccess.WriteReference(_map, _offset, value);
    }

    /// <summary>A copy of the bytes.</summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The bytes; empty for the null reference.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    public byte[] ToArray(HeapSection heap) => HeapFieldAccess.ReadBytes(_map, _offset, heap);

    /// <summary>
    /// Reads the bytes in place: <paramref name="body"/> gets them with the map pinned (no resize or
    /// close meanwhile), and the span cannot outlive it.
    /// </summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="heap">The heap the reference points into.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    public TResult Pin<TResult>(HeapSection heap, Func<ReadOnlySpan<byte>, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(heap);
        return heap.Pin(Reference, body);
    }

    /// <summary>Stores a copy of <paramref name="value"/> in <paramref name="heap"/>, then frees the old value's bytes.</summary>
    /// <param name="heap">The heap.</param>
    /// <param name="value">The bytes; empty stores the null reference.</param>
    /// <exception cref="InvalidDataException">The old reference is outside the heap or names no allocated block: nothing is written.</exception>
    public void Write(HeapSection heap, ReadOnlySpan<byte> value) => HeapFieldAccess.Replace(_map, _offset, heap, value);
}
