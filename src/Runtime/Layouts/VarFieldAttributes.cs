using System;

namespace Overlay.Layouts;

/// <summary>
/// A UTF-8 string of any length, stored in a heap section of the container; the record holds a
/// 12-byte heap reference (docs/formats.md §1.3). Views hand out a <see cref="HeapStringField"/>,
/// which reads and writes it given the heap.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class VarStringAttribute : Attribute;

/// <summary>
/// Bytes of any length (a blob), stored in a heap section of the container; the record holds a
/// 12-byte heap reference. Views hand out a <see cref="HeapBytesField"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class VarBytesAttribute : Attribute;

/// <summary>
/// A list of any length, stored in a heap section of the container; the record holds a 12-byte
/// heap reference to <c>count × element size</c> bytes (docs/formats.md §1.3). The field's type is
/// an array of a primitive, an enum, or a fixed-size <c>[MappedLayout]</c> struct. Views hand out a
/// <see cref="HeapListField{T}"/> (primitives and enums, in the field's byte order) or a
/// <see cref="HeapLayoutListField{T, TView}"/> (layouts).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class VarListAttribute : Attribute;
