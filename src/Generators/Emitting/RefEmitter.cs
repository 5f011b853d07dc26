using System;
using System.Linq;
using Overlay.Generators.Model;
using static Overlay.Generators.Emitting.LayoutEmitter;

namespace Overlay.Generators.Emitting;

/// <summary>
/// Writes a layout's <c>Ref</c> and <c>ReadOnlyRef</c>: <c>ref struct</c>s over bytes whose length
/// was checked once, when they were made (the loop-scope fast path of <c>MappedArray.Pin</c>, and a
/// typed overlay on any span). Their accessors read and write through a <c>ref byte</c> at a
/// constant offset, with no further check; see <c>docs/layouts.md</c>.
/// </summary>
internal static class RefEmitter
{
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    /// <summary>
    /// Bytes of a record a <c>default</c> Ref (a null <c>__start</c>) may reach without a check: the
    /// first page is never mapped, so such an access faults as a <c>NullReferenceException</c>.
    /// A field that ends further out goes through <c>__far</c>, which tests for null first;
    /// otherwise its address would be a small absolute one that may be mapped.
    /// </summary>
    private const int UncheckedReach = 4096;

    private const string DefaultRefThrow = "throw new global::System.NullReferenceException(\"The Ref is default: it refers to no record.\")";

    public static void WriteRef(SourceWriter w, LayoutSpec layout, bool readOnly)
    {
        string name = readOnly ? "ReadOnlyRef" : "Ref";
        string span = readOnly ? "global::System.ReadOnlySpan<byte>" : "global::System.Span<byte>";
        string contract = readOnly ? $"global::Overlay.Layouts.IReadOnlyMappedRef<{name}>" : $"global::Overlay.Layouts.IMappedRef<{name}>";
        w.WriteLine("/// <summary>");
        w.WriteLine(readOnly
            ? "/// A record read in place from pinned memory (<c>MappedArray.PinReadOnly</c>) or any bytes: getters only."
            : "/// A record in pinned memory (<c>MappedArray.Pin</c>) or any bytes: reads and writes go straight to them.");
        w.WriteLine("/// Its length was checked when it was made, so accessors check nothing more; a <c>ref struct</c>,");
        w.WriteLine("/// it cannot outlive the memory it was made from.");
        w.WriteLine("/// </summary>");
        w.OpenBlock($"public readonly ref struct {name} : {contract}");
        w.WriteLine("private readonly ref byte __start;");
        w.WriteLine();
        string size = Int(layout.SizeInBytes);
        w.WriteLine($"/// <summary>The record over the first {size} bytes of <paramref name=\"bytes\"/>.</summary>");
        w.WriteLine($"/// <param name=\"bytes\">At least {size} bytes.</param>");
        w.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"bytes\"/> is shorter than the record.</exception>");
        w.OpenBlock($"public {name}({span} bytes)");
        w.WriteLine($"global::System.ArgumentOutOfRangeException.ThrowIfLessThan(bytes.Length, {size}, nameof(bytes));");
        w.WriteLine(readOnly
            ? $"__start = ref {Marshal}.GetReference(bytes); // only read through: a ReadOnlyRef has no setters"
            : $"__start = ref {Marshal}.GetReference(bytes);");
        w.CloseBlock();

        foreach (FieldSpec field in layout.Fields)
        {
            w.WriteLine();
            WriteAccessor(w, layout, field, readOnly);
        }

        if (layout.Fields.Any(IsFar))
        {
            w.WriteLine();
            w.WriteLine($"// Fields ending past the first {Int(UncheckedReach)} bytes: a default Ref's null start plus their offset");
            w.WriteLine("// would be a real address, so they test for null first.");
            w.OpenBlock("private ref byte __far(int offset)");
            w.OpenBlock($"if ({Unsafe}.IsNullRef(ref __start))");
            w.WriteLine(DefaultRefThrow + ";");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine($"return ref {Unsafe}.Add(ref __start, offset);");
            w.CloseBlock();
        }

        // A layout with variable-length fields loads and stores with its heap, which a Ref does not have.
        bool load = !layout.Takes("Load") && !layout.HasVariableFields;
        bool store = !readOnly && !layout.Takes("Store") && !layout.HasVariableFields;
        if (load || store)
        {
            w.WriteLine();
            w.WriteLine("// The whole record, for Load and Store: a default Ref's would be a span at address 0 (and past it).");
            w.WriteLine($"private {span} __record => {Unsafe}.IsNullRef(ref __start)");
            w.Indent();
            w.WriteLine($"? {DefaultRefThrow}");
            w.WriteLine($": {Marshal}.{(readOnly ? "CreateReadOnlySpan" : "CreateSpan")}(ref __start, {size});");
            w.Unindent();
        }

