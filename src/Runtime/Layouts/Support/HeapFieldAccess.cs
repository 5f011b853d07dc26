using System;
using System.ComponentModel;
using Overlay.Formats;

namespace Overlay.Layouts.Support;

/// <summary>
/// Reads and writes the 12-byte heap references of variable-length fields (docs/formats.md §1.3:
/// u64 heap offset of the payload, u32 length, little-endian; <c>(0, 0)</c> is null), through the
/// map's checked accessors. The heap checks every reference against its bounds before use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HeapFieldAccess
{
    private static readonly System.Text.UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The stored reference at <paramref name="offset"/>; not checked against any heap.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the reference is.</param>
    /// <returns>The reference.</returns>
    public static HeapRef ReadReference(MemoryMap map, long offset)
    {
        ArgumentNullException.ThrowIfNull(map);
        Span<byte> bytes = stackalloc byte[HeapRef.SizeInBytes];
        map.ReadAt(offset, bytes);
        return HeapRef.Read(bytes);
    }

    /// <summary>Stores <paramref name="reference"/> at <paramref name="offset"/>.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the reference is.</param>
    /// <param name="reference">The reference.</param>
    public static void WriteReference(MemoryMap map, long offset, HeapRef reference)
    {
        ArgumentNullException.ThrowIfNull(map);
        Span<byte> bytes = stackalloc byte[HeapRef.SizeInBytes];
        reference.Write(bytes);
        map.WriteAt(offset, bytes);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="value"/> has no UTF-8 form (a lone surrogate).</summary>
    /// <param name="value">The string; null stores as empty.</param>
    /// <param name="fieldName">The field, for the message.</param>
    public static void ValidateString(string? value, string fieldName)
    {
        try
        {
            _ = s_strict.GetByteCount(value ?? string.Empty);
        }
        catch (System.Text.EncoderFallbackException e)
        {
            throw new ArgumentException($"{fieldName}: the string holds a lone surrogate, which has no UTF-8 form.", fieldName, e);
        }
    }

    /// <summary>
    /// Appends the UTF-8 form of <paramref name="value"/> to a builder's heap, validated as it is
    /// encoded: a builder's <c>Store</c> calls it for its first variable-length field, instead of
    /// <see cref="ValidateString"/> and then <see cref="HeapWriter.AppendString"/>.
    /// </summary>
    /// <param name="heap">The builder's heap.</param>
    /// <param name="value">The string; null stores as empty.</param>
    /// <param name="fieldName">The field, for the message.</param>
    /// <returns>The reference to store in the record.</returns>
    /// <exception cref="ArgumentException">The string holds a lone surrogate; nothing is appended.</exception>
    public static HeapRef AppendString(HeapWriter heap, string? value, string fieldName)
    {
        ArgumentNullException.ThrowIfNull(heap);
        return heap.TryAppendString(value, out HeapRef reference)
            ? reference
            : throw new ArgumentException($"{fieldName}: the string holds a lone surrogate, which has no UTF-8 form.", fieldName);
    }

    /// <summary>The UTF-8 bytes a <c>[VarString]</c> stores for <paramref name="value"/>.</summary>
    /// <param name="value">The string; null stores as empty.</param>
    /// <param name="fieldName">The field, for the message.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentException">The string holds a lone surrogate.</exception>
    public static byte[] EncodeString(string? value, string fieldName)
    {
        try
        {
            return s_strict.GetBytes(value ?? string.Empty);
        }
        catch (System.Text.EncoderFallbackException e)
        {
            throw new ArgumentException($"{fieldName}: the string holds a lone surrogate, which has no UTF-8 form.", fieldName, e);
        }
    }

    /// <summary>A copy of the value the reference at <paramref name="offset"/> names in <paramref name="heap"/>.</summary>
    /// <param name="map">The map holding the reference.</param>
    /// <param name="offset">Where the reference is.</param>
    /// <param name="heap">The heap.</param>
    /// <returns>The bytes (empty for null).</returns>
    public static byte[] ReadBytes(MemoryMap map, long offset, HeapSection heap)
    {
        ArgumentNullException.ThrowIfNull(heap);
        return heap.ToArray(ReadReference(map, offset));
    }

    /// <summary>
    /// Replaces the values of a record's variable-length fields as one step (a layout's <c>Store</c>
    /// into a container): the old references are checked first (each freeable, no two naming one
    /// block), then every new value is allocated before any reference is written, so that one the
    /// heap cannot take (it cannot grow) frees those allocated before it and leaves the record, the
    /// heap's count and its values as they were; then the references are written and the old values freed.
    /// </summary>
    /// <param name="map">The map holding the record.</param>
    /// <param name="heap">The heap.</param>
    /// <param name="offsets">Where each field's reference is.</param>
    /// <param name="values">Each field's new bytes, in the order of <paramref name="offsets"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="System.IO.InvalidDataException">An old reference is outside the heap, names no allocated block, or names the block of another field: nothing is written.</exception>
    /// <exception cref="NotSupportedException">The map or the container is read-only.</exception>
    /// <exception cref="InvalidOperationException">The heap must grow while memory of the map is exported or pinned: nothing is written.</exception>
    public static void ReplaceAll(MemoryMap map, HeapSection heap, ReadOnlySpan<long> offsets, ReadOnlySpan<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(heap);
        if (offsets.Length != values.Length)
        {
            throw new ArgumentException($"{offsets.Length} fields and {values.Length} values.", nameof(values));
        }

        if (!map.CanWrite)
        {
            throw new NotSupportedException("The map is read-only.");
        }

        int count = offsets.Length;
        Span<HeapRef> old = count <= 16 ? stackalloc HeapRef[count] : new HeapRef[count];
        for (int i = 0; i < count; i++)
        {
            old[i] = ReadReference(map, offsets[i]);
            heap.EnsureFreeable(old[i]);
            for (int j = 0; j < i; j++)
            {
                // Freeing one block for two fields would fail on the second, after the first was replaced.
                if (!old[i].IsNull && old[j].Offset == old[i].Offset)
                {
                    throw heap.Invalid(old[i], "another field of the record names the same block");
                }
            }
        }

        Span<HeapRef> created = count <= 16 ? stackalloc HeapRef[count] : new HeapRef[count];
        int made = 0;
        try
        {
            for (; made < count; made++)
            {
                created[made] = heap.Allocate(values[made]);
            }
        }
        catch
        {
            // Freed now, reusable after the next commit: free space the format documents (§1.3) and compaction reclaims.
            for (int i = 0; i < made; i++)
            {
                heap.Free(created[i]);
            }

            throw;
        }

        for (int i = 0; i < count; i++)
        {
            WriteReference(map, offsets[i], created[i]);
        }

        for (int i = 0; i < count; i++)
        {
            heap.Free(old[i]);
        }
    }

    /// <summary>
    /// Replaces the value: allocates and fills the new one, stores its reference, then frees the old
    /// one. The old reference is checked first (<see cref="HeapSection.Free"/> would refuse it after
    /// the new one was written, leaving a record that no longer names what it did and a leaked block).
    /// </summary>
    /// <param name="map">The map holding the reference.</param>
    /// <param name="offset">Where the reference is.</param>
    /// <param name="heap">The heap.</param>
    /// <param name="value">The new bytes.</param>
    public static void Replace(MemoryMap map, long offset, HeapSection heap, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(heap);
        HeapRef old = ReadReference(map, offset);
        heap.EnsureFreeable(old);
        if (!map.CanWrite)
        {
            throw new NotSupportedException("The map is read-only.");
        }

        HeapRef created = heap.Allocate(value);
        WriteReference(map, offset, created);
        heap.Free(old);
    }
}
