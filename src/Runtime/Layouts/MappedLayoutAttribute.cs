using System;

namespace Overlay.Layouts;

/// <summary>
/// Marks a <c>partial struct</c> as a record layout over mapped memory. The Overlay generator adds
/// a <c>View</c> and a <c>ReadOnlyView</c> that read and write the mapped bytes directly,
/// <c>Load</c>/<c>Store</c>, <c>SizeInBytes</c>, field offsets, a layout fingerprint and a
/// <see cref="LayoutInfo"/>.
/// </summary>
/// <remarks>
/// Fields are little-endian unless <see cref="BigEndianAttribute"/> is on the layout or the field.
/// A field without <see cref="OffsetAttribute"/> starts where the previous field ended (no padding).
/// </remarks>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class MappedLayoutAttribute : Attribute
{
    /// <summary>
    /// The layout's size in bytes, reserved bytes included; 0 (the default) means the end of the
    /// last field. When given, every field must end within it.
    /// </summary>
    public int Size { get; set; }

    /// <summary>
    /// The layout's version (SBE's "acting version"): 0 (the default) for an unversioned layout.
    /// Declare a new, higher version when the layout changes in a way old files cannot be read
    /// through; the schema baseline (<c>Layouts.Baseline.txt</c>, docs/diagnostics/OVL201.md) then
    /// records the migration from the previous version. Stored in <see cref="LayoutInfo.Version"/>
    /// and in the schemas embedded in files; not part of the fingerprint (it names the bytes, it
    /// does not change them). Must not be negative (OVL210).
    /// </summary>
    public int Version { get; set; }
}

/// <summary>Places a layout field at a fixed byte offset from the start of the record.</summary>
/// <param name="offset">The offset in bytes; not negative.</param>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class OffsetAttribute(int offset) : Attribute
{
    /// <summary>The offset in bytes from the start of the record.</summary>
    public int Offset { get; } = offset;
}

/// <summary>The text encoding of a <see cref="FixedStringAttribute"/> field.</summary>
public enum FixedStringEncoding
{
    /// <summary>UTF-8 (the default).</summary>
    Utf8 = 0,

    /// <summary>7-bit ASCII: other characters are refused on write, and bytes above 0x7F on read.</summary>
    Ascii = 1,
}

/// <summary>
/// A <c>string</c> field stored in a fixed number of bytes, zero-padded. A string too long for
/// the field is refused on write with <see cref="ArgumentException"/> and nothing is written; bytes
/// that do not decode strictly (or non-zero bytes after the text's end) are refused on read with
/// <see cref="System.IO.InvalidDataException"/> naming the field, so a record read and stored back
/// keeps its bytes.
/// </summary>
/// <param name="length">The field's size in bytes; positive.</param>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class FixedStringAttribute(int length) : Attribute
{
    /// <summary>The field's size in bytes.</summary>
    public int Length { get; } = length;

    /// <summary>The encoding; UTF-8 unless set.</summary>
    public FixedStringEncoding Encoding { get; set; }
}

/// <summary>
/// An array field (<c>T[]</c>) of a fixed number of elements: primitives, enums or other layouts.
/// Views expose it as an indexable, bounds-checked accessor.
/// </summary>
/// <param name="length">The number of elements; positive.</param>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class FixedArrayAttribute(int length) : Attribute
{
    /// <summary>The number of elements.</summary>
    public int Length { get; } = length;
}

/// <summary>Stores the field (or, on a layout, every field without its own attribute) big-endian.</summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Field, Inherited = false)]
public sealed class BigEndianAttribute : Attribute
{
}

/// <summary>Stores the field little-endian (the default; use it to override a big-endian layout).</summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Field, Inherited = false)]
public sealed class LittleEndianAttribute : Attribute
{
}
