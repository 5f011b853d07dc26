using System;
using System.Collections.Generic;

namespace Overlay.Schemas;

/// <summary>
/// The converters an upgrade uses: those the current layout declares
/// (<see cref="Overlay.Layouts.LayoutInfo.UpgradeConverters"/>, from <c>[UpgradeConverter]</c>
/// methods), with the ones the caller passes on top, field by field (docs/formats.md §8.5).
/// </summary>
internal static class DeclaredConverters
{
    /// <summary>The merged converters; one of the two as it is when the other is null or empty.</summary>
    public static IReadOnlyDictionary<string, FieldConverter>? Merge(
        IReadOnlyDictionary<string, FieldConverter>? declared, IReadOnlyDictionary<string, FieldConverter>? passed)
    {
        if (declared is null || declared.Count == 0)
        {
            return passed;
        }

        if (passed is null || passed.Count == 0)
        {
            return declared;
        }

        var merged = new Dictionary<string, FieldConverter>(StringComparer.Ordinal);
        foreach ((string field, FieldConverter converter) in declared)
        {
            merged[field] = converter;
        }

        // The caller's converter replaces the layout's for the same field: code that upgrades knows
        // more (another source, a lookup table) than the layout could.
        foreach ((string field, FieldConverter converter) in passed)
        {
            merged[field] = converter;
        }

        return merged;
    }
}
