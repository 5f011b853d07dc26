namespace Overlay.Schemas;

/// <summary>One difference between a stored schema and the current layout.</summary>
/// <param name="Field">The field's name; a dotted path inside nested layouts (<c>Position.X</c>); empty for the record itself.</param>
/// <param name="Change">What changed.</param>
/// <param name="IsCompatible">
/// True when records can still be read without migration: an appended field past the other
/// side's end, or the record's size growing or shrinking with it (SBE's append-only rule).
/// </param>
/// <param name="Description">The difference in words, naming the field, both sides and why it is or is not compatible.</param>
public sealed record SchemaDifference(string Field, SchemaChange Change, bool IsCompatible, string Description)
{
    /// <inheritdoc/>
    public override string ToString() => Description;
}
