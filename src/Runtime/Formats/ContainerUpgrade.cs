using System;
using System.Collections.Generic;
using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Formats;

/// <summary>
/// What <see cref="MappedContainer.Upgrade"/> converts: records sections and the layout each
/// becomes, with the user's conversions for fields that could lose values. Sections not named
/// are copied as they are.
/// </summary>
public sealed class ContainerUpgrade
{
    internal Dictionary<string, Target> Targets { get; } = new(StringComparer.Ordinal);

    /// <summary>Converts the records section <paramref name="section"/> into <typeparamref name="TRecord"/>'s layout.</summary>
    /// <typeparam name="TRecord">The current layout.</typeparam>
    /// <param name="section">The section's name.</param>
    /// <param name="converters">Conversions by field name of <typeparamref name="TRecord"/>, for narrowing or kind changes.</param>
    /// <returns>This, to chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="ArgumentException">The section is already named.</exception>
    public ContainerUpgrade Records<TRecord>(string section, IReadOnlyDictionary<string, FieldConverter>? converters = null)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!Targets.TryAdd(section, new Target(TRecord.LayoutInfo, converters)))
        {
            throw new ArgumentException($"Section '{section}' is already in the upgrade.", nameof(section));
        }

        return this;
    }

    internal sealed record Target(LayoutInfo Layout, IReadOnlyDictionary<string, FieldConverter>? Converters);
}
