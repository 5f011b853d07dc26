namespace Overlay.Generators.Model;

/// <summary>One field of a layout.</summary>
/// <param name="Name">The field's name as metadata spells it.</param>
/// <param name="Identifier">The name as a C# identifier (<c>@</c>-escaped when a keyword).</param>
/// <param name="Kind">What the field holds.</param>
/// <param name="Offset">Its offset in the record.</param>
/// <param name="SizeInBytes">Its size (all elements, for arrays).</param>
/// <param name="TypeName">
/// The C# type of the value, or of one element for arrays: a keyword for primitives,
/// <c>global::</c>-qualified otherwise.
/// </param>
/// <param name="IsBigEndian">Whether values are stored big-endian (false where byte order does not apply).</param>
/// <param name="Length">String bytes or array elements; 0 otherwise.</param>
/// <param name="ElementSize">The size of one array element; the field size otherwise.</param>
/// <param name="FingerprintType">The type's keyword in the fingerprint text (see docs/layouts.md).</param>
/// <param name="DisplayTypeName">
/// The type as people read it, for <c>LayoutInfo</c>: a keyword for primitives, <c>Game.Vec3</c>
/// (not <c>global::Game.Vec3</c>) otherwise.
/// </param>
internal sealed record FieldSpec(
    string Name,
    string Identifier,
    FieldKind Kind,
    int Offset,
    int SizeInBytes,
    string TypeName,
    bool IsBigEndian,
    int Length,
    int ElementSize,
    string FingerprintType,
    string DisplayTypeName)
{
    public int End => Offset + SizeInBytes;

    /// <summary>Whether the field is a <c>[VarList]</c> of layouts (its <see cref="TypeName"/> is the element layout).</summary>
    public bool IsLayoutList => Kind == FieldKind.VarList && FingerprintType.StartsWith("vlist(layout(", System.StringComparison.Ordinal);

    /// <summary>Whether the field is a heap reference (<c>[VarString]</c>, <c>[VarBytes]</c>, <c>[VarList]</c>): Load and Store need the heap.</summary>
    public bool IsVariable => Kind is FieldKind.VarString or FieldKind.VarBytes or FieldKind.VarList;

    /// <summary>The field's former names (<c>[FormerName]</c>), for <c>LayoutField.FormerNames</c>.</summary>
    public EquatableArray<string> FormerNames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// The field's <c>[DefaultValue]</c> as a C# expression of the field's value type (the enum's
    /// underlying integer for enums), for <c>LayoutField.DefaultValue</c>; null when none or invalid
    /// (OVL211 reports an invalid one).
    /// </summary>
    public string? DefaultValueExpression { get; init; }

    /// <summary>
    /// Whether the field is <c>[Atomic]</c>: views and refs get the members named by
    /// <see cref="AtomicMemberNames"/>. Not in the fingerprint: it does not change the bytes.
    /// </summary>
    public bool IsAtomic { get; init; }

    /// <summary>
    /// The prefixes of an <c>[Atomic]</c> field's generated members (<c>IncrementHits</c> for
    /// <c>Hits</c>); the last is the only one a read-only view or ref has.
    /// </summary>
    public static readonly string[] AtomicPrefixes = ["Add", "Increment", "Exchange", "CompareExchange", "VolatileRead"];

    /// <summary>The names of the members generated for an <c>[Atomic]</c> field named <paramref name="fieldName"/>.</summary>
    /// <param name="fieldName">The field's name as metadata spells it.</param>
    /// <returns>One name per prefix of <see cref="AtomicPrefixes"/>.</returns>
    public static string[] AtomicMemberNames(string fieldName)
    {
        var names = new string[AtomicPrefixes.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = AtomicPrefixes[i] + fieldName;
        }

        return names;
    }
}

/// <summary>The kinds of layout field; the names match <c>Overlay.Layouts.LayoutFieldKind</c>.</summary>
internal enum FieldKind
{
    Primitive,
    Enum,
    Guid,
    Utf8String,
    AsciiString,
    ValueArray,
    LayoutArray,
    Layout,
    VarString,
    VarBytes,
    VarList,
}
