using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Overlay.Generators.Model;
using Overlay.Generators.Parsing;

namespace Overlay.Analyzers.Baseline;

/// <summary>
/// Checks what a layout declares about its evolution, with or without a baseline: a negative
/// <c>Version</c> (OVL210) and a <c>[DefaultValue]</c> its field cannot hold (OVL211). The
/// generator leaves such values out of <c>LayoutInfo</c>; these errors keep the build from passing
/// with them.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class LayoutVersioningAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(BaselineDiagnostics.NegativeVersion, BaselineDiagnostics.BadDefaultValue);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(LayoutParser.MappedLayoutAttributeName) is null)
            {
                return;
            }

            start.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Struct || type.DeclaringSyntaxReferences.IsEmpty || LayoutParser.LayoutAttribute(type) is not { } attribute)
        {
            return;
        }

        if (LayoutParser.DeclaredVersion(attribute) is < 0 and int version)
        {
            context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.NegativeVersion, VersionLocation(attribute, type), type.ToDisplayString(), version.ToString(CultureInfo.InvariantCulture)));
        }

        // Defaults are checked against the parsed fields: an invalid layout has its own errors.
        LayoutSpec? spec = LayoutParser.Parse(type, context.CancellationToken).Spec;
        if (spec is null)
        {
            return;
        }

        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
        {
            FieldSpec? fieldSpec = spec.Fields.FirstOrDefault(f => f.Name == field.Name);
            if (fieldSpec is null || LayoutParser.DefaultValue(field, fieldSpec).Problem is not { } problem)
            {
                continue;
            }

            AttributeData data = LayoutParser.DefaultValueAttribute(field)!;
            Location location = data.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? field.Locations.FirstOrDefault() ?? Location.None;
            context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.BadDefaultValue, location, field.Name, problem));
        }
    }

    private static Location VersionLocation(AttributeData attribute, INamedTypeSymbol type)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList.Arguments: { } arguments })
        {
            foreach (AttributeArgumentSyntax argument in arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == "Version")
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return type.Locations.FirstOrDefault() ?? Location.None;
    }
}
