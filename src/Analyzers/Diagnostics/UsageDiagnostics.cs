using Microsoft.CodeAnalysis;

namespace Overlay.Analyzers.Diagnostics;

/// <summary>The descriptors of the usage rules OVL001–OVL006, in one place.</summary>
internal static class UsageDiagnostics
{
    public const string Category = "Overlay.Usage";

    public const string ReadOnlyWriteId = "OVL001";
    public const string ResizeReadOnlyOrCopyId = "OVL002";
    public const string AccessWithFlagsId = "OVL003";
    public const string UnalignedOffsetId = "OVL004";
    public const string PinRefOfAnotherLayoutId = "OVL005";
    public const string PinOnReadOnlyViewsId = "OVL006";

    /// <summary>Where the help page of a rule lives.</summary>
    public static string HelpLink(string id) => $"https://overlay.github.io/overlay/diagnostics/{id}.html"; // the site docs/docfx.json builds (sitemap.baseUrl)

    public static readonly DiagnosticDescriptor ReadOnlyWrite = new(
        ReadOnlyWriteId,
        title: "Write into a read-only memory map",
        messageFormat: "{0} writes into a read-only memory map (opened with {1}); it throws NotSupportedException at run time",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The map reaching this write was opened with MapAccess.Read, or with a protection that lacks MapProtection.Write, on every path. Open it with MapAccess.Write (or MapAccess.Copy for private changes), or do not write to it.",
        helpLinkUri: HelpLink(ReadOnlyWriteId));

    public static readonly DiagnosticDescriptor ResizeReadOnlyOrCopy = new(
        ResizeReadOnlyOrCopyId,
        title: "Resize of a read-only or copy-on-write memory map",
        messageFormat: "'Resize' of a memory map opened with {0} throws NotSupportedException at run time; only a map opened with MapAccess.Write can change size",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A map opened with MapAccess.Read or MapAccess.Copy cannot change size. Open it with MapAccess.Write to resize it and its file.",
        helpLinkUri: HelpLink(ResizeReadOnlyOrCopyId));

    // The same rules, reported from the compilation-end action (writes through readonly fields,
    // decided once every assignment of the field has been seen). The IDE runs compilation-end
    // actions only in a build or full-solution analysis, and needs the tag to know it.
    public static readonly DiagnosticDescriptor ReadOnlyWriteAtEnd = AtCompilationEnd(ReadOnlyWrite);
    public static readonly DiagnosticDescriptor ResizeReadOnlyOrCopyAtEnd = AtCompilationEnd(ResizeReadOnlyOrCopy);

    public static readonly DiagnosticDescriptor AccessWithFlags = new(
        AccessWithFlagsId,
        title: "MapAccess given together with flags or protection",
        messageFormat: "'access' is given together with '{0}'; the access mode already decides the flags and protection, so creating the map throws ArgumentException",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Give either an access mode or flags and protection. Remove the flags and protection, or pass MapAccess.Default.",
        helpLinkUri: HelpLink(AccessWithFlagsId));

    public static readonly DiagnosticDescriptor UnalignedOffset = new(
        UnalignedOffsetId,
        title: "Map offset negative or not a multiple of the allocation granularity",
        messageFormat: "Offset {0} {1}; a map offset must be a non-negative multiple of the allocation granularity (4096 bytes on Linux; Windows needs 65536), so creating the map throws {2}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A file offset must be a non-negative multiple of MemoryMap.AllocationGranularity: 4096 on Linux and macOS, 64 KiB on Windows. Round it down and skip the difference inside the map.",
        helpLinkUri: HelpLink(UnalignedOffsetId));

    public static readonly DiagnosticDescriptor PinRefOfAnotherLayout = new(
        PinRefOfAnotherLayoutId,
        title: "Pin with a Ref of another layout than the array's views",
        messageFormat: "'{0}' is a Ref of layout '{1}' but the {8} are of layout '{2}' (fingerprint 0x{3}, {4} bytes against 0x{5}, {6} bytes): '{7}' throws ArgumentException at run time",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "MappedArray<TView>.Pin and PinReadOnly accept only a Ref whose layout fingerprint and size are those of TView's layout, and MappedHashIndex<TKey, TValue>'s and MappedSortedIndex<TKey, TValue>'s only one of TValue's layout. Use the Ref (for Pin) or ReadOnlyRef (for PinReadOnly) nested in the same layout as the array's views or the index's values.",
        helpLinkUri: HelpLink(PinRefOfAnotherLayoutId));

    public static readonly DiagnosticDescriptor PinOnReadOnlyViews = new(
        PinOnReadOnlyViewsId,
        title: "Pin on an array of read-only views",
        messageFormat: "'Pin' hands out writable Refs but the {1} are read-only ('{0}'): it throws NotSupportedException at run time; use PinReadOnly",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An array of ReadOnlyView, or a hash or sorted index whose values are ReadOnlyViews, can only be pinned for reading. Call PinReadOnly with the layout's ReadOnlyRef, or make the array (or index) of the layout's View (from a writable map).",
        helpLinkUri: HelpLink(PinOnReadOnlyViewsId));

    private static DiagnosticDescriptor AtCompilationEnd(DiagnosticDescriptor rule) => new(
        rule.Id,
        rule.Title,
        rule.MessageFormat,
        rule.Category,
        rule.DefaultSeverity,
        rule.IsEnabledByDefault,
        rule.Description,
        rule.HelpLinkUri,
        WellKnownDiagnosticTags.CompilationEnd);
}
