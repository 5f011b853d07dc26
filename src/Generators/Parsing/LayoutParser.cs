using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Overlay.Generators.Model;

namespace Overlay.Generators.Parsing;

/// <summary>
/// Turns a <c>[MappedLayout]</c> struct's symbol into a <see cref="LayoutSpec"/> and the problems
/// found, as data. Shared by the generator (which keeps only the spec) and the analyzer (which
/// reports the diagnostics). Nested layouts are parsed from their symbols, recursively.
/// </summary>
internal sealed partial class LayoutParser
{
    public const string MappedLayoutAttributeName = "Overlay.Layouts.MappedLayoutAttribute";
    private const string OffsetAttributeName = "Overlay.Layouts.OffsetAttribute";
    private const string FixedStringAttributeName = "Overlay.Layouts.FixedStringAttribute";
    private const string FixedArrayAttributeName = "Overlay.Layouts.FixedArrayAttribute";
    private const string BigEndianAttributeName = "Overlay.Layouts.BigEndianAttribute";
    private const string FormerNameAttributeName = "Overlay.Layouts.FormerNameAttribute";
    private const string LittleEndianAttributeName = "Overlay.Layouts.LittleEndianAttribute";
    private const string VarStringAttributeName = "Overlay.Layouts.VarStringAttribute";
    private const string VarBytesAttributeName = "Overlay.Layouts.VarBytesAttribute";
    private const string VarListAttributeName = "Overlay.Layouts.VarListAttribute";
    private const string AtomicAttributeName = "Overlay.Layouts.AtomicAttribute";
    private const string GeneratedLayoutAttributeName = "Overlay.Layouts.Support.GeneratedLayoutAttribute";

    private const string SupportedTypes = "use a primitive, an enum, Guid, a [MappedLayout] struct, a [FixedString] string or a [FixedArray] array";
    private const string SupportedElements = "a fixed array holds primitives, enums or [MappedLayout] structs";

    /// <summary>
    /// The largest record a layout can describe, and so the largest <c>Size</c> and field end
    /// (OVL114, OVL115): <c>int.MaxValue / 2</c>, so that an offset plus a size computed as
    /// <c>int</c> in generated or runtime code never overflows.
    /// </summary>
    public const int MaxRecordSize = int.MaxValue / 2;

    /// <summary>A heap reference in a record: u64 heap offset, u32 length (docs/formats.md §1.3).</summary>
    public const int HeapReferenceSize = 12;

    /// <summary>
    /// The types the generator nests in every layout (OVL109): a field cannot share a name with a
    /// nested type (CS0102), and its accessor in that type would be named like the type (CS0542).
    /// Every other member the generator adds steps aside for a field of its name (see
    /// <see cref="LayoutSpec.Takes"/>).
    /// </summary>
    public static readonly ImmutableArray<string> GeneratedTypeNames = ImmutableArray.Create("View", "ReadOnlyView", "Ref", "ReadOnlyRef");

    /// <summary>
    /// The prefix of the private members of generated code (<c>__map</c>, <c>__offset</c>, ...),
    /// refused for fields (OVL109): C# reserves identifiers with two consecutive underscores for
    /// the implementation, and a field so named could clash with one added later.
    /// </summary>
    public const string GeneratedPrivatePrefix = "__";

    private readonly CancellationToken _cancellationToken;

    private LayoutParser(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

    /// <summary>Parses a layout under the invariant culture.</summary>
    /// <param name="type">The struct carrying <c>[MappedLayout]</c>.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    /// <returns>The spec (null when invalid) and the diagnostics.</returns>
    public static LayoutParseResult Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        LayoutSpec? spec = new LayoutParser(cancellationToken).Analyze(type, ImmutableArray.Create(type), diagnostics, out _);
        return new LayoutParseResult(diagnostics.Count == 0 ? spec : null, diagnostics.ToEquatableArray());
    }

    /// <summary>Whether <paramref name="type"/> carries <c>[MappedLayout]</c>.</summary>
    /// <param name="type">A type.</param>
    /// <returns>True for a layout.</returns>
    public static bool IsLayout(ITypeSymbol type) => FindAttribute(type, MappedLayoutAttributeName) is not null;

