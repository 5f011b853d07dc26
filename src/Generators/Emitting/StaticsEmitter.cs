using System;
using System.Linq;
using Overlay.Generators.Model;
using static Overlay.Generators.Emitting.LayoutEmitter;

namespace Overlay.Generators.Emitting;

/// <summary>
/// Writes a layout's static <c>Load</c>, <c>Validate</c> and <c>Store</c> (over a map and over a
/// span): the only places a whole record is copied. Views and refs forward to them.
/// </summary>
internal static class StaticsEmitter
{
    public static void Write(SourceWriter w, LayoutSpec layout)
    {
        string self = layout.FullyQualifiedName;
        string size = Int(layout.SizeInBytes);
        if (layout.HasVariableFields)
        {
            WriteVariable(w, layout);
            return;
        }

        w.WriteLine("/// <summary>Copies the record at <paramref name=\"offset\"/> out of the map: strings decoded, arrays copied.</summary>");
        w.WriteLine("/// <param name=\"map\">The map.</param>");
        w.WriteLine("/// <param name=\"offset\">Where the record starts.</param>");
        w.WriteLine("/// <returns>The record.</returns>");
        w.OpenBlock($"{Head(layout, self, "Load")}({Map} map, long offset)");
        w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(map);");
        w.WriteLine($"map.EnsureRange(offset, {size});");
        w.WriteLine("var view = new ReadOnlyView(map, offset);");
        w.WriteLine($"{self} value = default;");
        WriteCopyOut(w, layout, "view", (at, _) => $"map, offset + {at}");
        w.WriteLine("return value;");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine("/// <summary>Throws what <c>Store</c> would throw for <paramref name=\"value\"/>: a string that does not fit, an array that is null or of the wrong length.</summary>");
        w.WriteLine("/// <param name=\"value\">The record.</param>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A field cannot be stored.</exception>");
        w.OpenBlock($"{Head(layout, "void", "Validate")}(in {self} value)");
        WriteValidateBody(w, layout);
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine("/// <summary>");
        w.WriteLine("/// Copies <paramref name=\"value\"/> into the map at <paramref name=\"offset\"/>. Everything is checked");
        w.WriteLine("/// first (range, writability, strings, arrays): a value that cannot be stored writes nothing.");
        w.WriteLine("/// </summary>");
        w.WriteLine("/// <param name=\"map\">The map.</param>");
        w.WriteLine("/// <param name=\"offset\">Where the record starts.</param>");
        w.WriteLine("/// <param name=\"value\">The record.</param>");
        w.OpenBlock($"{Head(layout, "void", "Store")}({Map} map, long offset, in {self} value)");
        w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(map);");
        w.WriteLine($"map.EnsureRange(offset, {size});");
        w.OpenBlock("if (!map.CanWrite)");
        w.WriteLine("throw new global::System.NotSupportedException(\"The map is read-only.\");");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine($"{Self(layout, "Validate")}(in value);");
        w.WriteLine("var view = new View(map, offset);");
        WriteCopyIn(w, layout, "view", (at, _) => $"map, offset + {at}");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine($"/// <summary>Copies the record in the first {size} bytes of <paramref name=\"source\"/> out.</summary>");
        w.WriteLine($"/// <param name=\"source\">At least {size} bytes.</param>");
        w.WriteLine("/// <returns>The record.</returns>");
        w.OpenBlock($"{Head(layout, self, "Load")}(global::System.ReadOnlySpan<byte> source)");
        w.WriteLine("var record = new ReadOnlyRef(source);");
        w.WriteLine($"{self} value = default;");
        WriteCopyOut(w, layout, "record", (at, length) => $"source.Slice({at}, {length})");
        w.WriteLine("return value;");
        w.CloseBlock();
        w.WriteLine();

        w.WriteLine($"/// <summary>Copies <paramref name=\"value\"/> into the first {size} bytes of <paramref name=\"destination\"/>; a value that cannot be stored writes nothing.</summary>");
        w.WriteLine($"/// <param name=\"destination\">At least {size} bytes.</param>");
        w.WriteLine("/// <param name=\"value\">The record.</param>");
        w.OpenBlock($"{Head(layout, "void", "Store")}(global::System.Span<byte> destination, in {self} value)");
        w.WriteLine("var record = new Ref(destination);");
        w.WriteLine($"{Self(layout, "Validate")}(in value);");
        WriteCopyIn(w, layout, "record", (at, length) => $"destination.Slice({at}, {length})");
        w.CloseBlock();
    }

