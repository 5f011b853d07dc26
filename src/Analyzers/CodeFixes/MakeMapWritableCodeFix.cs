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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Overlay.Analyzers.MapAccess;

namespace Overlay.Analyzers.CodeFixes;

/// <summary>
/// OVL001/OVL002: opens the map writable where it was created — <c>MapAccess.Read</c> or
/// <c>MapAccess.Copy</c> becomes <c>MapAccess.Write</c>, a protection without write gains
/// <c>| MapProtection.Write</c> — keeping the same creation method. Offered only when the write is
/// on the map itself and one creation site in the same document reaches it; a write through a
/// generated view gets no fix (its message says where the map was opened).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMapWritableCodeFix)), Shared]
internal sealed class MakeMapWritableCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "Overlay.MakeMapWritable";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("OVL001", "OVL002");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(ReadOnlyMapWriteAnalyzer.ViaViewProperty, out string? viaView) && viaView == "true")
            {
                continue;
            }

            if (diagnostic.AdditionalLocations.Count != 1 || diagnostic.AdditionalLocations[0].SourceTree != root.SyntaxTree)
            {
                continue;
            }

            if (root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not { } node
                || node.FirstAncestorOrSelf<ArgumentSyntax>() is not { } argument)
            {
                continue;
            }

            if (!diagnostic.Properties.TryGetValue(ReadOnlyMapWriteAnalyzer.OriginProperty, out string? origin) || origin is not ("Access" or "Protection"))
            {
                continue;
            }

            bool isProtection = origin == "Protection";
            string title = isProtection ? "Add MapProtection.Write where the map is created" : "Open the map with MapAccess.Write";
            context.RegisterCodeFix(
                CodeAction.Create(title, token => FixAsync(context.Document, argument, isProtection, token), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, ArgumentSyntax argument, bool isProtection, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        ExpressionSyntax replacement;
        if (isProtection)
        {
            // Keep every bit the protection has (Execute, a constant's bits) and add Write.
            ExpressionSyntax original = argument.Expression.WithoutTrivia();
            if (original is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or CastExpressionSyntax or ParenthesizedExpressionSyntax
                or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseOrExpression }))
            {
                original = SyntaxFactory.ParenthesizedExpression(original);
            }

            ExpressionSyntax write = SyntaxFactory.ParseExpression("global::Overlay.MapProtection.Write")
                .WithAdditionalAnnotations(Simplifier.Annotation);
            replacement = SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, original, write);
        }
        else
        {
            replacement = SyntaxFactory.ParseExpression("global::Overlay.MapAccess.Write").WithAdditionalAnnotations(Simplifier.Annotation);
        }

        replacement = replacement
            .WithTriviaFrom(argument.Expression)
            .WithAdditionalAnnotations(Formatter.Annotation);
        SyntaxNode newRoot = root.ReplaceNode(argument.Expression, replacement);
        return document.WithSyntaxRoot(newRoot);
    }
}
