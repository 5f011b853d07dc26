namespace Overlay.Generators.Model;

/// <summary>An <c>[UpgradeConverter]</c> method of a layout, for <c>LayoutInfo.UpgradeConverters</c>.</summary>
/// <param name="FieldName">The field it converts, as metadata spells it.</param>
/// <param name="Method">The method as a C# identifier (<c>@</c>-escaped when a keyword).</param>
/// <param name="ReturnsValue">
/// True when it returns the field's value (<c>T M(StoredRecord)</c>), which the generated code stores;
/// false when it writes the field's bytes itself (<c>void M(StoredRecord, Span&lt;byte&gt;)</c>).
/// </param>
internal sealed record ConverterSpec(string FieldName, string Method, bool ReturnsValue);
