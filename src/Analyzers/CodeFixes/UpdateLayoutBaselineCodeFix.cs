using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Overlay.Analyzers.Baseline;

namespace Overlay.Analyzers.CodeFixes;

/// <summary>
/// OVL202, OVL203, OVL205: brings the schema baseline (<c>Layouts.Baseline.txt</c>) up to
/// date with the layout, as PublicApiAnalyzers' fix does for <c>PublicAPI.Unshipped.txt</c>: the
/// analyzer hands over the block to write in the diagnostic's properties, and the fix edits the
/// additional document (<see cref="Solution.WithAdditionalDocumentText(DocumentId, SourceText, PreservationMode)"/>).
/// OVL201 has no fix on purpose: a breaking change needs a new version (then OVL205's fix records it).
/// OVL204 has none either: it is reported in the baseline file, and diagnostics in additional files
/// are not offered code fixes (neither by the IDE nor by the testing library): delete the lines.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UpdateLayoutBaselineCodeFix)), Shared]
internal sealed class UpdateLayoutBaselineCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "Overlay.UpdateLayoutBaseline";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        BaselineDiagnostics.CompatibleChangeId,
        BaselineDiagnostics.NewLayoutId,
        BaselineDiagnostics.UnrecordedVersionId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => new FixAll();

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Project project = context.TextDocument.Project;
        if (FindBaseline(project) is null)
        {
            return Task.CompletedTask;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(BaselineDiagnostics.LayoutProperty, out string? layout) || layout is null)
            {
                continue;
            }

            string title = $"Update '{layout}' in {BaselineParser.FileName}";
            context.RegisterCodeFix(
                CodeAction.Create(title, token => ApplyAsync(project.Solution, project.Id, new[] { diagnostic }, token), EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static TextDocument? FindBaseline(Project project) =>
        project.AdditionalDocuments.FirstOrDefault(d => string.Equals(Path.GetFileName(d.FilePath ?? d.Name), BaselineParser.FileName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Applies the fixes of several diagnostics of one project to its baseline, one after the other.</summary>
    private static async Task<Solution> ApplyAsync(Solution solution, ProjectId projectId, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        Project? project = solution.GetProject(projectId);
        if (project is null || FindBaseline(project) is not { } baseline)
        {
            return solution;
        }

        SourceText text = await baseline.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (Diagnostic diagnostic in diagnostics)
        {
            ImmutableDictionary<string, string?> properties = diagnostic.Properties;
            if (properties.TryGetValue(BaselineDiagnostics.LayoutProperty, out string? layout) && layout is not null
                && properties.TryGetValue(BaselineDiagnostics.ActionProperty, out string? action) && action is not null
                && done.Add(layout))
            {
                properties.TryGetValue(BaselineDiagnostics.BlockProperty, out string? block);
                text = BaselineEditor.Apply(text, layout, action, block);
            }
        }

        return solution.WithAdditionalDocumentText(baseline.Id, text);
    }

    /// <summary>Fix all: every diagnostic of each project in scope, applied to that project's baseline in one edit.</summary>
    private sealed class FixAll : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            IEnumerable<Project> projects = fixAllContext.Scope == FixAllScope.Solution ? fixAllContext.Solution.Projects : new[] { fixAllContext.Project };
            var byProject = new List<(ProjectId, ImmutableArray<Diagnostic>)>();
            foreach (Project project in projects)
            {
                ImmutableArray<Diagnostic> diagnostics = await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
                byProject.Add((project.Id, diagnostics));
            }

            return CodeAction.Create(
                $"Update {BaselineParser.FileName}",
                async token =>
                {
                    Solution solution = fixAllContext.Solution;
                    foreach ((ProjectId id, ImmutableArray<Diagnostic> diagnostics) in byProject)
                    {
                        solution = await ApplyAsync(solution, id, diagnostics, token).ConfigureAwait(false);
                    }

                    return solution;
                },
                EquivalenceKey);
        }
    }
}
