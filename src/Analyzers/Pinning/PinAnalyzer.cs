using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Overlay.Analyzers.Diagnostics;
using Overlay.Analyzers.MapAccess;

namespace Overlay.Analyzers.Pinning;

/// <summary>
/// OVL005 (<c>MappedArray&lt;TView&gt;.Pin</c>/<c>PinReadOnly</c> with a Ref of another layout than
/// the array's views) and OVL006 (<c>Pin</c> on an array of read-only views): the checks
/// <c>MappedArray.CheckPin</c> makes at run time, made at each call whose types say the answer.
/// <c>MappedHashIndex&lt;TKey, TValue&gt;.Pin</c>/<c>PinReadOnly</c> and <c>MappedSortedIndex</c>'s make
/// the same two checks against the index's values, and are checked the same way.
/// </summary>
/// <remarks>
/// A layout is known by the constants the generator puts on the layout struct, which holds the
/// <c>View</c>, <c>ReadOnlyView</c>, <c>Ref</c> and <c>ReadOnlyRef</c>: <c>const ulong LayoutFingerprint</c>
/// and <c>const int SizeInBytes</c>. The run time compares those two values, not type names, so two
/// layouts with the same fields are one layout here too. Views and Refs written by hand, without
/// the constants, are not checked.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class PinAnalyzer : DiagnosticAnalyzer
{
    private const string PinName = "Pin";
    private const string PinReadOnlyName = "PinReadOnly";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(UsageDiagnostics.PinRefOfAnotherLayout, UsageDiagnostics.PinOnReadOnlyViews);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            OverlayTypes? types = OverlayTypes.Create(start.Compilation);
            if (types?.MappedArray is not { } mappedArray || types.MappedView is not { } mappedView)
            {
                return;
            }

            var checker = new PinChecker(mappedArray, types.MappedHashIndex, types.MappedSortedIndex, mappedView);
            start.RegisterOperationAction(
                operation =>
                {
                    switch (operation.Operation)
                    {
                        case IInvocationOperation invocation:
                            checker.Check(invocation.TargetMethod, invocation.Syntax, operation);
                            break;
                        case IMethodReferenceOperation reference:
                            // arr.Pin<R, int> as a method group: the same call, made later.
                            checker.Check(reference.Method, reference.Syntax, operation);
                            break;
                    }
                },
                OperationKind.Invocation,
                OperationKind.MethodReference);
        });
    }

    /// <summary>The checks, with what they learn about view types cached for the compilation.</summary>
    private sealed class PinChecker
    {
        private readonly INamedTypeSymbol _mappedArray;
        private readonly INamedTypeSymbol? _mappedHashIndex;
        private readonly INamedTypeSymbol? _mappedSortedIndex;
        private readonly INamedTypeSymbol _mappedView;
        private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _readOnlyViews = new(SymbolEqualityComparer.Default);

        public PinChecker(INamedTypeSymbol mappedArray, INamedTypeSymbol? mappedHashIndex, INamedTypeSymbol? mappedSortedIndex, INamedTypeSymbol mappedView)
        {
            _mappedArray = mappedArray;
            _mappedHashIndex = mappedHashIndex;
            _mappedSortedIndex = mappedSortedIndex;
            _mappedView = mappedView;
        }

        public void Check(IMethodSymbol method, SyntaxNode syntax, OperationAnalysisContext context)
        {
            // Cheap first: nothing but the two pins of MappedArray<TView>, MappedHashIndex<TKey,
            // TValue> and MappedSortedIndex<TKey, TValue> is looked at further. What is pinned: the
            // array's views, the index's values.
            if (method.Name is not (PinName or PinReadOnlyName) || method.TypeArguments.Length == 0)
            {
                return;
            }

            INamedTypeSymbol? owner = method.ContainingType;
            INamedTypeSymbol? view;
            string pinned;
            if (SymbolEqualityComparer.Default.Equals(owner?.OriginalDefinition, _mappedArray) && owner!.TypeArguments.Length == 1)
            {
                view = owner.TypeArguments[0] as INamedTypeSymbol;
                pinned = "array's views";
            }
            else if (owner is { TypeArguments.Length: 2 }
                && ((_mappedHashIndex is not null && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, _mappedHashIndex))
                    || (_mappedSortedIndex is not null && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, _mappedSortedIndex))))
            {
                view = owner.TypeArguments[1] as INamedTypeSymbol;
                pinned = "index's values";
            }
            else
            {
                return;
            }

            if (view is null)
            {
                return;
            }

            SimpleNameSyntax? name = NameOf(syntax);
            ITypeSymbol reference = method.TypeArguments[0];
            if (Layout.Of(reference) is { } refLayout
                && Layout.Of(view) is { } viewLayout
                && (refLayout.Fingerprint != viewLayout.Fingerprint || refLayout.Size != viewLayout.Size))
            {
                // On the Ref's type argument when it is written, else on the method's name.
                Location location = name is GenericNameSyntax { TypeArgumentList.Arguments: { Count: > 0 } arguments }
                    ? arguments[0].GetLocation()
                    : (name ?? syntax).GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(
                    UsageDiagnostics.PinRefOfAnotherLayout,
                    location,
                    reference.ToDisplayString(),
                    refLayout.Type.ToDisplayString(),
                    viewLayout.Type.ToDisplayString(),
                    refLayout.Fingerprint.ToString("X16", CultureInfo.InvariantCulture),
                    refLayout.Size.ToString(CultureInfo.InvariantCulture),
                    viewLayout.Fingerprint.ToString("X16", CultureInfo.InvariantCulture),
                    viewLayout.Size.ToString(CultureInfo.InvariantCulture),
                    method.Name,
                    pinned));
            }

            if (method.Name == PinName && _readOnlyViews.GetOrAdd(view, v => IsReadOnlyView(v, context.CancellationToken)))
            {
                // On the name alone: 'Pin' is what to change.
                Location location = name is not null ? name.Identifier.GetLocation() : syntax.GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(UsageDiagnostics.PinOnReadOnlyViews, location, view.ToDisplayString(), pinned));
            }
        }

        /// <summary>
        /// What <c>IMappedView&lt;T&gt;.IsReadOnly</c> returns, decided as far as that is possible
        /// without running code: a literal <c>true</c> or <c>false</c> in its declaration decides
        /// (the generator writes <c>=&gt; true</c> in every <c>ReadOnlyView</c>); without one (a
        /// view from metadata, or computed), a <c>ReadOnlyView</c> nested in a layout with a
        /// <c>LayoutFingerprint</c> constant is the generator's, which is read-only.
        /// </summary>
        private bool IsReadOnlyView(INamedTypeSymbol view, System.Threading.CancellationToken cancellationToken)
        {
            INamedTypeSymbol viewInterface = _mappedView.Construct(view);
            foreach (ISymbol member in viewInterface.GetMembers("IsReadOnly"))
            {
                if (member is IPropertySymbol && view.FindImplementationForInterfaceMember(member) is IPropertySymbol implementation
                    && LiteralOf(implementation, cancellationToken) is { } literal)
                {
                    return literal;
                }
            }

            return view.Name == "ReadOnlyView" && view.ContainingType is { } layout && Layout.FingerprintOf(layout) is not null;
        }

        /// <summary>The literal <c>true</c> or <c>false</c> a property's getter returns, if its source says so.</summary>
        private static bool? LiteralOf(IPropertySymbol property, System.Threading.CancellationToken cancellationToken)
        {
            foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not PropertyDeclarationSyntax declaration)
                {
                    continue;
                }

                ExpressionSyntax? body = declaration.ExpressionBody?.Expression;
                if (body is null && declaration.AccessorList is { } accessors)
                {
                    foreach (AccessorDeclarationSyntax accessor in accessors.Accessors)
                    {
                        if (accessor.IsKind(SyntaxKind.GetAccessorDeclaration))
                        {
                            body = accessor.ExpressionBody?.Expression
                                ?? (accessor.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax ret ? ret.Expression : null);
                        }
                    }
                }

                while (body is ParenthesizedExpressionSyntax parenthesized)
                {
                    body = parenthesized.Expression;
                }

                if (body.IsKind(SyntaxKind.TrueLiteralExpression))
                {
                    return true;
                }

                if (body.IsKind(SyntaxKind.FalseLiteralExpression))
                {
                    return false;
                }
            }

            return null;
        }

        /// <summary>The name of the called method in <c>a.Pin&lt;R&gt;(...)</c>, <c>a?.Pin(...)</c> or a method group.</summary>
        private static SimpleNameSyntax? NameOf(SyntaxNode syntax) => syntax switch
        {
            InvocationExpressionSyntax invocation => NameOf(invocation.Expression),
            MemberAccessExpressionSyntax access => access.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };
    }

    /// <summary>A layout struct (the type holding a View or Ref) and its generated constants.</summary>
    private readonly struct Layout
    {
        private Layout(INamedTypeSymbol type, ulong fingerprint, int size)
        {
            Type = type;
            Fingerprint = fingerprint;
            Size = size;
        }

        public INamedTypeSymbol Type { get; }

        public ulong Fingerprint { get; }

        public int Size { get; }

        /// <summary>The layout of a nested View or Ref, or null when its containing type is not a generated layout.</summary>
        public static Layout? Of(ITypeSymbol type) =>
            type is INamedTypeSymbol { ContainingType: { } layout } && Read(layout) is { } read
                ? new Layout(layout, read.Fingerprint, read.Size)
                : null;

        public static ulong? FingerprintOf(INamedTypeSymbol layout) => Read(layout)?.Fingerprint;

        /// <summary>
        /// The size and fingerprint from <c>[GeneratedLayout]</c> (a field may take the names of the
        /// constants, which the generator then leaves out), or from the constants for a layout
        /// compiled before the attribute.
        /// </summary>
        private static (int Size, ulong Fingerprint)? Read(INamedTypeSymbol layout)
        {
            foreach (AttributeData attribute in layout.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "GeneratedLayoutAttribute", ContainingNamespace: { } ns }
                    && ns.ToDisplayString() == "Overlay.Layouts.Support"
                    && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[0].Value is int attributeSize
                    && attribute.ConstructorArguments[1].Value is ulong attributeFingerprint)
                {
                    return (attributeSize, attributeFingerprint);
                }
            }

            int? size = null;
            ulong? fingerprint = null;
            foreach (ISymbol member in layout.GetMembers("SizeInBytes"))
            {
                if (member is IFieldSymbol { IsConst: true, ConstantValue: int value })
                {
                    size = value;
                }
            }

            foreach (ISymbol member in layout.GetMembers("LayoutFingerprint"))
            {
                if (member is IFieldSymbol { IsConst: true, ConstantValue: ulong value })
                {
                    fingerprint = value;
                }
            }

            return size is { } s && fingerprint is { } f ? (s, f) : null;
        }
    }
}