    // A layout with [VarString]/[VarBytes] fields: Load and Store take the heap those point into.
    // IMappedLayout's heapless members exist (explicitly) for the interface's sake and throw; users
    // cannot call them by name, so the mistake shows at compile time except through generic code
    // (MappedArray, RecordFile, a records section's Append(in T)).
    private static void WriteVariable(SourceWriter w, LayoutSpec layout)
    {
        string self = layout.FullyQualifiedName;
        string size = Int(layout.SizeInBytes);
        string contract = Contract(layout);
        string names = string.Join(", ", layout.Fields.Where(f => f.IsVariable).Select(f => f.Name));
        string refusal = $"throw new global::System.NotSupportedException(\"{layout.DisplayName} has variable-length fields ({names}): load and store it with the heap they point into (Load(map, offset, heap), Store(map, offset, value, heap)).\")";
        w.WriteLine($"// Without a heap the variable-length fields ({names}) cannot be read or written.");
        w.WriteLine($"static {self} {contract}.Load({Map} map, long offset) => {refusal};");
        w.WriteLine($"static void {contract}.Store({Map} map, long offset, in {self} value) => {refusal};");
        w.WriteLine($"static {self} {contract}.Load(global::System.ReadOnlySpan<byte> source) => {refusal};");
        w.WriteLine($"static void {contract}.Store(global::System.Span<byte> destination, in {self} value) => {refusal};");
        w.WriteLine();

        // A builder's one-pass write (RecordsWriter.Append(value, heap)): the heap is a HeapWriter.
        w.OpenBlock($"static void {contract}.Store(global::System.Span<byte> destination, in {self} value, global::Overlay.Formats.HeapWriter heap)");
        w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(heap);");
        w.WriteLine("var record = new Ref(destination);");

        // The first heap field, when a string, is validated as it is encoded (it throws before it
        // appends anything, and nothing else was appended yet): one pass over the string, not two.
        FieldSpec? first = layout.Fields.FirstOrDefault(f => f.IsVariable);
        FieldSpec? folded = first is { Kind: FieldKind.VarString } ? first : null;
        if (folded is null)
        {
            w.WriteLine($"{Self(layout, "Validate")}(in value);");
        }
        else
        {
            WriteValidateBody(w, layout, skip: folded);
        }

        WriteCopyIn(w, layout, "record", (at, length) => $"destination.Slice({at}, {length})", toBuilder: true, folded: folded);
        w.CloseBlock();
        w.WriteLine();

        if (!layout.Takes("Load"))
        {
            w.WriteLine("/// <summary>Copies the record at <paramref name=\"offset\"/> out of the map: strings decoded, arrays and blobs copied.</summary>");
            w.WriteLine("/// <param name=\"map\">The map.</param>");
            w.WriteLine("/// <param name=\"offset\">Where the record starts.</param>");
            w.WriteLine("/// <param name=\"heap\">The heap its variable-length fields point into.</param>");
            w.WriteLine("/// <returns>The record.</returns>");
            w.WriteLine("/// <exception cref=\"global::System.IO.InvalidDataException\">A reference is outside the heap, or a string is not UTF-8.</exception>");
            w.OpenBlock($"public static {self} Load({Map} map, long offset, global::Overlay.Formats.HeapSection heap)");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(map);");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(heap);");
            w.WriteLine($"map.EnsureRange(offset, {size});");
            w.WriteLine("var view = new ReadOnlyView(map, offset);");
            w.WriteLine($"{self} value = default;");
            WriteCopyOut(w, layout, "view", (at, _) => $"map, offset + {at}");
            w.WriteLine("return value;");
            w.CloseBlock();
            w.WriteLine();
        }

        w.WriteLine("/// <summary>Throws what <c>Store</c> would throw for <paramref name=\"value\"/>: a string that does not fit or has no UTF-8 form, an array that is null or of the wrong length.</summary>");
        w.WriteLine("/// <param name=\"value\">The record.</param>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A field cannot be stored.</exception>");
        w.OpenBlock($"{Head(layout, "void", "Validate")}(in {self} value)");
        WriteValidateBody(w, layout);
        w.CloseBlock();

        if (!layout.Takes("Store"))
        {
            w.WriteLine();
            w.WriteLine("/// <summary>");
            w.WriteLine("/// Copies <paramref name=\"value\"/> into the map at <paramref name=\"offset\"/>, its variable-length fields into");
            w.WriteLine("/// <paramref name=\"heap\"/> (freeing the values they replace). The value and the old references are");
            w.WriteLine("/// checked and the new values allocated first: a value that cannot be stored, a record whose references");
            w.WriteLine("/// are bad, or a heap that cannot grow writes nothing.");
            w.WriteLine("/// </summary>");
            w.WriteLine("/// <param name=\"map\">The map.</param>");
            w.WriteLine("/// <param name=\"offset\">Where the record starts.</param>");
            w.WriteLine("/// <param name=\"value\">The record.</param>");
            w.WriteLine("/// <param name=\"heap\">The heap for its variable-length fields.</param>");
            w.OpenBlock($"public static void Store({Map} map, long offset, in {self} value, global::Overlay.Formats.HeapSection heap)");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(map);");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(heap);");
            w.WriteLine($"map.EnsureRange(offset, {size});");
            w.OpenBlock("if (!map.CanWrite)");
            w.WriteLine("throw new global::System.NotSupportedException(\"The map is read-only.\");");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine($"{Self(layout, "Validate")}(in value);");

