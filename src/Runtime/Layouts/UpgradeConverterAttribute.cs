using System;

namespace Overlay.Layouts;

/// <summary>
/// Marks a static method of a <see cref="MappedLayoutAttribute"/> struct as the conversion of the
/// field <see cref="Field"/> when a file written by an earlier version of the layout is upgraded
/// (<c>RecordFile.Upgrade</c>, <c>MappedContainer.Upgrade</c>, <c>overlay upgrade</c>): the
/// user-written conversion a narrowing or a kind change needs, which <c>Upgrade</c> never does on
/// its own. The generator lists these methods in the layout's
/// <see cref="LayoutInfo.UpgradeConverters"/>, so the runtime finds them without reflection.
/// </summary>
/// <remarks>
/// The method takes the stored record and either returns the field's value
/// (<c>static byte Level(StoredRecord old)</c>, for primitive, enum, <see cref="Guid"/>, fixed-string
/// and nested-layout fields: the generated code stores it in the field's byte order) or writes the
/// field's bytes itself, as a <see cref="Overlay.Schemas.FieldConverter"/> does
/// (<c>static void Level(StoredRecord old, Span&lt;byte&gt; field)</c>). Misuse is a build error:
/// OVL130 (no such field), OVL131 (wrong signature), OVL132 (two converters for one field).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class UpgradeConverterAttribute : Attribute
{
    /// <summary>Declares the method as the conversion of <paramref name="field"/>.</summary>
    /// <param name="field">The name of the field (of the current layout) the method writes; <c>nameof(Field)</c>.</param>
    public UpgradeConverterAttribute(string field) => Field = field;

    /// <summary>The name of the field the method writes.</summary>
    public string Field { get; }
}
