using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Overlay.Generators.Model;

namespace Overlay.Generators.Parsing;

internal sealed partial class LayoutParser
{
    private const string SupportedListElements = "a [VarList] holds primitives, enums or [MappedLayout] structs without variable-length fields";

    /// <summary>
    /// A <c>[VarList] T[]</c>: a 12-byte heap reference in the record to <c>count × sizeof(T)</c>
    /// heap bytes. The element is a primitive or enum (in the field's byte order) or a fixed-size
    /// layout; attribute conflicts are OVL117, element types OVL125.
    /// </summary>
    private FieldSpec? ClassifyList(IFieldSymbol field, string identifier, int offset, Location location, AttributeData varList, AttributeData? otherAttribute, bool bigEndian, ImmutableArray<INamedTypeSymbol> path, List<DiagnosticInfo> diagnostics)
    {
        if (otherAttribute is not null)
        {
            diagnostics.Add(Diagnostic("OVL117", AttributeLocation(otherAttribute, location), field.Name, $"has [VarList] and [{otherAttribute.AttributeClass?.Name.Replace("Attribute", string.Empty)}]: a list is stored in the heap (a 12-byte reference), so it takes no other length or encoding attribute"));
            return null;
        }

        if (field.Type is not IArrayTypeSymbol { Rank: 1 } array)
        {
            diagnostics.Add(Diagnostic("OVL117", AttributeLocation(varList, location), field.Name, $"has type '{field.Type.ToDisplayString()}', but [VarList] is for array fields (T[])"));
            return null;
        }

        string elementName = array.ElementType.ToDisplayString();
        ValueType? element = ClassifyValue(array.ElementType, path, out _);
        string? problem = element switch
        {
            null => SupportedListElements,
            { Kind: FieldKind.Guid } => SupportedListElements + " (store a Guid as a [MappedLayout] of two ulongs)",
            { Cycle: not null } => "the element contains this layout, which has variable-length fields: " + SupportedListElements,
            { Variable: true } => $"layout '{elementName}' has variable-length fields, which a list's elements cannot have (each element's Load and Store would need the heap)",
            { Invalid: true } => $"layout '{elementName}' has errors of its own",
            _ => null,
        };

        if (problem is not null)
        {
            diagnostics.Add(Diagnostic("OVL125", location, field.Name, elementName, problem));
            return null;
        }

        bool layouts = element!.Kind == FieldKind.Layout;
        return new FieldSpec(
            field.Name,
            identifier,
            FieldKind.VarList,
            offset,
            HeapReferenceSize,
            element.TypeName,
            !layouts && bigEndian,
            0,
            element.Size,
            $"vlist({element.FingerprintType})",
            element.DisplayName);
    }
}
