using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Overlay.Generators.Diagnostics;

/// <summary>
/// Every layout diagnostic (<c>OVL1xx</c>). The parser records ids and arguments; the analyzer in
/// <c>Overlay.Analyzers</c> reports them with these descriptors. Each id has a page under
/// <c>docs/diagnostics/</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Overlay.Layout";
    private const string HelpLinkBase = "https://overlay.github.io/overlay/diagnostics/"; // the site docs/docfx.json builds (sitemap.baseUrl)

    public static readonly DiagnosticDescriptor NotPartial = new(
        id: "OVL101",
        title: "Layout is not partial",
        messageFormat: "Layout '{0}' must be declared partial so the generator can add its views",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL101.html");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        id: "OVL102",
        title: "Type containing a layout is not partial",
        messageFormat: "Layout '{0}' is nested in '{1}', which must be declared partial",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL102.html");

    public static readonly DiagnosticDescriptor UnsupportedFieldType = new(
        id: "OVL103",
        title: "Unsupported layout field type",
        messageFormat: "Field '{0}' has type '{1}', which a layout cannot hold: {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL103.html");

    public static readonly DiagnosticDescriptor OverlappingFields = new(
        id: "OVL104",
        title: "Layout fields overlap",
        messageFormat: "Field '{0}' (bytes {1} to {2}) overlaps field '{3}' (bytes {4} to {5})",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL104.html");

    public static readonly DiagnosticDescriptor FieldPastSize = new(
        id: "OVL105",
        title: "Layout field past the declared Size",
        messageFormat: "Field '{0}' ends at byte {1}, past the layout's declared Size of {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL105.html");

    public static readonly DiagnosticDescriptor MissingLength = new(
        id: "OVL106",
        title: "Fixed string or array without a positive length",
        messageFormat: "Field '{0}' {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL106.html");

    public static readonly DiagnosticDescriptor LayoutCycle = new(
        id: "OVL107",
        title: "Layout contains itself",
        messageFormat: "Field '{0}' makes layout '{1}' contain itself ({2})",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL107.html");

    public static readonly DiagnosticDescriptor GenericLayout = new(
        id: "OVL108",
        title: "Layout is generic",
        messageFormat: "Layout '{0}' cannot be generic or nested in a generic type: its size and fields must be known at compile time",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL108.html");

    public static readonly DiagnosticDescriptor ReservedFieldName = new(
        id: "OVL109",
        title: "Layout field has a name C# or the generated types forbid",
        messageFormat: "Field '{0}' cannot have this name: {1}; rename it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL109.html");

    public static readonly DiagnosticDescriptor NegativeOffset = new(
        id: "OVL110",
        title: "Negative field offset",
        messageFormat: "Field '{0}' has offset {1}; offsets cannot be negative",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL110.html");

    public static readonly DiagnosticDescriptor ReadOnlyField = new(
        id: "OVL111",
        title: "Layout field is readonly",
        messageFormat: "{0} '{1}' is readonly, but the generated Load assigns every field of a layout: remove 'readonly'",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL111.html");

    public static readonly DiagnosticDescriptor FixedAttributeOnWrongType = new(
        id: "OVL112",
        title: "[FixedString] or [FixedArray] on a field of the wrong type",
        messageFormat: "Field '{0}' has type '{1}', but [{2}] applies only to {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL112.html");

    public static readonly DiagnosticDescriptor EmptyLayout = new(
        id: "OVL113",
        title: "Layout has no bytes",
        messageFormat: "Layout '{0}' has no instance fields and no Size; a record must be at least one byte long",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL113.html");

    public static readonly DiagnosticDescriptor SizeOutOfRange = new(
        id: "OVL114",
        title: "Layout Size out of range",
        messageFormat: "Layout '{0}' declares Size = {1}; Size must be between 1 and {2}, or left out to end at the last field",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL114.html");

    public static readonly DiagnosticDescriptor FieldPastMaxSize = new(
        id: "OVL115",
        title: "Layout field past the largest record size",
        messageFormat: "Field '{0}' ends at byte {1}, past the largest record a layout can describe ({2} bytes)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL115.html");

    public static readonly DiagnosticDescriptor ConflictingByteOrder = new(
        id: "OVL116",
        title: "Both [BigEndian] and [LittleEndian]",
        messageFormat: "{0} '{1}' has both [BigEndian] and [LittleEndian]; keep one",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL116.html");

    public static readonly DiagnosticDescriptor VariableFieldMisuse = new(
        id: "OVL117",
        title: "Variable-length field attribute misused",
        messageFormat: "Field '{0}' {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL117.html");

    public static readonly DiagnosticDescriptor VarListElementUnsupported = new(
        id: "OVL125",
        title: "Unsupported [VarList] element type",
        messageFormat: "Field '{0}' is a [VarList] of '{1}': {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL125.html");

    public static readonly DiagnosticDescriptor AtomicFieldMisaligned = new(
        id: "OVL120",
        title: "[Atomic] field not naturally aligned",
        messageFormat: "[Atomic] field '{0}' is not naturally aligned: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL120.html");

    public static readonly DiagnosticDescriptor AtomicFieldMisuse = new(
        id: "OVL121",
        title: "[Atomic] on a field that cannot be atomic",
        messageFormat: "Field '{0}' {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL121.html");

    public static readonly DiagnosticDescriptor UpgradeConverterUnknownField = new(
        id: "OVL130",
        title: "[UpgradeConverter] names no field of the layout",
        messageFormat: "[UpgradeConverter] method '{0}' converts '{1}', which is not a field of layout '{2}'",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL130.html");

    public static readonly DiagnosticDescriptor UpgradeConverterSignature = new(
        id: "OVL131",
        title: "[UpgradeConverter] method with the wrong signature",
        messageFormat: "Method '{0}' cannot convert field '{1}': {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL131.html");

    public static readonly DiagnosticDescriptor UpgradeConverterDuplicate = new(
        id: "OVL132",
        title: "Two [UpgradeConverter] methods for one field",
        messageFormat: "Field '{0}' already has the upgrade converter '{1}': '{2}' would be a second one",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "OVL132.html");

    /// <summary>Every descriptor, for <c>SupportedDiagnostics</c>.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        NotPartial,
        ContainingTypeNotPartial,
        UnsupportedFieldType,
        OverlappingFields,
        FieldPastSize,
        MissingLength,
        LayoutCycle,
        GenericLayout,
        ReservedFieldName,
        NegativeOffset,
        ReadOnlyField,
        FixedAttributeOnWrongType,
        EmptyLayout,
        SizeOutOfRange,
        FieldPastMaxSize,
        ConflictingByteOrder,
        VariableFieldMisuse,
        VarListElementUnsupported,
        AtomicFieldMisaligned,
        AtomicFieldMisuse,
        UpgradeConverterUnknownField,
        UpgradeConverterSignature,
        UpgradeConverterDuplicate);

    /// <summary>The descriptor with <paramref name="id"/>, or null.</summary>
    /// <param name="id">An <c>OVL1xx</c> id.</param>
    /// <returns>The descriptor.</returns>
    public static DiagnosticDescriptor? Find(string id)
    {
        foreach (DiagnosticDescriptor descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        return null;
    }
}
