using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Overlay.Generators.Emitting;
using Overlay.Generators.Model;
using Overlay.Generators.Parsing;

namespace Overlay.Generators;

/// <summary>
/// Generates views, <c>Load</c>/<c>Store</c>, offsets, a fingerprint and a description for every
/// <c>[MappedLayout]</c> struct. Invalid layouts produce no code; their diagnostics come from the
/// <c>LayoutAnalyzer</c> in Overlay.Analyzers, which runs the same parser.
/// </summary>
[Generator(LanguageNames.CSharp)]
internal sealed class MappedLayoutGenerator : IIncrementalGenerator
{
    /// <summary>The tracking name of the step that produces layout specs.</summary>
    public const string LayoutSpecsStep = "LayoutSpecs";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<LayoutSpec> layouts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                LayoutParser.MappedLayoutAttributeName,
                static (node, _) => node is StructDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => context.TargetSymbol is INamedTypeSymbol type
                    ? LayoutParser.Parse(type, cancellationToken).Spec
                    : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(LayoutSpecsStep);

        context.RegisterSourceOutput(layouts, static (context, layout) =>
            context.AddSource(layout.HintName, LayoutEmitter.Emit(layout)));
    }
}
