using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Overlay.Generators.Model;

namespace Overlay.Generators.Parsing;

internal sealed partial class LayoutParser
{
    /// <summary>Classifies a field's type, or an array's element type; null when unsupported.</summary>
    private ValueType? ClassifyValue(ITypeSymbol type, ImmutableArray<INamedTypeSymbol> path, out string? cycle)
    {
        cycle = null;
        if (Primitive(type.SpecialType) is { } primitive)
        {
            return new ValueType(FieldKind.Primitive, primitive.Keyword, primitive.Size, primitive.Fingerprint);
        }

        string qualified = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying }
            && Primitive(underlying.SpecialType) is { } underlyingPrimitive)
        {
            return new ValueType(FieldKind.Enum, qualified, underlyingPrimitive.Size, $"enum({underlyingPrimitive.Fingerprint})");
        }

        switch (qualified)
        {
            case "global::System.Half":
                return new ValueType(FieldKind.Primitive, qualified, 2, "f16");
            case "global::System.Guid":
                return new ValueType(FieldKind.Guid, qualified, 16, "guid");
        }

        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } nested || !IsLayout(nested))
        {
            return null;
        }

        int index = path.IndexOf(nested, 0, SymbolEqualityComparer.Default);
        if (index >= 0)
        {
            return new ValueType(FieldKind.Layout, qualified, 0, string.Empty) { Cycle = path.RemoveRange(0, index).Add(nested) };
        }

        if (nested.DeclaringSyntaxReferences.IsEmpty && ReadCompiledLayout(nested) is { } compiled)
        {
            return new ValueType(FieldKind.Layout, qualified, compiled.Size, Hex(compiled.Fingerprint));
        }

        LayoutSpec? spec = Analyze(nested, path.Add(nested), new List<DiagnosticInfo>(), out string? nestedCycle);
        if (spec is null)
        {
            return new ValueType(FieldKind.Layout, qualified, 0, string.Empty)
            {
                Invalid = true,
                Cycle = nestedCycle is null ? null : FindCycle(nested, path),
            };
        }

        return new ValueType(FieldKind.Layout, qualified, spec.SizeInBytes, Hex(spec.Fingerprint));
    }

    /// <summary>
    /// The cycle through <paramref name="nested"/> that leads back into <paramref name="path"/>, if
    /// any: a depth-first walk over the layout fields of nested layouts.
    /// </summary>
    private static ImmutableArray<INamedTypeSymbol>? FindCycle(INamedTypeSymbol nested, ImmutableArray<INamedTypeSymbol> path)
    {
        var visited = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        return Walk(nested, path.Add(nested));

        ImmutableArray<INamedTypeSymbol>? Walk(INamedTypeSymbol type, ImmutableArray<INamedTypeSymbol> current)
        {
            if (!visited.Add(type))
            {
                return null;
            }

            foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst || field.IsImplicitlyDeclared)
                {
                    continue;
                }

                ITypeSymbol fieldType = field.Type is IArrayTypeSymbol array ? array.ElementType : field.Type;
                if (fieldType is not INamedTypeSymbol { TypeKind: TypeKind.Struct } next || !IsLayout(next))
                {
                    continue;
                }

                int index = current.IndexOf(next, 0, SymbolEqualityComparer.Default);
                if (index >= 0)
                {
                    return current.RemoveRange(0, index).Add(next);
                }

                if (Walk(next, current.Add(next)) is { } found)
                {
                    return found;
                }
            }

            return null;
        }
    }

    private static (int Size, ulong Fingerprint)? ReadCompiledLayout(INamedTypeSymbol type)
    {
        IFieldSymbol? size = type.GetMembers("SizeInBytes").OfType<IFieldSymbol>().FirstOrDefault(f => f.IsConst);
        IFieldSymbol? fingerprint = type.GetMembers("LayoutFingerprint").OfType<IFieldSymbol>().FirstOrDefault(f => f.IsConst);
        return size?.ConstantValue is int sizeValue && fingerprint?.ConstantValue is ulong fingerprintValue
            ? (sizeValue, fingerprintValue)
            : null;
    }

    private static string Hex(ulong fingerprint) => "layout(" + fingerprint.ToString("X16", CultureInfo.InvariantCulture) + ")";

    private static (string Keyword, int Size, string Fingerprint)? Primitive(SpecialType type) => type switch
    {
        SpecialType.System_Boolean => ("bool", 1, "bool"),
        SpecialType.System_Byte => ("byte", 1, "u8"),
        SpecialType.System_SByte => ("sbyte", 1, "i8"),
        SpecialType.System_Int16 => ("short", 2, "i16"),
        SpecialType.System_UInt16 => ("ushort", 2, "u16"),
        SpecialType.System_Char => ("char", 2, "char"),
        SpecialType.System_Int32 => ("int", 4, "i32"),
        SpecialType.System_UInt32 => ("uint", 4, "u32"),
        SpecialType.System_Single => ("float", 4, "f32"),
        SpecialType.System_Int64 => ("long", 8, "i64"),
        SpecialType.System_UInt64 => ("ulong", 8, "u64"),
        SpecialType.System_Double => ("double", 8, "f64"),
        _ => null,
    };

    /// <summary>A classified value type: what a field (or one array element) holds.</summary>
    private sealed record ValueType(FieldKind Kind, string TypeName, int Size, string FingerprintType)
    {
        /// <summary>The layouts, first to last, of a cycle that the type closes or leads into.</summary>
        public ImmutableArray<INamedTypeSymbol>? Cycle { get; init; }

        /// <summary>A nested layout that has diagnostics of its own.</summary>
        public bool Invalid { get; init; }
    }
}