        if (load)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>Copies the record out: strings decoded, arrays copied.</summary>");
            w.WriteLine("/// <returns>The record.</returns>");
            w.WriteLine($"public {layout.FullyQualifiedName} Load() => {Self(layout, "Load")}(__record);");
        }

        if (store)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>Copies <paramref name=\"value\"/> into the record; a value that cannot be stored (see <c>Validate</c>) writes nothing.</summary>");
            w.WriteLine("/// <param name=\"value\">The record.</param>");
            w.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A field cannot be stored.</exception>");
            w.WriteLine($"public void Store(in {layout.FullyQualifiedName} value) => {Self(layout, "Store")}(__record, value);");
        }

        if (!readOnly)
        {
            if (!layout.Takes("AsReadOnly"))
            {
                w.WriteLine();
                w.WriteLine("/// <summary>A read-only ref of the same record.</summary>");
                w.WriteLine("/// <returns>The read-only ref.</returns>");
                w.WriteLine($"public ReadOnlyRef AsReadOnly() => new({Marshal}.CreateReadOnlySpan(ref __start, {size}));");
            }

            w.WriteLine();
            w.WriteLine("/// <summary>A read-only ref of the same record.</summary>");
            w.WriteLine("/// <param name=\"record\">The ref.</param>");
            w.WriteLine($"public static implicit operator ReadOnlyRef(Ref record) => new({Marshal}.CreateReadOnlySpan(ref record.__start, {size}));");
        }

        w.WriteLine();
        w.WriteLine($"static int {contract}.SizeInBytes => {size};");
        w.WriteLine($"static ulong {contract}.LayoutFingerprint => {Fingerprint(layout)};");
        w.WriteLine($"static {name} {contract}.Create({span} bytes) => new(bytes);");
        w.CloseBlock();
    }

    private static void WriteAccessor(SourceWriter w, LayoutSpec layout, FieldSpec field, bool readOnly)
    {
        string at = IsFar(field) ? $"__far({Int(field.Offset)})" : $"{Unsafe}.Add(ref __start, {Int(field.Offset)})";
        string order = Bool(field.IsBigEndian);
        string bytes = readOnly
            ? $"{Marshal}.CreateReadOnlySpan(ref {at}, {Int(field.SizeInBytes)})"
            : $"{Marshal}.CreateSpan(ref {at}, {Int(field.SizeInBytes)})";
        w.WriteLine($"/// <summary>The field <c>{field.Name}</c>: {Int(field.SizeInBytes)} bytes at offset {Int(field.Offset)}{(field.IsBigEndian ? ", big-endian" : string.Empty)}.</summary>");
        switch (field.Kind)
        {
            case FieldKind.Primitive when field.TypeName == "bool":
                // Any non-zero byte reads as true: a hostile file cannot make an unnormalised bool.
                Property($"public bool {field.Identifier}", $"{at} != 0", $"{at} = value ? (byte)1 : (byte)0");
                break;
            case FieldKind.Primitive:
            case FieldKind.Enum:
                Property(
                    $"public {field.TypeName} {field.Identifier}",
                    $"global::Overlay.Layouts.Support.ByteOrder.Convert({Unsafe}.ReadUnaligned<{field.TypeName}>(ref {at}), {order})",
                    $"{Unsafe}.WriteUnaligned(ref {at}, global::Overlay.Layouts.Support.ByteOrder.Convert(value, {order}))");
                break;
            case FieldKind.Guid:
                Property(
                    $"public global::System.Guid {field.Identifier}",
                    $"new global::System.Guid({Marshal}.CreateReadOnlySpan(ref {at}, 16), {order})",
                    $"value.TryWriteBytes({Marshal}.CreateSpan(ref {at}, 16), {order}, out _)");
                break;
            case FieldKind.Utf8String:
            case FieldKind.AsciiString:
                LayoutEmitter.WriteNullStoresEmpty(w, readOnly);
                Property(
                    $"public string {field.Identifier}",
                    $"global::Overlay.Layouts.Support.FixedStrings.Read({Marshal}.CreateReadOnlySpan(ref {at}, {Int(field.Length)}), {Encoding(field)}, \"{layout.DisplayName}.{field.Name}\")",
                    $"global::Overlay.Layouts.Support.FixedStrings.Write({Marshal}.CreateSpan(ref {at}, {Int(field.Length)}), {Encoding(field)}, value)");
                break;
            case FieldKind.Layout:
                w.WriteLine($"public {field.TypeName}.{(readOnly ? "ReadOnlyRef" : "Ref")} {field.Identifier} => new({bytes});");
                break;
            case FieldKind.ValueArray:
                w.WriteLine($"public global::Overlay.Layouts.{(readOnly ? "ReadOnlyMappedValueSpan" : "MappedValueSpan")}<{field.TypeName}> {field.Identifier} => new({bytes}, {Int(field.Length)}, {order});");
                break;
            case FieldKind.LayoutArray:
                w.WriteLine(readOnly
                    ? $"public global::Overlay.Layouts.ReadOnlyMappedSpan<{field.TypeName}.ReadOnlyRef> {field.Identifier} => new({bytes});"
                    : $"public global::Overlay.Layouts.MappedSpan<{field.TypeName}.Ref> {field.Identifier} => new({bytes});");
                break;
            case FieldKind.VarString:
            case FieldKind.VarBytes:
            case FieldKind.VarList:
                // The stored reference only: a Ref has no heap (a pinned loop reads the heap through
                // HeapSection.Pin, which checks the reference against the heap's bounds).
                Property(
                    $"public global::Overlay.Formats.HeapRef {field.Identifier}",
                    $"global::Overlay.Formats.HeapRef.Read({Marshal}.CreateReadOnlySpan(ref {at}, 12))",
                    $"value.Write({Marshal}.CreateSpan(ref {at}, 12))");
                break;
            default:
                throw new InvalidOperationException($"Unknown field kind {field.Kind}.");
        }

        if (field.IsAtomic)
        {
            WriteAtomicMembers(w, field, readOnly, $"ref {at}");
        }

        void Property(string declaration, string getter, string setter) => WriteProperty(w, readOnly, declaration, getter, setter);
    }

    private static bool IsFar(FieldSpec field) => (long)field.Offset + field.SizeInBytes > UncheckedReach;
}
