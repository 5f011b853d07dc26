using System;
using System.Buffers;
using System.ComponentModel;
using System.IO;
using System.Text;
using System.Text.Unicode;

namespace Overlay.Layouts.Support;

/// <summary>
/// Reads and writes zero-padded fixed-length strings in a map or a span; called by generated views and refs.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FixedStrings
{
    // Strict both ways: reads are validated before decoding, and a string with a lone surrogate is
    // refused by Validate instead of being stored as U+FFFD.
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the string stored in <c>[offset, offset + length)</c>: the bytes before the first zero,
    /// decoded strictly, so that storing the string again writes the same bytes.
    /// </summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <param name="length">The field's size in bytes.</param>
    /// <param name="encoding">How the bytes are encoded.</param>
    /// <param name="fieldName">The field's name for the message, as <c>Layout.Field</c>.</param>
    /// <returns>The string.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map, or <paramref name="length"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The bytes are not valid UTF-8 (for ASCII: hold a byte above 0x7F), or a non-zero byte follows the zero that ends the text.</exception>
    public static string Read(MemoryMap map, long offset, int length, FixedStringEncoding encoding, string fieldName)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        byte[]? rented = null;
        Span<byte> buffer = length <= 256 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            map.ReadAt(offset, buffer);
            return Read(buffer, encoding, fieldName);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Reads the string stored in <paramref name="field"/>: the bytes before the first zero, decoded
    /// strictly, so that storing the string again writes the same bytes. Generated <c>Ref</c>s call this.
    /// </summary>
    /// <param name="field">The field's bytes.</param>
    /// <param name="encoding">How the bytes are encoded.</param>
    /// <param name="fieldName">The field's name for the message, as <c>Layout.Field</c>.</param>
    /// <returns>The string.</returns>
    /// <exception cref="InvalidDataException">The bytes are not valid UTF-8 (for ASCII: hold a byte above 0x7F), or a non-zero byte follows the zero that ends the text.</exception>
    public static string Read(ReadOnlySpan<byte> field, FixedStringEncoding encoding, string fieldName)
    {
        // Refuse rather than replace: U+FFFD or '?' for a byte the file holds would make a Store of
        // what was read rewrite the file's bytes, silently. The raw bytes stay readable through
        // the map (docs/layouts.md, "Fixed strings").
        int end = field.IndexOf((byte)0);
        ReadOnlySpan<byte> text = end < 0 ? field : field[..end];
        if (encoding == FixedStringEncoding.Ascii)
        {
            int high = text.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (high >= 0)
            {
                throw new InvalidDataException($"{fieldName} is ASCII but holds byte 0x{text[high]:X2} at byte {high} of its {field.Length}.");
            }
        }
        else if (!Utf8.IsValid(text))
        {
            throw new InvalidDataException($"{fieldName} holds invalid UTF-8 at byte {FirstInvalidUtf8(text)} of its {field.Length}.");
        }

        if (end >= 0)
        {
            int stray = field[end..].IndexOfAnyExcept((byte)0);
            if (stray >= 0)
            {
                throw new InvalidDataException($"{fieldName} holds byte 0x{field[end + stray]:X2} at byte {end + stray} of its {field.Length}, after the zero that ends its text at byte {end}: a string cannot say it, and storing one would zero it.");
            }
        }

        return s_utf8.GetString(text);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        int at = 0;
        while (at < text.Length && Rune.DecodeFromUtf8(text[at..], out _, out int consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        return at;
    }

    /// <summary>
    /// Writes <paramref name="value"/> into <paramref name="field"/>, zero-padded; refused as
    /// <see cref="Write(MemoryMap, long, int, FixedStringEncoding, string?)"/> refuses, with nothing
    /// written. Generated <c>Ref</c>s call this.
    /// </summary>
    /// <param name="field">The field's bytes; its length is the field's size.</param>
    /// <param name="encoding">How to encode.</param>
    /// <param name="value">The string; null is stored as empty.</param>
    /// <exception cref="ArgumentException">The value does not fit, holds a NUL character or a lone surrogate, or is not ASCII for an ASCII field.</exception>
    public static void Write(Span<byte> field, FixedStringEncoding encoding, string? value)
    {
        value ??= string.Empty;
        Validate(value, field.Length, encoding, nameof(value));
        Encode(value, field);
    }

    /// <summary>
    /// Writes <paramref name="value"/> into <c>[offset, offset + length)</c>, zero-padded. A value
    /// that does not fit, holds a NUL, or (for ASCII) holds a non-ASCII character is refused and
    /// nothing is written.
    /// </summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <param name="length">The field's size in bytes.</param>
    /// <param name="encoding">How to encode.</param>
    /// <param name="value">The string; null is stored as empty.</param>
    /// <exception cref="ArgumentException">The value does not fit, holds a NUL character or a lone surrogate, or is not ASCII for an ASCII field.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map, or <paramref name="length"/> is negative.</exception>
    public static void Write(MemoryMap map, long offset, int length, FixedStringEncoding encoding, string? value)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        value ??= string.Empty;
        Validate(value, length, encoding, nameof(value));

        byte[]? rented = null;
        Span<byte> buffer = length <= 256 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            Encode(value, buffer);
            map.WriteAt(offset, buffer);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // value was validated: it fits.
    private static void Encode(string value, Span<byte> field)
    {
        int written = s_utf8.GetBytes(value, field);
        field[written..].Clear();
    }

    /// <summary>
    /// Throws what <see cref="Write(MemoryMap, long, int, FixedStringEncoding, string?)"/> would throw for <paramref name="value"/>: generated
    /// <c>Store</c> methods check every string before writing anything.
    /// </summary>
    /// <param name="value">The string; null is stored as empty.</param>
    /// <param name="length">The field's size in bytes.</param>
    /// <param name="encoding">How the field is encoded.</param>
    /// <param name="paramName">The name to report (the field's, from generated code).</param>
    /// <exception cref="ArgumentException">The value does not fit, holds a NUL character or a lone surrogate, or is not ASCII for an ASCII field.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static void Validate(string? value, int length, FixedStringEncoding encoding, string? paramName = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        value ??= string.Empty;
        if (value.Contains('\0'))
        {
            throw new ArgumentException("A fixed string cannot hold a NUL character: NUL marks its end.", paramName);
        }

        if (encoding == FixedStringEncoding.Ascii && !Ascii.IsValid(value))
        {
            throw new ArgumentException($"The field is ASCII but \"{value}\" holds other characters.", paramName);
        }

        int byteCount;
        try
        {
            byteCount = s_utf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"\"{value}\" holds a lone surrogate, which has no UTF-8 form; nothing was written.", paramName);
        }

        if (byteCount > length)
        {
            throw new ArgumentException($"\"{value}\" needs {byteCount} bytes but the field holds {length}; nothing was written.", paramName);
        }
    }
}
