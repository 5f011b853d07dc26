namespace Overlay.Generators.Model;

/// <summary>What the parser found: the spec when the layout is valid, and its diagnostics.</summary>
/// <param name="Spec">The layout, or null when any diagnostic was found.</param>
/// <param name="Diagnostics">The problems, in source order.</param>
internal sealed record LayoutParseResult(LayoutSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
