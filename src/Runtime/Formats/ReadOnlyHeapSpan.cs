using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Overlay.Formats;

/// <summary>
/// A whole <see cref="HeapSection"/> pinned in place for one callback
/// (<see cref="HeapSection.PinReadOnly{TResult}(Func{ReadOnlyHeapSpan, TResult})"/>): a pinned record loop
/// follows each record's <see cref="HeapRef"/> to its bytes with one bounds check and no call, the
/// heap's counterpart of <see cref="Layouts.ReadOnlyMappedSpan{TRef}"/>.
/// </summary>
/// <remarks>
/// A <c>ref struct</c>, so it cannot outlive the callback that received it: the map cannot be
/// resized, moved or closed meanwhile. Every reference is checked against the heap's length as
/// <see cref="HeapSection.Pin{TResult}(HeapRef, Func{ReadOnlySpan{byte}, TResult})"/> checks it, so a
/// reference read from a hostile file throws <see cref="InvalidDataException"/>, never reads outside
/// the heap. Heaps over 2 GiB are fine: only each value must fit a span.
/// </remarks>
public readonly ref struct ReadOnlyHeapSpan
{
    private readonly ref readonly byte _start;
    private readonly long _length;
    private readonly HeapSection _heap;

    internal ReadOnlyHeapSpan(ref readonly byte start, long length, HeapSection heap)
    {
        _start = ref start;
        _length = length;
        _heap = heap;
    }

    /// <summary>The heap's length in bytes (its used part, which every reference must lie in).</summary>
    public long Length => _length;

    /// <summary>The value's bytes in place; empty for the null reference.</summary>
    /// <param name="reference">A reference into this heap, typically read from a pinned record.</param>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    public ReadOnlySpan<byte> this[HeapRef reference]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (!HeapSection.IsInside(reference, _length))
            {
                if (reference.IsNull)
                {
                    return default;
                }

                ThrowOutside(reference);
            }

            return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref Unsafe.AsRef(in _start), (nint)reference.Offset), reference.Length);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOutside(HeapRef reference)
    {
        string why = $"it is not inside the heap's {_length} bytes";
        throw _heap is null
            ? new InvalidDataException($"Heap reference (offset {reference.Offset}, length {reference.Length}) is invalid: {why} (an empty ReadOnlyHeapSpan).")
            : _heap.Invalid(reference, why);
    }

    /// <summary>A value decoded as UTF-8 (strict: invalid UTF-8 throws, as the string fields do).</summary>
    /// <param name="reference">A reference into this heap.</param>
    /// <returns>The string; empty for the null reference.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap, or the bytes are not UTF-8.</exception>
    public string GetString(HeapRef reference)
    {
        ReadOnlySpan<byte> bytes = this[reference];
        try
        {
            return HeapSection.Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"Heap reference (offset {reference.Offset}, length {reference.Length}) holds invalid UTF-8 at byte {e.Index} of its {bytes.Length}.", e);
        }
    }
}
