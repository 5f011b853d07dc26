using System;
using System.IO;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// A <c>[VarString]</c> field of a record in a map: the 12-byte heap reference at a position of
/// the map, read and written through the heap it points into. The heap is given on each access
/// (docs/layouts.md, "Variable-length fields"): a view over a plain map has no heap, and a field
/// cannot be read without one.
/// </summary>
public readonly struct HeapStringField
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MemoryMap _map;
    private readonly long _offset;
    private readonly string _fieldName;

    /// <summary>The field whose reference is at <paramref name="offset"/> of <paramref name="map"/>.</summary>
    /// <param name="map">The map holding the record.</param>
    /// <param name="offset">Where the reference is.</param>
    /// <param name="fieldName">The field, for error messages (<c>Game.Player.Name</c>).</param>
    public HeapStringField(MemoryMap map, long offset, string fieldName)
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

    /// <summary>Decodes the string from <paramref name="heap"/>: strictly, as fixed strings are.</summary>
    /// <param name="heap">The heap the reference points into.</param>
    /// <returns>The string; empty for the null reference.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or the bytes are not UTF-8.</exception>
    public string Read(HeapSection heap)
    {
        byte[] bytes = HeapFieldAccess.ReadBytes(_map, _offset, heap);
        try
        {
            return s_strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{_fieldName} holds invalid UTF-8 at byte {e.Index} of its {bytes.Length}.", e);
        }
    }

    /// <summary>
    /// Stores <paramref name="value"/> in <paramref name="heap"/> and the reference in the record,
    /// then frees the old value's bytes. An empty or null string stores the null reference.
    /// </summary>
    /// <param name="heap">The heap.</param>
    /// <param name="value">The string.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> holds a lone surrogate (it has no UTF-8 form).</exception>
    /// <exception cref="InvalidDataException">The old reference is outside the heap or names no allocated block: nothing is written.</exception>
    public void Write(HeapSection heap, string? value)
    {
        byte[] bytes;
        try
        {
            bytes = s_strict.GetBytes(value ?? string.Empty);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"{_fieldName}: the string holds a lone surrogate, which has no UTF-8 form.", nameof(value), e);
        }

        HeapFieldAccess.Replace(_map, _offset, heap, bytes);
    }
}
