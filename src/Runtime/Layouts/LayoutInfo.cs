using System.Collections.Generic;

namespace Overlay.Layouts;

/// <summary>
/// A layout's description, emitted by the generator as plain data so tools (inspectors, docs,
/// file dumpers) can read it without reflection.
/// </summary>
/// <param name="Name">The layout's fully qualified type name.</param>
/// <param name="SizeInBytes">The record's size in bytes.</param>
/// <param name="Fingerprint">The layout fingerprint.</param>
/// <param name="Fields">The fields in offset order.</param>
public sealed record LayoutInfo(string Name, int SizeInBytes, ulong Fingerprint, IReadOnlyList<LayoutField> Fields)
{
    /// <summary>
    /// The layout's declared version (SBE's "acting version"), stored with the layout's schema in
    /// files; 0 when the layout declares none.
    /// </summary>
    public int Version { get; init; }

    /// <summary>
    /// The conversions the layout declares for its fields (<see cref="UpgradeConverterAttribute"/>
    /// methods, listed by the generator), by field name; null when it declares none. Upgrading into
    /// this layout (<see cref="Overlay.Schemas.RecordConverter.Create"/>, and so <c>RecordFile.Upgrade</c>,
    /// <c>MappedContainer.Upgrade</c> and <c>overlay upgrade</c>) uses them for every field the caller
    /// passes no converter for: a converter passed explicitly wins, field by field. Code, not data:
    /// not stored in files, not in the fingerprint, null in a schema read from a file.
    /// </summary>
    public IReadOnlyDictionary<string, Overlay.Schemas.FieldConverter>? UpgradeConverters { get; init; }
}

/// <summary>One field of a <see cref="LayoutInfo"/>.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Offset">Its offset from the start of the record.</param>
/// <param name="SizeInBytes">Its size in bytes (all elements, for arrays).</param>
/// <param name="Kind">What kind of value it holds.</param>
/// <param name="TypeName">The C# type of the value (of one element, for arrays) as people write it: a keyword for primitives, <c>Game.Vec3</c> otherwise (namespace-qualified, without <c>global::</c>).</param>
/// <param name="IsBigEndian">Whether the value is stored big-endian.</param>
/// <param name="Length">The number of bytes of a string, or of elements of an array; 0 otherwise.</param>
/// <param name="Layout">The nested layout, for <see cref="LayoutFieldKind.Layout"/> fields and arrays of layouts.</param>
public sealed record LayoutField(
    string Name,
    int Offset,
    int SizeInBytes,
    LayoutFieldKind Kind,
    string TypeName,
    bool IsBigEndian,
    int Length = 0,
    LayoutInfo? Layout = null)
{
    /// <summary>
    /// The C# keyword of the integer an <see cref="LayoutFieldKind.Enum"/> field (or each element
    /// of an array of enums) is stored as: <c>byte</c>, <c>sbyte</c>, <c>short</c>, <c>ushort</c>,
    /// <c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>. Null for other fields. Schemas need it
    /// to compare and convert enums by value without the enum's type.
    /// </summary>
    public string? UnderlyingType { get; init; }

    /// <summary>
    /// The names the field had in earlier versions of the layout (<see cref="FormerNameAttribute"/>),
    /// newest first: <c>Upgrade</c> matches a stored field by its name or one of these. Null when none.
    /// </summary>
    public IReadOnlyList<string>? FormerNames { get; init; }

    /// <summary>
    /// The field's declared default (<c>[System.ComponentModel.DefaultValue]</c>), boxed as the type
    /// the field is stored as (an enum's underlying integer; a <c>string</c> for fixed strings); null
    /// when none. Code reading records written by an older layout, which lack the field, sees this
    /// value instead of zero (<c>RecordSection.Load</c>, <c>MappedContainer.Upgrade</c>:
    /// docs/formats.md §8.3). Not part of the fingerprint.
    /// </summary>
    public object? DefaultValue { get; init; }
}

/// <summary>The kinds of field a layout can hold.</summary>
public enum LayoutFieldKind
{
    /// <summary>A primitive: <c>bool</c>, integers, floating point, <c>Half</c>, <c>char</c>.</summary>
    Primitive,

    /// <summary>An enum, stored as its underlying type.</summary>
    Enum,

    /// <summary>A <see cref="System.Guid"/>, 16 bytes.</summary>
    Guid,

    /// <summary>A fixed-length UTF-8 string.</summary>
    Utf8String,

    /// <summary>A fixed-length ASCII string.</summary>
    AsciiString,

    /// <summary>A fixed-length array of primitives or enums.</summary>
    ValueArray,

    /// <summary>A fixed-length array of nested layouts.</summary>
    LayoutArray,

    /// <summary>A nested layout.</summary>
    Layout,

    /// <summary>A <c>[VarString]</c>: a 12-byte heap reference to UTF-8 bytes.</summary>
    VarString,

    /// <summary>A <c>[VarBytes]</c>: a 12-byte heap reference to bytes.</summary>
    VarBytes,

    /// <summary>
    /// A <c>[VarList]</c>: a 12-byte heap reference to <c>count × element size</c> bytes. The element
    /// is a primitive or enum (<see cref="LayoutField.TypeName"/>, <see cref="LayoutField.UnderlyingType"/>)
    /// or a layout (<see cref="LayoutField.Layout"/>).
    /// </summary>
    VarList,
}
