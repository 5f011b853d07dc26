using System;
using System.Buffers.Binary;
using System.Text;
using Overlay.Layouts;

namespace Overlay.Schemas;

/// <summary>
/// A record as a file stores it, read through its embedded schema by field name: what a
/// <see cref="FieldConverter"/> is handed, without the code of the layout that wrote it.
/// </summary>
public readonly ref struct StoredRecord
{
    internal StoredRecord(LayoutInfo layout, ReadOnlySpan<byte> bytes)
    {
        Layout = layout;
        Bytes = bytes;
    }

    /// <summary>The stored layout.</summary>
    public LayoutInfo Layout { get; }

    /// <summary>The record's bytes (the stored layout's size).</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The bytes of the field called <paramref name="name"/>.</summary>
    /// <param name="name">A field of <see cref="Layout"/>.</param>
    /// <returns>Its bytes.</returns>
    /// <exception cref="ArgumentException">The stored layout has no such field.</exception>
    public ReadOnlySpan<byte> Field(string name)
    {
        LayoutField field = Find(name);
        return Bytes.Slice(field.Offset, field.SizeInBytes);
    }

    /// <summary>An integer, enum or bool field's value, sign-extended from its stored width and byte order.</summary>
    /// <param name="name">A field of <see cref="Layout"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The stored layout has no such field, or it is not an integer.</exception>
    public long ReadInt64(string name)
    {
        LayoutField field = Find(name);
        int code = Code(field);
        if (!SchemaPrimitives.IsInteger(code) && code != 1)
        {
            throw new ArgumentException($"Stored field {name} is {SchemaComparison.Describe(field)}, not an integer.", nameof(name));
        }

        Span<byte> value = stackalloc byte[8];
        SchemaNumbers.Convert(Bytes.Slice(field.Offset), code == 1 ? 2 : code, field.IsBigEndian, value, 10, false);
        return BinaryPrimitives.ReadInt64LittleEndian(value);
    }

    /// <summary>A number field's value as a <see cref="double"/>.</summary>
    /// <param name="name">A field of <see cref="Layout"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The stored layout has no such field, or it is not a number.</exception>
    public double ReadDouble(string name)
    {
        LayoutField field = Find(name);
        int code = Code(field);
        if (!SchemaPrimitives.IsInteger(code) && !SchemaPrimitives.IsFloatingPoint(code))
        {
            throw new ArgumentException($"Stored field {name} is {SchemaComparison.Describe(field)}, not a number.", nameof(name));
        }

        Span<byte> value = stackalloc byte[8];
        SchemaNumbers.Convert(Bytes.Slice(field.Offset), code, field.IsBigEndian, value, 12, false);
        return BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(value));
    }

    /// <summary>A fixed string field's text, up to its first NUL.</summary>
    /// <param name="name">A field of <see cref="Layout"/>.</param>
    /// <returns>The text (invalid UTF-8 replaced by U+FFFD).</returns>
    /// <exception cref="ArgumentException">The stored layout has no such field, or it is not a string.</exception>
    public string ReadString(string name)
    {
        LayoutField field = Find(name);
        if (field.Kind is not (LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString))
        {
            throw new ArgumentException($"Stored field {name} is {SchemaComparison.Describe(field)}, not a string.", nameof(name));
        }

        ReadOnlySpan<byte> bytes = Bytes.Slice(field.Offset, field.SizeInBytes);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    internal static int Code(LayoutField field) => SchemaPrimitives.Code(field.Kind == LayoutFieldKind.Enum ? field.UnderlyingType : field.TypeName);

    private LayoutField Find(string name)
    {
        foreach (LayoutField field in Layout.Fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field;
            }
        }

        throw new ArgumentException($"The stored layout {Layout.Name} has no field {name}.", nameof(name));
    }
}
