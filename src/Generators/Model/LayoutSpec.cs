using System.Linq;

namespace Overlay.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one layout: names as strings, sizes and offsets as
/// numbers. No symbols, syntax or locations, so equal layouts compare equal across compilations.
/// </summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the layout is nested in, outermost first.</param>
/// <param name="TypeName">The struct's name (with its keyword in <paramref name="Keyword"/>).</param>
/// <param name="Keyword">The declaration keyword: <c>struct</c> or <c>record struct</c>.</param>
/// <param name="FullyQualifiedName">The type as <c>global::Ns.Outer.Name</c>.</param>
/// <param name="DisplayName">The type as <c>Ns.Outer.Name</c>, for <c>LayoutInfo.Name</c>.</param>
/// <param name="SizeInBytes">The record's size.</param>
/// <param name="Fingerprint">The layout fingerprint.</param>
/// <param name="Fields">The fields in declaration order.</param>
internal sealed record LayoutSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeName,
    string Keyword,
    string FullyQualifiedName,
    string DisplayName,
    int SizeInBytes,
    ulong Fingerprint,
    EquatableArray<FieldSpec> Fields)
{
    /// <summary>The layout's declared version (<c>[MappedLayout(Version = N)]</c>), for <c>LayoutInfo.Version</c>; 0 when none.</summary>
    public int Version { get; init; }

    /// <summary>The layout's <c>[UpgradeConverter]</c> methods, in source order, for <c>LayoutInfo.UpgradeConverters</c>.</summary>
    public EquatableArray<ConverterSpec> Converters { get; init; } = EquatableArray<ConverterSpec>.Empty;

    /// <summary>
    /// Whether the layout's bytes are the struct's in-memory bytes on a little-endian machine (see
    /// <c>LayoutParser.IsInMemoryLayout</c>): the layout then implements <c>IMappedLayout.HasInMemoryLayout</c>.
    /// </summary>
    public bool HasInMemoryLayout { get; init; }

    /// <summary>The generated file's hint name: the display name, unique per type.</summary>
    public string HintName => DisplayName + ".g.cs";

    /// <summary>Whether any field is a <c>[VarString]</c>, <c>[VarBytes]</c> or <c>[VarList]</c> (its Load and Store need a heap).</summary>
    public bool HasVariableFields => Fields.Any(f => f.IsVariable);

    /// <summary>
    /// Whether a field takes <paramref name="name"/>: then the generator does not emit its own member
    /// of that name (the field wins, as a member declared in a C# record replaces the one the
    /// compiler would synthesize) and its code reaches that member another way.
    /// </summary>
    /// <param name="name">A generated member's name.</param>
    /// <returns>True when a field has that name.</returns>
    public bool Takes(string name)
    {
        foreach (FieldSpec field in Fields)
        {
            if (field.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A type that contains a layout.</summary>
/// <param name="Keyword">Its declaration keyword: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">Its name.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name);
