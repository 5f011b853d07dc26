using System;
using Overlay.Generators.Model;
using static Overlay.Generators.Emitting.LayoutEmitter;

namespace Overlay.Generators.Emitting;

/// <summary>
/// Writes a layout's <c>View</c> and <c>ReadOnlyView</c>: structs holding a map and an offset,
/// whose accessors check every access against the live mapping. A view's public members are the
/// fields' accessors, its constructor, and <c>Load</c>/<c>Store</c>/<c>AsReadOnly</c> where no
/// field took those names; its map and offset are <c>IMappedView&lt;T&gt;</c>'s, explicitly.
/// </summary>
internal static class ViewEmitter
{
    public static void WriteView(SourceWriter w, LayoutSpec layout, bool readOnly)
    {
        string name = readOnly ? "ReadOnlyView" : "View";
        string self = layout.FullyQualifiedName;
        w.WriteLine(readOnly
            ? "/// <summary>A record in a map, read in place: getters only.</summary>"
            : "/// <summary>A record in a map: reads and writes go straight to the mapped bytes.</summary>");
        w.OpenBlock($"public readonly struct {name} : global::Overlay.Layouts.IMappedView<{name}>");
        w.WriteLine($"private readonly {Map} __map;");
        w.WriteLine("private readonly long __offset;");
        w.WriteLine();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// A view of the record at <paramref name=\"offset\"/>. Every access checks the record against the");
        w.WriteLine("/// live mapping, so a view past the end throws when used, not here.");
        w.WriteLine("/// </summary>");
        w.WriteLine("/// <param name=\"map\">The map.</param>");
        w.WriteLine("/// <param name=\"offset\">Where the record starts; not negative.</param>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"map\"/> is null.</exception>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"offset\"/> is negative.</exception>");
        w.OpenBlock($"public {name}({Map} map, long offset)");
        w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(map);");
        w.WriteLine("global::System.ArgumentOutOfRangeException.ThrowIfNegative(offset);");
        w.WriteLine("__map = map;");
        w.WriteLine("__offset = offset;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("// For IMappedView.Create(CheckedOffset): the runtime checked the map and offset already.");
        w.OpenBlock($"private {name}(global::Overlay.Layouts.Support.CheckedOffset position)");
        w.WriteLine("__map = position.Map;");
        w.WriteLine("__offset = position.Offset;");
        w.CloseBlock();

        foreach (FieldSpec field in layout.Fields)
        {
            w.WriteLine();
            WriteAccessor(w, layout, field, readOnly);
        }

        // A layout with variable-length fields loads and stores with its heap: no heapless overloads.
        bool variable = layout.HasVariableFields;
        string heapParameter = variable ? "global::Overlay.Formats.HeapSection heap" : string.Empty;
        string heapArgument = variable ? ", heap" : string.Empty;
        if (!layout.Takes("Load"))
        {
            w.WriteLine();
            w.WriteLine("/// <summary>Copies the record out of the map.</summary>");
            if (variable)
            {
                w.WriteLine("/// <param name=\"heap\">The heap its variable-length fields point into.</param>");
            }

            w.WriteLine("/// <returns>The record.</returns>");
            w.WriteLine($"public {self} Load({heapParameter}) => {Self(layout, "Load")}(__map, __offset{heapArgument});");
        }

        if (!readOnly)
        {
            if (!layout.Takes("Store"))
            {
                w.WriteLine();
                w.WriteLine("/// <summary>Copies <paramref name=\"value\"/> into the record; a value that cannot be stored writes nothing.</summary>");
                w.WriteLine("/// <param name=\"value\">The record.</param>");
                if (variable)
                {
                    w.WriteLine("/// <param name=\"heap\">The heap for its variable-length fields.</param>");
                }

                w.WriteLine($"public void Store(in {self} value{(variable ? ", " + heapParameter : string.Empty)}) => {Self(layout, "Store")}(__map, __offset, value{heapArgument});");
            }

            if (!layout.Takes("AsReadOnly"))
            {
                w.WriteLine();
                w.WriteLine("/// <summary>A read-only view of the same record.</summary>");
                w.WriteLine("/// <returns>The read-only view.</returns>");
                w.WriteLine("public ReadOnlyView AsReadOnly() => new(__map, __offset);");
            }

            w.WriteLine();
            w.WriteLine("/// <summary>A read-only view of the same record.</summary>");
            w.WriteLine("/// <param name=\"view\">The view.</param>");
            w.WriteLine("public static implicit operator ReadOnlyView(View view) => new(view.__map, view.__offset);");
        }

        string contract = $"global::Overlay.Layouts.IMappedView<{name}>";
        w.WriteLine();
        w.WriteLine($"{Map} {contract}.Map => __map;");
        w.WriteLine($"long {contract}.Offset => __offset;");
        w.WriteLine($"static int {contract}.SizeInBytes => {Int(layout.SizeInBytes)};");
        w.WriteLine($"static ulong {contract}.LayoutFingerprint => {Fingerprint(layout)};");
        w.WriteLine($"static bool {contract}.IsReadOnly => {Bool(readOnly)};");
        w.WriteLine($"static global::Overlay.Layouts.LayoutInfo {contract}.LayoutInfo => {LayoutEmitter.Self(layout, "LayoutInfo")};");
        w.WriteLine($"static {name} {contract}.Create({Map} map, long offset) => new(map, offset);");
        w.WriteLine($"static {name} {contract}.Create(global::Overlay.Layouts.Support.CheckedOffset position) => new(position);");
        w.CloseBlock();
    }

    private static void WriteAccessor(SourceWriter w, LayoutSpec layout, FieldSpec field, bool readOnly)
    {
        string at = $"__offset + {Int(field.Offset)}";
        string order = Bool(field.IsBigEndian);
        w.WriteLine($"/// <summary>The field <c>{field.Name}</c>: {Int(field.SizeInBytes)} bytes at offset {Int(field.Offset)}{(field.IsBigEndian ? ", big-endian" : string.Empty)}.</summary>");
        switch (field.Kind)
        {
            case FieldKind.Primitive:
            case FieldKind.Enum:
                Property(
                    $"public {field.TypeName} {field.Identifier}",
                    $"global::Overlay.Layouts.Support.ValueAccess.Read<{field.TypeName}>(__map, {at}, {order})",
                    $"global::Overlay.Layouts.Support.ValueAccess.Write<{field.TypeName}>(__map, {at}, value, {order})");
                break;
            case FieldKind.Guid:
                Property(
                    $"public global::System.Guid {field.Identifier}",
                    $"global::Overlay.Layouts.Support.GuidAccess.Read(__map, {at}, {order})",
                    $"global::Overlay.Layouts.Support.GuidAccess.Write(__map, {at}, value, {order})");
                break;
            case FieldKind.Utf8String:
            case FieldKind.AsciiString:
                LayoutEmitter.WriteNullStoresEmpty(w, readOnly);
                Property(
                    $"public string {field.Identifier}",
                    $"global::Overlay.Layouts.Support.FixedStrings.Read(__map, {at}, {Int(field.Length)}, {Encoding(field)}, \"{layout.DisplayName}.{field.Name}\")",
                    $"global::Overlay.Layouts.Support.FixedStrings.Write(__map, {at}, {Int(field.Length)}, {Encoding(field)}, value)");
                break;
            case FieldKind.Layout:
                w.WriteLine($"public {field.TypeName}.{(readOnly ? "ReadOnlyView" : "View")} {field.Identifier} => new(__map, {at});");
                break;
            case FieldKind.ValueArray:
                w.WriteLine($"public global::Overlay.Layouts.{(readOnly ? "ReadOnlyMappedValueArray" : "MappedValueArray")}<{field.TypeName}> {field.Identifier} => new(__map, {at}, {Int(field.Length)}, {order});");
                break;
            case FieldKind.LayoutArray:
                w.WriteLine($"public global::Overlay.Layouts.MappedArray<{field.TypeName}.{(readOnly ? "ReadOnlyView" : "View")}> {field.Identifier} => new(__map, {at}, {Int(field.Length)});");
                break;
            case FieldKind.VarString:
                w.WriteLine($"public global::Overlay.Layouts.HeapStringField {field.Identifier} => new(__map, {at}, \"{layout.DisplayName}.{field.Name}\");");
                break;
            case FieldKind.VarBytes:
                w.WriteLine($"public global::Overlay.Layouts.HeapBytesField {field.Identifier} => new(__map, {at});");
                break;
            case FieldKind.VarList when field.IsLayoutList:
                w.WriteLine($"public global::Overlay.Layouts.HeapLayoutListField<{field.TypeName}, {field.TypeName}.{(readOnly ? "ReadOnlyView" : "View")}> {field.Identifier} => new(__map, {at}, \"{layout.DisplayName}.{field.Name}\");");
                break;
            case FieldKind.VarList:
                w.WriteLine($"public global::Overlay.Layouts.HeapListField<{field.TypeName}> {field.Identifier} => new(__map, {at}, {order}, \"{layout.DisplayName}.{field.Name}\");");
                break;
            default:
                throw new InvalidOperationException($"Unknown field kind {field.Kind}.");
        }

        if (field.IsAtomic)
        {
            WriteAtomicMembers(w, field, readOnly, $"__map, {at}");
        }

        void Property(string declaration, string getter, string setter) => WriteProperty(w, readOnly, declaration, getter, setter);
    }
}
