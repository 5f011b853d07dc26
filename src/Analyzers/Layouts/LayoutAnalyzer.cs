using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Overlay.Generators.Diagnostics;
using Overlay.Generators.Model;
using Overlay.Generators.Parsing;

namespace Overlay.Analyzers.Layouts;

/// <summary>
/// Reports the layout diagnostics (<c>OVL1xx</c>) that the generator's parser finds in
/// <c>[MappedLayout]</c> structs; the generator itself emits nothing for an invalid layout.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class LayoutAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            INamedTypeSymbol? attribute = start.Compilation.GetTypeByMetadataName(LayoutParser.MappedLayoutAttributeName);
            if (attribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(context => AnalyzeType(context, attribute), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol attribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Struct || !HasAttribute(type, attribute))
        {
            return;
        }

        LayoutParseResult result = LayoutParser.Parse(type, context.CancellationToken);
        foreach (DiagnosticInfo info in result.Diagnostics)
        {
            if (DiagnosticDescriptors.Find(info.Id) is { } descriptor)
            {
                context.ReportDiagnostic(Diagnostic.Create(descriptor, ToLocation(context.Compilation, info), [.. info.Arguments]));
            }
        }
    }

    private static bool HasAttribute(INamedTypeSymbol type, INamedTypeSymbol attribute)
    {
        foreach (AttributeData data in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    private static Location ToLocation(Compilation compilation, DiagnosticInfo info)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == info.FilePath)
            {
                return Location.Create(tree, info.Span);
            }
        }

        return info.FilePath.Length == 0 ? Location.None : Location.Create(info.FilePath, info.Span, info.LineSpan);
    }
}