    private LayoutSpec? Analyze(INamedTypeSymbol type, ImmutableArray<INamedTypeSymbol> path, List<DiagnosticInfo> diagnostics, out string? cycle)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        cycle = null;
        AttributeData? layoutAttribute = FindAttribute(type, MappedLayoutAttributeName);
        Location typeLocation = TypeIdentifierLocation(type, layoutAttribute);
        string displayName = type.ToDisplayString();
        int diagnosticsBefore = diagnostics.Count;

        if (!IsPartial(type))
        {
            diagnostics.Add(Diagnostic("OVL101", typeLocation, displayName));
        }

        var containingTypes = new List<ContainingTypeSpec>();
        bool generic = type.IsGenericType;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            generic |= outer.IsGenericType;
            if (!IsPartial(outer))
            {
                diagnostics.Add(Diagnostic("OVL102", typeLocation, displayName, outer.ToDisplayString()));
            }

            containingTypes.Insert(0, new ContainingTypeSpec(Keyword(outer), outer.Name));
        }

        if (generic)
        {
            diagnostics.Add(Diagnostic("OVL108", typeLocation, displayName));
            return null;
        }

        bool layoutBigEndian = FindAttribute(type, BigEndianAttributeName) is not null;
        if (layoutBigEndian && FindAttribute(type, LittleEndianAttributeName) is not null)
        {
            diagnostics.Add(Diagnostic("OVL116", typeLocation, "Layout", displayName));
        }

        // A readonly struct's fields are all readonly: one diagnostic on the struct, not one per field.
        bool readOnlyStruct = type.IsReadOnly;
        if (readOnlyStruct)
        {
            diagnostics.Add(Diagnostic("OVL111", typeLocation, "Layout", displayName));
        }

        // The members generated for [Atomic] fields, by name: a field of one of those names would
        // clash with them in the views and refs (OVL109).
        var atomicMembers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false, IsImplicitlyDeclared: false } atomicField && FindAttribute(atomicField, AtomicAttributeName) is not null)
            {
                foreach (string name in FieldSpec.AtomicMemberNames(atomicField.Name))
                {
                    atomicMembers[name] = atomicField.Name;
                }
            }
        }

        var fields = new List<FieldSpec>();
        var fieldSymbols = new List<IFieldSymbol>();
        bool sizesKnown = true;
        int instanceFields = 0;
        int next = 0;
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IFieldSymbol field || field.IsStatic || field.IsConst || field.IsImplicitlyDeclared)
            {
                continue;
            }

            instanceFields++;
            Location fieldLocation = field.Locations.FirstOrDefault() ?? Location.None;
            if (ForbiddenNameReason(type, field.Name, atomicMembers) is { } reason)
            {
                diagnostics.Add(Diagnostic("OVL109", fieldLocation, field.Name, reason));
            }

            if (field.IsReadOnly && !readOnlyStruct)
            {
                diagnostics.Add(Diagnostic("OVL111", fieldLocation, "Field", field.Name));
            }

            int offset = next;
            AttributeData? offsetAttribute = FindAttribute(field, OffsetAttributeName);
            if (offsetAttribute is not null && offsetAttribute.ConstructorArguments.Length == 1 && offsetAttribute.ConstructorArguments[0].Value is int explicitOffset)
            {
                if (explicitOffset < 0)
                {
                    diagnostics.Add(Diagnostic("OVL110", ArgumentLocation(offsetAttribute, fieldLocation), field.Name, Format(explicitOffset)));
                    sizesKnown = false;
                }

                offset = explicitOffset;
            }

            FieldSpec? spec = ClassifyField(field, offset, layoutBigEndian, path, diagnostics, ref cycle);
            if (spec is null)
            {
                sizesKnown = false;
                continue;
            }

            spec = spec with { FormerNames = FormerNames(field), DefaultValueExpression = DefaultValue(field, spec).Expression };
            if (FindAttribute(field, AtomicAttributeName) is { } atomic)
            {
                if (AtomicProblem(field, spec) is { } problem)
                {
                    diagnostics.Add(Diagnostic("OVL121", AttributeLocation(atomic, fieldLocation), field.Name, problem));
                }
                else
                {
                    spec = spec with { IsAtomic = true };
                }
            }

            // In long: an explicit offset near int.MaxValue plus the field's size overflows int.
            long end = (long)spec.Offset + spec.SizeInBytes;
            if (end > MaxRecordSize)
            {
                diagnostics.Add(Diagnostic("OVL115", fieldLocation, field.Name, Format(end), Format(MaxRecordSize)));
                sizesKnown = false;
                continue;
            }

            fields.Add(spec);
            fieldSymbols.Add(field);
            next = spec.End;
        }

        int declaredSize = layoutAttribute?.NamedArguments.FirstOrDefault(a => a.Key == "Size").Value.Value is int size ? size : 0;
        if (declaredSize is < 0 or > MaxRecordSize)
        {
            // One diagnostic on the argument; the fields are not checked against a Size that cannot be.
            diagnostics.Add(Diagnostic("OVL114", NamedArgumentLocation(layoutAttribute!, "Size", typeLocation), displayName, Format(declaredSize), Format(MaxRecordSize)));
            sizesKnown = false;
        }
        else if (declaredSize == 0 && instanceFields == 0)
        {
            // MappedArray<T> divides by SizeInBytes: a record must have at least one byte.
            diagnostics.Add(Diagnostic("OVL113", typeLocation, displayName));
        }

        int sizeInBytes = declaredSize;
        if (sizesKnown)
        {
            CheckOverlaps(fields, fieldSymbols, diagnostics);
            if (declaredSize != 0)
            {
                for (int i = 0; i < fields.Count; i++)
                {
                    if (fields[i].End > declaredSize)
                    {
                        diagnostics.Add(Diagnostic("OVL105", fieldSymbols[i].Locations.FirstOrDefault() ?? Location.None, fields[i].Name, Format(fields[i].End), Format(declaredSize)));
                    }
                }
            }
            else
            {
                sizeInBytes = fields.Count == 0 ? 0 : fields.Max(f => f.End);
            }

            CheckAtomicAlignment(fields, fieldSymbols, sizeInBytes, diagnostics);
        }

        EquatableArray<ConverterSpec> converters = Converters(type, fields, diagnostics);
        if (diagnostics.Count != diagnosticsBefore)
        {
            return null;
        }

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace ? containingNamespace.ToDisplayString() : null;
        return new LayoutSpec(
            ns,
            containingTypes.ToEquatableArray(),
            type.Name,
            Keyword(type),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            displayName,
            sizeInBytes,
            Fingerprint(sizeInBytes, fields),
            fields.ToEquatableArray())
        {
            Version = DeclaredVersion(layoutAttribute) is > 0 and int version ? version : 0,
            Converters = converters,
            HasInMemoryLayout = IsInMemoryLayout(type, fields, sizeInBytes),
        };
    }

    /// <summary>
    /// Whether the layout's bytes are the struct's own bytes in memory on a little-endian machine,
    /// so that generic code may copy a value's bytes instead of calling <c>Store</c> (a record
    /// file's <c>AppendRange</c>). Only what holds on every runtime: each field a little-endian
    /// primitive other than <c>bool</c> (whose in-memory byte may be any non-zero value; <c>Store</c>
    /// writes 1), at its natural alignment right after the previous one (no padding, whose bytes a
    /// value's memory does not define), the record exactly as long as its fields, in a struct of one
    /// declaration with no layout attribute (declaration order is the runtime's field order only
    /// for a sequential struct declared in one place) and no instance field the layout does not map
    /// (an auto-property's backing field, a captured primary-constructor parameter).
    /// </summary>
    private static bool IsInMemoryLayout(INamedTypeSymbol type, List<FieldSpec> fields, int sizeInBytes)
    {
        if (fields.Count == 0 || type.DeclaringSyntaxReferences.Length != 1
            || type.GetMembers().Count(m => m is IFieldSymbol { IsStatic: false, IsConst: false } or IEventSymbol { IsStatic: false }) != fields.Count)
        {
            return false;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass
                && (IsNamed(attributeClass, "System.Runtime.InteropServices.StructLayoutAttribute") || IsNamed(attributeClass, "System.Runtime.CompilerServices.InlineArrayAttribute")))
            {
                return false;
            }
        }

        int end = 0;
        int alignment = 1;
        foreach (FieldSpec field in fields)
        {
            int size = field.SizeInBytes;
            if (field.Kind != FieldKind.Primitive || field.IsBigEndian || field.TypeName == "bool"
                || field.Offset != end || end % size != 0)
            {
                return false;
            }

            end += size;
            alignment = Math.Max(alignment, size);
        }

        return sizeInBytes == end && end % alignment == 0;
    }

    /// <summary>Why a field cannot have <paramref name="name"/> (OVL109), or null when it can.</summary>
    private static string? ForbiddenNameReason(INamedTypeSymbol layout, string name, Dictionary<string, string> atomicMembers)
    {
        if (atomicMembers.TryGetValue(name, out string? atomicField))
        {
            return $"the generator adds a member '{name}' to the views and refs for the [Atomic] field '{atomicField}'";
        }

        if (name == layout.Name)
        {
            return "C# forbids a member named like its type";
        }

        if (GeneratedTypeNames.Contains(name))
        {
            return $"the generator nests a type '{name}' in every layout (its views and refs: {string.Join(", ", GeneratedTypeNames)})";
        }

        return name.StartsWith(GeneratedPrivatePrefix, StringComparison.Ordinal)
            ? $"names starting with '{GeneratedPrivatePrefix}' are reserved for the members of generated code"
            : null;
    }

    private FieldSpec? ClassifyField(IFieldSymbol field, int offset, bool layoutBigEndian, ImmutableArray<INamedTypeSymbol> path, List<DiagnosticInfo> diagnostics, ref string? cycle)
    {
        Location location = field.Locations.FirstOrDefault() ?? Location.None;
        string identifier = SyntaxFacts.IsReservedKeyword(SyntaxFacts.GetKeywordKind(field.Name)) ? "@" + field.Name : field.Name;
        bool fieldBigEndian = FindAttribute(field, BigEndianAttributeName) is not null;
        bool fieldLittleEndian = FindAttribute(field, LittleEndianAttributeName) is not null;
        if (fieldBigEndian && fieldLittleEndian)
        {
            diagnostics.Add(Diagnostic("OVL116", location, "Field", field.Name));
        }

        bool bigEndian = !fieldLittleEndian && (layoutBigEndian || fieldBigEndian);

        // [FixedString]/[FixedArray] on a field of another type would otherwise be ignored silently.
        AttributeData? fixedString = FindAttribute(field, FixedStringAttributeName);
        if (fixedString is not null && field.Type.SpecialType != SpecialType.System_String)
        {
            diagnostics.Add(Diagnostic("OVL112", AttributeLocation(fixedString, location), field.Name, field.Type.ToDisplayString(), "FixedString", "string fields"));
        }

        AttributeData? fixedArray = FindAttribute(field, FixedArrayAttributeName);
        if (fixedArray is not null && field.Type is not IArrayTypeSymbol)
        {
            diagnostics.Add(Diagnostic("OVL112", AttributeLocation(fixedArray, location), field.Name, field.Type.ToDisplayString(), "FixedArray", "array fields (T[])"));
        }

        AttributeData? varString = FindAttribute(field, VarStringAttributeName);
        AttributeData? varBytes = FindAttribute(field, VarBytesAttributeName);
        AttributeData? varList = FindAttribute(field, VarListAttributeName);
        if (varList is not null)
        {
            return ClassifyList(field, identifier, offset, location, varList, varString ?? varBytes ?? fixedString ?? fixedArray, bigEndian, path, diagnostics);
        }

        if (varString is not null || varBytes is not null)
        {
            return ClassifyVariable(field, identifier, offset, location, varString, varBytes, fixedString ?? fixedArray, diagnostics);
        }

        if (field.Type.SpecialType == SpecialType.System_String)
        {
            AttributeData? attribute = fixedString;
            int? length = Length(field, attribute, "string", "FixedString", location, diagnostics);
            if (length is null)
            {
                return null;
            }

            bool ascii = attribute!.NamedArguments.FirstOrDefault(a => a.Key == "Encoding").Value.Value is int encoding && encoding == 1;
            return new FieldSpec(field.Name, identifier, ascii ? FieldKind.AsciiString : FieldKind.Utf8String, offset, length.Value, "string", false, length.Value, length.Value, ascii ? "ascii" : "utf8", "string");
        }

        if (field.Type is IArrayTypeSymbol array)
        {
            ValueType? element = array.Rank == 1 ? ClassifyValue(array.ElementType, path, out _) : null;
            if (element is null || element.Kind == FieldKind.Guid)
            {
                diagnostics.Add(Diagnostic("OVL103", location, field.Name, field.Type.ToDisplayString(), SupportedElements));
                return null;
            }

            if (element.Cycle is not null)
            {
                ReportCycle(field, location, path, element.Cycle.Value, diagnostics, ref cycle);
                return null;
            }

            if (element.Variable)
            {
                diagnostics.Add(Diagnostic("OVL117", location, field.Name, $"nests layout '{array.ElementType.ToDisplayString()}', which has variable-length fields: a nested layout cannot have them yet (its Load and Store would need the heap)"));
                return null;
            }

            if (element.Invalid)
            {
                diagnostics.Add(Diagnostic("OVL103", location, field.Name, field.Type.ToDisplayString(), $"layout '{array.ElementType.ToDisplayString()}' has errors of its own"));
                return null;
            }

            int? length = Length(field, fixedArray, "array", "FixedArray", location, diagnostics);
            if (length is null)
            {
                return null;
            }

            long arraySize = (long)length.Value * element.Size;
            if (arraySize > MaxRecordSize)
            {
                diagnostics.Add(Diagnostic("OVL115", location, field.Name, Format((long)offset + arraySize), Format(MaxRecordSize)));
                return null;
            }

            bool layouts = element.Kind == FieldKind.Layout;
            return new FieldSpec(
                field.Name,
                identifier,
                layouts ? FieldKind.LayoutArray : FieldKind.ValueArray,
                offset,
                (int)arraySize,
                element.TypeName,
                !layouts && bigEndian,
                length.Value,
                element.Size,
                $"array({element.FingerprintType})",
                element.DisplayName);
        }

        ValueType? value = ClassifyValue(field.Type, path, out _);
        if (value is null)
        {
            diagnostics.Add(Diagnostic("OVL103", location, field.Name, field.Type.ToDisplayString(), SupportedTypes));
            return null;
        }

        if (value.Cycle is not null)
        {
            ReportCycle(field, location, path, value.Cycle.Value, diagnostics, ref cycle);
            return null;
        }

        if (value.Variable)
        {
            diagnostics.Add(Diagnostic("OVL117", location, field.Name, $"nests layout '{field.Type.ToDisplayString()}', which has variable-length fields: a nested layout cannot have them yet (its Load and Store would need the heap)"));
            return null;
        }

        if (value.Invalid)
        {
            diagnostics.Add(Diagnostic("OVL103", location, field.Name, field.Type.ToDisplayString(), $"layout '{field.Type.ToDisplayString()}' has errors of its own"));
            return null;
        }

        return new FieldSpec(field.Name, identifier, value.Kind, offset, value.Size, value.TypeName, value.Kind != FieldKind.Layout && bigEndian, 0, value.Size, value.FingerprintType, value.DisplayName);
    }

    /// <summary>A <c>[VarString] string</c> or <c>[VarBytes] byte[]</c>: a 12-byte heap reference in the record.</summary>
    private static FieldSpec? ClassifyVariable(IFieldSymbol field, string identifier, int offset, Location location, AttributeData? varString, AttributeData? varBytes, AttributeData? fixedAttribute, List<DiagnosticInfo> diagnostics)
    {
        string type = field.Type.ToDisplayString();
        string? problem = null;
        AttributeData culprit = (varString ?? varBytes)!;
        if (varString is not null && varBytes is not null)
        {
            problem = "has both [VarString] and [VarBytes]: keep the one its type needs";
            culprit = varBytes;
        }
        else if (fixedAttribute is not null)
        {
            problem = $"has [{(varString is not null ? "VarString" : "VarBytes")}] and [{fixedAttribute.AttributeClass?.Name.Replace("Attribute", string.Empty)}]: a field is either fixed-length or variable-length";
            culprit = fixedAttribute;
        }
        else if (varString is not null && field.Type.SpecialType != SpecialType.System_String)
        {
            problem = $"has type '{type}', but [VarString] is for string fields";
        }
        else if (varBytes is not null && field.Type is not IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            problem = $"has type '{type}', but [VarBytes] is for byte[] fields";
        }

        if (problem is not null)
        {
            diagnostics.Add(Diagnostic("OVL117", AttributeLocation(culprit, location), field.Name, problem));
            return null;
        }

        return varString is not null
            ? new FieldSpec(field.Name, identifier, FieldKind.VarString, offset, HeapReferenceSize, "string", false, 0, HeapReferenceSize, "vstring", "string")
            : new FieldSpec(field.Name, identifier, FieldKind.VarBytes, offset, HeapReferenceSize, "byte[]", false, 0, HeapReferenceSize, "vbytes", "byte[]");
    }

    private static void ReportCycle(IFieldSymbol field, Location location, ImmutableArray<INamedTypeSymbol> path, ImmutableArray<INamedTypeSymbol> cyclePath, List<DiagnosticInfo> diagnostics, ref string? cycle)
    {
        string text = string.Join(" -> ", cyclePath.Select(t => t.ToDisplayString()));
        cycle ??= text;
        if (SymbolEqualityComparer.Default.Equals(cyclePath[0], path[0]))
        {
            diagnostics.Add(Diagnostic("OVL107", location, field.Name, path[0].ToDisplayString(), text));
        }
        else
        {
            diagnostics.Add(Diagnostic("OVL103", location, field.Name, field.Type.ToDisplayString(), $"it leads to a layout that contains itself ({text})"));
        }
    }

    private static int? Length(IFieldSymbol field, AttributeData? attribute, string what, string attributeName, Location location, List<DiagnosticInfo> diagnostics)
    {
        if (attribute is null)
        {
            diagnostics.Add(Diagnostic("OVL106", location, field.Name, $"is {(what == "array" ? "an" : "a")} {what} without [{attributeName}(length)]"));
            return null;
        }

        int length = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int value ? value : 0;
        if (length <= 0)
        {
            diagnostics.Add(Diagnostic("OVL106", ArgumentLocation(attribute, location), field.Name, $"has [{attributeName}({Format(length)})]; the length must be positive"));
            return null;
        }

        return length;
    }

    /// <summary>Why <c>[Atomic]</c> cannot apply to the field (OVL121), or null when it can.</summary>
    private static string? AtomicProblem(IFieldSymbol field, FieldSpec spec)
    {
        if (spec.Kind != FieldKind.Primitive || field.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64))
        {
            return $"has type '{field.Type.ToDisplayString()}', but [Atomic] is for int, uint, long and ulong fields";
        }

        return spec.IsBigEndian
            ? "is big-endian, but [Atomic] operations work in the processor's (little-endian) byte order: mark the field [LittleEndian]"
            : null;
    }

    /// <summary>
    /// OVL120: an <c>[Atomic]</c> field must start at a multiple of its size, and the record's size
    /// must be one too, so that it stays aligned in every record of an array or record file.
    /// </summary>
    private static void CheckAtomicAlignment(List<FieldSpec> fields, List<IFieldSymbol> symbols, int sizeInBytes, List<DiagnosticInfo> diagnostics)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            FieldSpec field = fields[i];
            if (!field.IsAtomic)
            {
                continue;
            }

            string? reason = null;
            if (field.Offset % field.SizeInBytes != 0)
            {
                reason = $"its offset, {Format(field.Offset)}, is not a multiple of its size, {Format(field.SizeInBytes)}";
            }
            else if (sizeInBytes % field.SizeInBytes != 0)
            {
                reason = $"the record's size, {Format(sizeInBytes)}, is not a multiple of its size, {Format(field.SizeInBytes)}, so it would be misaligned in some records of an array or record file";
            }

            if (reason is not null)
            {
                diagnostics.Add(Diagnostic("OVL120", symbols[i].Locations.FirstOrDefault() ?? Location.None, field.Name, reason));
            }
        }
    }

    private static void CheckOverlaps(List<FieldSpec> fields, List<IFieldSymbol> symbols, List<DiagnosticInfo> diagnostics)
    {
        for (int j = 1; j < fields.Count; j++)
        {
            for (int i = 0; i < j; i++)
            {
                FieldSpec a = fields[i];
                FieldSpec b = fields[j];
                if (a.Offset < b.End && b.Offset < a.End)
                {
                    diagnostics.Add(Diagnostic(
                        "OVL104",
                        symbols[j].Locations.FirstOrDefault() ?? Location.None,
                        b.Name,
                        Format(b.Offset),
                        Format(b.End - 1),
                        a.Name,
                        Format(a.Offset),
                        Format(a.End - 1)));
                    break;
                }
            }
        }
    }

    private static ulong Fingerprint(int sizeInBytes, List<FieldSpec> fields)
    {
        var text = new StringBuilder();
        text.Append("size=").Append(Format(sizeInBytes)).Append(';');
        foreach (FieldSpec field in fields.OrderBy(f => f.Offset))
        {
            text.Append(field.Name).Append(':')
                .Append(field.FingerprintType).Append(':')
                .Append(Format(field.Offset)).Append(':')
                .Append(Format(field.SizeInBytes)).Append(':')
                .Append(field.IsBigEndian ? "be" : "le").Append(':')
                .Append(Format(field.Length)).Append(';');
        }

        return Fnv1a(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>FNV-1a, 64-bit.</summary>
    /// <param name="bytes">The bytes to hash.</param>
    /// <returns>The hash.</returns>
    public static ulong Fnv1a(byte[] bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            hash ^= b;
            hash = unchecked(hash * 1099511628211UL);
        }

        return hash;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static DiagnosticInfo Diagnostic(string id, Location location, params string[] arguments) =>
        new(
            id,
            location.SourceTree?.FilePath ?? string.Empty,
            location.SourceSpan,
            location.GetLineSpan().Span,
            arguments.ToEquatableArray());

    /// <summary>The names in the field's <c>[FormerName]</c> attributes, in source order (not in the fingerprint: a rename's history does not change the bytes).</summary>
    private static EquatableArray<string> FormerNames(IFieldSymbol field)
    {
        var names = new List<string>();
        foreach (AttributeData attribute in field.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && IsNamed(attributeClass, FormerNameAttributeName)
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                names.Add(name);
            }
        }

        return names.ToEquatableArray();
    }

    private static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && IsNamed(attributeClass, metadataName))
            {
                return attribute;
            }
        }

        return null;
    }

    private static bool IsNamed(INamedTypeSymbol type, string metadataName)
    {
        int dot = metadataName.LastIndexOf('.');
        return type.Name == metadataName.Substring(dot + 1)
            && type.ContainingType is null
            && type.ContainingNamespace is { } ns
            && ns.ToDisplayString() == metadataName.Substring(0, dot);
    }

    private static Location ArgumentLocation(AttributeData attribute, Location fallback) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList.Arguments: { Count: > 0 } arguments }
            ? arguments[0].GetLocation()
            : fallback;

    private static Location NamedArgumentLocation(AttributeData attribute, string name, Location fallback)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList.Arguments: { } arguments })
        {
            foreach (AttributeArgumentSyntax argument in arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return fallback;
    }

    private static Location AttributeLocation(AttributeData attribute, Location fallback) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax syntax ? syntax.GetLocation() : fallback;

    private Location TypeIdentifierLocation(INamedTypeSymbol type, AttributeData? layoutAttribute)
    {
        if (layoutAttribute?.ApplicationSyntaxReference?.GetSyntax(_cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration)
        {
            return declaration.Identifier.GetLocation();
        }

        return type.Locations.FirstOrDefault() ?? Location.None;
    }

    private static bool IsPartial(INamedTypeSymbol type)
    {
        // Metadata types have no syntax: their generated members already exist.
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    private static string Keyword(INamedTypeSymbol type)
    {
        if (type.IsRecord)
        {
            return type.TypeKind == TypeKind.Struct ? "record struct" : "record";
        }

        return type.TypeKind switch
        {
            TypeKind.Struct => "struct",
            TypeKind.Interface => "interface",
            _ => "class",
        };
    }
}
