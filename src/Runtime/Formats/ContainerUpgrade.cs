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
    /// <param name="converters">Conversions by field name of <typeparamref name="TRecord"/>, for narrowing or kind changes; merged with those <typeparamref name="TRecord"/> declares (<c>[UpgradeConverter]</c>), these winning field by field.</param>
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

    /// <summary>
    /// Names the heap the <c>[VarList]</c> fields of <paramref name="section"/>'s records point into,
    /// for lists whose elements change type (they are rewritten in it). Needed only when the
    /// container has more than one heap; with one, that one is used.
    /// </summary>
    /// <param name="section">A records section named by <see cref="Records{TRecord}"/>.</param>
    /// <param name="heap">The heap section's name.</param>
    /// <returns>This, to chain.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The section's heap is already named.</exception>
    public ContainerUpgrade ListHeap(string section, string heap)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(heap);
        if (!ListHeaps.TryAdd(section, heap))
        {
            throw new ArgumentException($"The heap of section '{section}' is already named.", nameof(section));
        }

        return this;
    }

    internal Dictionary<string, string> ListHeaps { get; } = new(StringComparer.Ordinal);

    internal sealed record Target(LayoutInfo Layout, IReadOnlyDictionary<string, FieldConverter>? Converters);
}