            // Every variable-length value is encoded (what only its encoding refuses: a list too long
            // for the heap) and allocated before anything is written; ReplaceAll frees what it
            // allocated if the heap cannot take them all, so a refused value writes nothing.
            FieldSpec[] variable = layout.Fields.Where(f => f.IsVariable).ToArray();
            w.WriteLine("global::Overlay.Layouts.Support.HeapFieldAccess.ReplaceAll(");
            w.Indent();
            w.WriteLine("map,");
            w.WriteLine("heap,");
            w.WriteLine($"stackalloc long[] {{ {string.Join(", ", variable.Select(f => $"offset + {Int(f.Offset)}"))} }},");
            w.OpenBlock("new byte[][]");
            foreach (FieldSpec field in variable)
            {
                w.WriteLine($"{Encoded(layout, field)},");
            }

            w.CloseBlock(");");
            w.Unindent();
            w.WriteLine("var view = new View(map, offset);");
            WriteCopyIn(w, layout, "view", (at, _) => $"map, offset + {at}");
            w.CloseBlock();
        }
    }

    /// <summary>
    /// The start of a static's declaration: public when no field took its name, otherwise an
    /// explicit implementation of <c>IMappedLayout&lt;T&gt;</c> (reached through <c>Layout&lt;T&gt;</c>).
    /// </summary>
    private static string Head(LayoutSpec layout, string returnType, string name) =>
        layout.Takes(name) ? $"static {returnType} {Contract(layout)}.{name}" : $"public static {returnType} {name}";

    private static void WriteValidateBody(SourceWriter w, LayoutSpec layout, FieldSpec? skip = null)
    {
        foreach (FieldSpec field in layout.Fields)
        {
            if (ReferenceEquals(field, skip))
            {
                continue;
            }

            string source = $"value.{field.Identifier}";
            switch (field.Kind)
            {
                case FieldKind.Utf8String:
                case FieldKind.AsciiString:
                    w.WriteLine($"global::Overlay.Layouts.Support.FixedStrings.Validate({source}, {Int(field.Length)}, {Encoding(field)}, \"{field.Name}\");");
                    break;
                case FieldKind.Layout:
                    w.WriteLine($"{Of(field.TypeName, "Validate")}({source});");
                    break;
                case FieldKind.VarString:
                    w.WriteLine($"global::Overlay.Layouts.Support.HeapFieldAccess.ValidateString({source}, \"{field.Name}\");");
                    break;
                case FieldKind.VarList when field.IsLayoutList:
                    // A null list stores as empty; each element is checked before anything is written.
                    w.OpenBlock($"foreach ({field.TypeName} item in {source} ?? global::System.Array.Empty<{field.TypeName}>())");
                    w.WriteLine($"{Of(field.TypeName, "Validate")}(item);");
                    w.CloseBlock();
                    break;
                case FieldKind.ValueArray:
                    w.WriteLine($"global::Overlay.Layouts.Support.FixedArrays.Validate({source}, {Int(field.Length)}, \"{field.Name}\");");
                    break;
                case FieldKind.LayoutArray:
                    w.WriteLine($"global::Overlay.Layouts.Support.FixedArrays.Validate({source}, {Int(field.Length)}, \"{field.Name}\");");
                    w.OpenBlock($"foreach ({field.TypeName} item in {source})");
                    w.WriteLine($"{Of(field.TypeName, "Validate")}(item);");
                    w.CloseBlock();
                    break;
            }
        }
    }

    // value.X = record.X for every field. Nested records are copied by their own layout's Load, at
    // the position where(start, length) names ("map, offset + 8" or "source.Slice(8, 12)"): never through
    // the nested view's or ref's Load, which a field of the nested layout may have displaced.
    private static void WriteCopyOut(SourceWriter w, LayoutSpec layout, string source, Func<string, string, string> where)
    {
        foreach (FieldSpec field in layout.Fields)
        {
            string target = $"value.{field.Identifier}";
            string from = $"{source}.{field.Identifier}";
            switch (field.Kind)
            {
                case FieldKind.Layout:
                    w.WriteLine($"{target} = {Of(field.TypeName, "Load")}({where(Position(field, null), Int(field.ElementSize))});");
                    break;
                case FieldKind.ValueArray:
                    w.WriteLine($"{target} = {from}.ToArray();");
                    break;
                case FieldKind.VarString:
                    w.WriteLine($"{target} = {from}.Read(heap);");
                    break;
                case FieldKind.VarBytes:
                case FieldKind.VarList:
                    w.WriteLine($"{target} = {from}.ToArray(heap);");
                    break;
                case FieldKind.LayoutArray:
                    w.WriteLine($"{target} = new {field.TypeName}[{Int(field.Length)}];");
                    w.OpenBlock($"for (int i = 0; i < {Int(field.Length)}; i++)");
                    w.WriteLine($"{target}[i] = {Of(field.TypeName, "Load")}({where(Position(field, "i"), Int(field.ElementSize))});");
                    w.CloseBlock();
                    break;
                default:
                    w.WriteLine($"{target} = {from};");
                    break;
            }
        }
    }

    // record.X = value.X for every field of a validated value. With a builder's heap writer
    // (toBuilder), a variable-length field's bytes are appended to it and the Ref gets the reference.
    private static void WriteCopyIn(SourceWriter w, LayoutSpec layout, string target, Func<string, string, string> where, bool toBuilder = false, FieldSpec? folded = null)
    {
        foreach (FieldSpec field in layout.Fields)
        {
            string to = $"{target}.{field.Identifier}";
            string source = $"value.{field.Identifier}";
            switch (field.Kind)
            {
                case FieldKind.Layout:
                    w.WriteLine($"{Of(field.TypeName, "Store")}({where(Position(field, null), Int(field.ElementSize))}, {source});");
                    break;
                case FieldKind.ValueArray:
                    w.WriteLine($"{to}.CopyFrom({source});");
                    break;
                case FieldKind.VarString when toBuilder && ReferenceEquals(field, folded):
                    w.WriteLine($"{to} = global::Overlay.Layouts.Support.HeapFieldAccess.AppendString(heap, {source}, \"{field.Name}\");");
                    break;
                case FieldKind.VarString when toBuilder:
                    w.WriteLine($"{to} = heap.AppendString({source});");
                    break;
                case FieldKind.VarBytes when toBuilder:
                    w.WriteLine($"{to} = heap.Append({source});");
                    break;
                case FieldKind.VarList when toBuilder && field.IsLayoutList:
                    w.WriteLine($"{to} = heap.Append(global::Overlay.Layouts.HeapLayoutListField<{field.TypeName}, {field.TypeName}.View>.Encode({source}, \"{layout.DisplayName}.{field.Name}\"));");
                    break;
                case FieldKind.VarList when toBuilder:
                    w.WriteLine($"{to} = heap.Append(global::Overlay.Layouts.HeapListField<{field.TypeName}>.Encode({source}, {Bool(field.IsBigEndian)}, \"{layout.DisplayName}.{field.Name}\"));");
                    break;
                case FieldKind.VarString:
                case FieldKind.VarBytes:
                case FieldKind.VarList:
                    // Into a container's heap: written before, all at once (HeapFieldAccess.ReplaceAll).
                    break;
                case FieldKind.LayoutArray:
                    w.OpenBlock($"for (int i = 0; i < {Int(field.Length)}; i++)");
                    w.WriteLine($"{Of(field.TypeName, "Store")}({where(Position(field, "i"), Int(field.ElementSize))}, {source}[i]);");
                    w.CloseBlock();
                    break;
                default:
                    w.WriteLine($"{to} = {source};");
                    break;
            }
        }
    }

    // The bytes a variable-length field's value is stored as in a heap; throws what the value's encoding refuses.
    private static string Encoded(LayoutSpec layout, FieldSpec field)
    {
        string source = $"value.{field.Identifier}";
        return field.Kind switch
        {
            FieldKind.VarString => $"global::Overlay.Layouts.Support.HeapFieldAccess.EncodeString({source}, \"{field.Name}\")",
            FieldKind.VarList when field.IsLayoutList => $"global::Overlay.Layouts.HeapLayoutListField<{field.TypeName}, {field.TypeName}.View>.Encode({source}, \"{layout.DisplayName}.{field.Name}\")",
            FieldKind.VarList => $"global::Overlay.Layouts.HeapListField<{field.TypeName}>.Encode({source}, {Bool(field.IsBigEndian)}, \"{layout.DisplayName}.{field.Name}\")",
            _ => $"{source} ?? global::System.Array.Empty<byte>()", // null stores as empty, as for the other kinds
        };
    }

    // Where a nested record starts: "8" for a field, "8 + i * 12" for element i of an array.
    private static string Position(FieldSpec field, string? index) =>
        index is null ? Int(field.Offset) : $"{Int(field.Offset)} + {index} * {Int(field.ElementSize)}";
}
