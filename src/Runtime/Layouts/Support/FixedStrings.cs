using System;
using System.Buffers;
using System.ComponentModel;
using System.Text;

namespace Overlay.Layouts.Support;

/// <summary>
/// Reads and writes zero-padded fixed-length strings in a map or a span; called by generated views and refs.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FixedStrings
{
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Reads the string stored in <c>[offset, offset + length)</c>: the bytes before the first zero.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <param name="length">The field's size in bytes.</param>
    /// <param name="encoding">How the bytes are encoded. Invalid sequences read as U+FFFD.</param>
    /// <returns>The string.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map.</exception>
    public static string Read(MemoryMap map, long offset, int length, FixedStringEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(map);
        byte[]? rented = null;
        Span<byte> buffer = length <= 256 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            map.ReadAt(offset, buffer);
            return Read(buffer, encoding);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Reads the string stored in <paramref name="field"/>: the bytes before the first zero. Generated <c>Ref</c>s call this.</summary>
    /// <param name="field">The field's bytes.</param>
    /// <param name="encoding">How the bytes are encoded. Invalid sequences read as U+FFFD.</param>
    /// <returns>The string.</returns>
    public static string Read(ReadOnlySpan<byte> field, FixedStringEncoding encoding)
    {
        int end = field.IndexOf((byte)0);
        ReadOnlySpan<byte> text = end < 0 ? field : field[..end];
        return encoding == FixedStringEncoding.Ascii && text.ContainsAnyExceptInRange((byte)0, (byte)0x7F)
            ? Encoding.ASCII.GetString(text)
            : s_utf8.GetString(text);
    }

    /// <summary>
    /// Writes <paramref name="value"/> into <paramref name="field"/>, zero-padded; refused as
    /// <see cref="Write(MemoryMap, long, int, FixedStringEncoding, string?)"/> refuses, with nothing
    /// written. Generated <c>Ref</c>s call this.
    /// </summary>
    /// <param name="field">The field's bytes; its length is the field's size.</param>
    /// <param name="encoding">How to encode.</param>
    /// <param name="value">The string; null is stored as empty.</param>
    /// <exception cref="ArgumentException">The value does not fit, holds a NUL character, or is not ASCII for an ASCII field.</exception>
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
    /// <exception cref="ArgumentException">The value does not fit, holds a NUL character, or is not ASCII for an ASCII field.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map.</exception>
    public static void Write(MemoryMap map, long offset, int length, FixedStringEncoding encoding, string? value)
    {
        ArgumentNullException.ThrowIfNull(map);
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
    /// <exception cref="ArgumentException">The value does not fit, holds a NUL character, or is not ASCII for an ASCII field.</exception>
    public static void Validate(string? value, int length, FixedStringEncoding encoding, string? paramName = null)
    {
        value ??= string.Empty;
        if (value.Contains('\0'))
        {
            throw new ArgumentException("A fixed string cannot hold a NUL character: NUL marks its end.", paramName);
        }

        if (encoding == FixedStringEncoding.Ascii && !Ascii.IsValid(value))
        {
            throw new ArgumentException($"The field is ASCII but \"{value}\" holds other characters.", paramName);
        }

        int byteCount = s_utf8.GetByteCount(value);
        if (byteCount > length)
        {
            throw new ArgumentException($"\"{value}\" needs {byteCount} bytes but the field holds {length}; nothing was written.", paramName);
        }
    }
}
