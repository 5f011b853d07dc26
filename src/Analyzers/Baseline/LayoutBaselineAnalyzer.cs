using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Overlay.Generators.Model;
using Overlay.Generators.Parsing;

namespace Overlay.Analyzers.Baseline;

/// <summary>
/// Compares every <c>[MappedLayout]</c> declared in the project with the project's committed schema
/// baseline (<c>Layouts.Baseline.txt</c>, an <c>AdditionalFiles</c> item), as PublicApiAnalyzers does
/// for APIs and <c>buf breaking</c> for protobuf: a change old files cannot be read through is an
/// error unless the layout declares a new version recorded in the baseline. Without a baseline file
/// it reports nothing (the rules are opt-in). Rules OVL201–OVL207.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class LayoutBaselineAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        BaselineDiagnostics.BreakingChange,
        BaselineDiagnostics.CompatibleChange,
        BaselineDiagnostics.NewLayout,
        BaselineDiagnostics.RemovedLayout,
        BaselineDiagnostics.UnrecordedVersion,
        BaselineDiagnostics.BadBaseline,
        BaselineDiagnostics.VersionGoesBack);

    /// <summary>The project's baseline file among its additional files, or null.</summary>
    /// <param name="files">The additional files.</param>
    /// <returns>The first one named <see cref="BaselineParser.FileName"/>.</returns>
    public static AdditionalText? FindBaseline(ImmutableArray<AdditionalText> files) =>
        files.FirstOrDefault(f => string.Equals(Path.GetFileName(f.Path), BaselineParser.FileName, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            AdditionalText? file = FindBaseline(start.Options.AdditionalFiles);
            if (file is null || start.Compilation.GetTypeByMetadataName(LayoutParser.MappedLayoutAttributeName) is null
                || file.GetText(start.CancellationToken) is not { } text)
            {
                return;
            }

            BaselineFile baseline = BaselineParser.Parse(text);
            var declared = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            start.RegisterSymbolAction(context => AnalyzeType(context, baseline, declared), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportBaseline(end, file, text, baseline, declared));
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, BaselineFile baseline, ConcurrentDictionary<string, bool> declared)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Struct || type.DeclaringSyntaxReferences.IsEmpty || !LayoutParser.IsLayout(type))
        {
            return;
        }

        // Its display name whatever its state: a layout with errors (OVL1xx) is still declared.
        declared[type.ToDisplayString()] = true;
        LayoutSpec? spec = LayoutParser.Parse(type, context.CancellationToken).Spec;
        if (spec is null || LayoutParser.DeclaredVersion(LayoutParser.LayoutAttribute(type)) < 0)
        {
            return; // reported by the layout rules (OVL1xx, OVL210)
        }

        Location location = IdentifierLocation(type, context.CancellationToken);
        BaselineBlock code = BaselineBlock.From(spec);
        BaselineBlock? latest = baseline.Of(spec.DisplayName).FirstOrDefault();
        if (latest is null)
        {
            context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.NewLayout, location, Fix(spec, code, "add"), spec.DisplayName));
            return;
        }

        if (spec.Version < latest.Version)
        {
            context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.VersionGoesBack, location, spec.DisplayName, Number(spec.Version), Number(latest.Version)));
            return;
        }

        List<BaselineDifference> differences = BaselineComparer.Compare(latest, code);
        bool breaking = differences.Any(d => d.Breaking);
        if (spec.Version == latest.Version)
        {
            // The block of this version stays what it was, upgrade-from included.
            code = code with { UpgradeFrom = latest.UpgradeFrom };
            if (breaking)
            {
                context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.BreakingChange, location, spec.DisplayName, Number(spec.Version), Describe(differences.Where(d => d.Breaking)), Number(spec.Version + 1)));
            }
            else if (differences.Count > 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.CompatibleChange, location, Fix(spec, code, "replace"), spec.DisplayName, Describe(differences)));
            }

            return;
        }

        // A new version: its block goes next to the previous version's, which stays (old files have it).
        BaselineBlock next = code with { UpgradeFrom = latest.Version };
        if (breaking)
        {
            context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.UnrecordedVersion, location, Fix(spec, next, "add"), spec.DisplayName, Number(spec.Version), Describe(differences.Where(d => d.Breaking)), Number(latest.Version)));
        }
        else
        {
            differences.Insert(0, new BaselineDifference($"version {Number(latest.Version)} -> {Number(spec.Version)}", Breaking: false));
            context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.CompatibleChange, location, Fix(spec, next, "add"), spec.DisplayName, Describe(differences)));
        }
    }

    private static void ReportBaseline(CompilationAnalysisContext context, AdditionalText file, SourceText text, BaselineFile baseline, ConcurrentDictionary<string, bool> declared)
    {
        foreach ((int line, string problem) in baseline.Problems)
        {
            context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.BadBaseline, LineLocation(file, text, line), problem));
        }

        foreach (IGrouping<string, BaselineBlock> layout in baseline.Blocks.GroupBy(b => b.Name))
        {
            if (!declared.ContainsKey(layout.Key))
            {
                BaselineBlock first = layout.OrderBy(b => b.Line).First();
                context.ReportDiagnostic(Diagnostic.Create(BaselineDiagnostics.RemovedLayout, LineLocation(file, text, first.Line), layout.Key));
            }
        }
    }

    /// <summary>What the code fix needs: the layout, the block to write and where.</summary>
    private static ImmutableDictionary<string, string?> Fix(LayoutSpec spec, BaselineBlock block, string action) =>
        ImmutableDictionary<string, string?>.Empty
            .Add(BaselineDiagnostics.LayoutProperty, spec.DisplayName)
            .Add(BaselineDiagnostics.BlockProperty, block.Format())
            .Add(BaselineDiagnostics.ActionProperty, action);

    private static string Describe(IEnumerable<BaselineDifference> differences) => string.Join("; ", differences.Select(d => d.Text));

    private static Location LineLocation(AdditionalText file, SourceText text, int line)
    {
        TextLine textLine = text.Lines[line];
        return Location.Create(file.Path, textLine.Span, text.Lines.GetLinePositionSpan(textLine.Span));
    }

    private static Location IdentifierLocation(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration
                && declaration.AttributeLists.Count > 0)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return type.Locations.FirstOrDefault() ?? Location.None;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
