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
