using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Overlay.Generators.Model;

namespace Overlay.Generators.Parsing;

// [UpgradeConverter] methods (docs/formats.md §8.5): the user's conversion of a field that an
// upgrade cannot fill without losing values, listed in LayoutInfo.UpgradeConverters so the
// runtime finds it without reflection. OVL130-OVL132 report misuse.
internal sealed partial class LayoutParser
{
    private const string UpgradeConverterAttributeName = "Overlay.Layouts.UpgradeConverterAttribute";
    private const string StoredRecordTypeName = "Overlay.Schemas.StoredRecord";

    private const string ConverterSignatures = "it must be 'static void M(StoredRecord stored, Span<byte> field)', writing the field's bytes, or 'static T M(StoredRecord stored)' returning the field's value";

    /// <summary>The layout's converters, each checked against the field it names and its signature.</summary>
    private static EquatableArray<ConverterSpec> Converters(INamedTypeSymbol type, List<FieldSpec> fields, List<DiagnosticInfo> diagnostics)
    {
        var converters = new List<ConverterSpec>();
        var byField = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IMethodSymbol method || FindAttribute(method, UpgradeConverterAttributeName) is not { } attribute)
            {
                continue;
            }

            Location methodLocation = method.Locations.FirstOrDefault() ?? Location.None;
            string? name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            IFieldSymbol? field = string.IsNullOrEmpty(name)
                ? null
                : type.GetMembers(name!).OfType<IFieldSymbol>().FirstOrDefault(f => !f.IsStatic && !f.IsConst && !f.IsImplicitlyDeclared);
            if (field is null)
            {
                diagnostics.Add(Diagnostic("OVL130", ArgumentLocation(attribute, methodLocation), method.Name, name ?? "null", type.ToDisplayString()));
                continue;
            }

            // A field the parser could not classify has its own diagnostic: its kind is unknown here.
            FieldSpec? spec = fields.FirstOrDefault(f => f.Name == field.Name);
            if (ConverterProblem(method, field, spec, out bool returnsValue) is { } problem)
            {
                diagnostics.Add(Diagnostic("OVL131", methodLocation, method.Name, field.Name, problem));
                continue;
            }

            if (byField.TryGetValue(field.Name, out string? first))
            {
                diagnostics.Add(Diagnostic("OVL132", AttributeLocation(attribute, methodLocation), field.Name, first, method.Name));
                continue;
            }

            byField[field.Name] = method.Name;
            string identifier = SyntaxFacts.IsReservedKeyword(SyntaxFacts.GetKeywordKind(method.Name)) ? "@" + method.Name : method.Name;
            converters.Add(new ConverterSpec(field.Name, identifier, returnsValue));
        }

        return converters.ToEquatableArray();
    }

    /// <summary>Why <paramref name="method"/> cannot convert <paramref name="field"/>, or null when it can.</summary>
    private static string? ConverterProblem(IMethodSymbol method, IFieldSymbol field, FieldSpec? spec, out bool returnsValue)
    {
        returnsValue = false;
        if (method.MethodKind != MethodKind.Ordinary || !method.IsStatic)
        {
            return "it must be a static method; " + ConverterSignatures;
        }

        if (method.IsGenericMethod)
        {
            return "it must not be generic; " + ConverterSignatures;
        }

        ImmutableArray<IParameterSymbol> parameters = method.Parameters;
        if (parameters.Length == 0 || !IsPlain(parameters[0]) || parameters[0].Type is not INamedTypeSymbol stored || !IsNamed(stored, StoredRecordTypeName))
        {
            return "its first parameter must be a StoredRecord (by value); " + ConverterSignatures;
        }

        if (parameters.Length == 2 && method.ReturnsVoid)
        {
            return IsPlain(parameters[1]) && parameters[1].Type is INamedTypeSymbol { Name: "Span", Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } span
                && span.TypeArguments[0].SpecialType == SpecialType.System_Byte
                    ? null
                    : "its second parameter must be a Span<byte> (by value), the field's bytes; " + ConverterSignatures;
        }

        if (parameters.Length != 1 || method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return ConverterSignatures;
        }

        returnsValue = true;
        if (!SymbolEqualityComparer.Default.Equals(method.ReturnType, field.Type))
        {
            return $"it returns '{method.ReturnType.ToDisplayString()}', and field '{field.Name}' is '{field.Type.ToDisplayString()}': a converter that returns a value returns the field's type";
        }

        return spec is null || spec.Kind is FieldKind.Primitive or FieldKind.Enum or FieldKind.Guid or FieldKind.Utf8String or FieldKind.AsciiString or FieldKind.Layout
            ? null
            : $"a converter can return the value of a primitive, enum, Guid, fixed-string or nested-layout field, not of a {Describe(spec.Kind)}: write its bytes with 'static void {method.Name}(StoredRecord stored, Span<byte> field)'";
    }

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.ValueArray or FieldKind.LayoutArray => "fixed array",
        FieldKind.VarString => "[VarString] field",
        FieldKind.VarBytes => "[VarBytes] field",
        _ => "[VarList] field",
    };

    private static bool IsPlain(IParameterSymbol parameter) => parameter is { RefKind: RefKind.None, IsParams: false };
}
