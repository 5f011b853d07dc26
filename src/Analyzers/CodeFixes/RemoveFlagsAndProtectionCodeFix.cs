using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Overlay.Analyzers.CodeFixes;

/// <summary>
/// OVL003: removes the <c>flags</c> and <c>protection</c> arguments of a map creation that also
/// gives <c>access</c>. Positional arguments after a removed one become named, so every remaining
/// argument still reaches the same parameter.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveFlagsAndProtectionCodeFix)), Shared]
internal sealed class RemoveFlagsAndProtectionCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "Overlay.RemoveFlagsAndProtection";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("OVL003");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<ArgumentListSyntax>() is not { } list)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create("Remove flags and protection (access decides them)", token => FixAsync(context.Document, list, token), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, ArgumentListSyntax list, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null || list.Parent is null || model.GetSymbolInfo(list.Parent, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return document;
        }

        var kept = new List<ArgumentSyntax>();
        bool removedPositional = false;
        for (int i = 0; i < list.Arguments.Count; i++)
        {
            ArgumentSyntax argument = list.Arguments[i];
            string? name = argument.NameColon?.Name.Identifier.ValueText ?? (i < method.Parameters.Length ? method.Parameters[i].Name : null);
            if (name is "flags" or "protection")
            {
                removedPositional |= argument.NameColon is null;
                continue;
            }

            if (removedPositional && argument.NameColon is null && name is not null)
            {
                argument = argument.WithNameColon(SyntaxFactory.NameColon(name)).WithTriviaFrom(argument);
            }

            kept.Add(argument);
        }

        ArgumentListSyntax newList = list.WithArguments(SyntaxFactory.SeparatedList(kept));
        return document.WithSyntaxRoot(root.ReplaceNode(list, newList));
    }
}
