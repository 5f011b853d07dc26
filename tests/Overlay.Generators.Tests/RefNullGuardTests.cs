using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// A <c>default</c> generated <c>Ref</c> has a null start, so an access at offset <c>n</c> is an
/// access at address <c>n</c>. The first page is never mapped and the runtime turns a fault there
/// into a <see cref="NullReferenceException"/>; further out the address may be mapped (a silent
/// read or write of unrelated memory) or fault fatally. So fields that end past the first 4 KiB
/// test for null first (<c>__far</c>), and only they: the others stay one unchecked access. Also,
/// a nested layout from a referenced assembly that has the generated constants but no
/// <c>Ref</c> types must not be taken for one this generator compiled (its <c>Ref</c> would name a
/// type that does not exist).
/// </summary>
public class RefNullGuardTests
{
    [Fact]
    public void EveryAccessorOfADefaultRefPastTheFirstPageThrowsNullReferenceException()
    {
        // Each would reach an address of 4096 or more without the test. The accessors that only
        // make a span come first: unguarded, they throw nothing (a plain assertion failure), where
        // a read at such an address is a fatal access violation that ends the test process.
        AssertNullRef(static () => _ = default(FarRecord.Ref).Pad);
        AssertNullRef(static () => _ = default(FarRecord.Ref).Nested);
        AssertNullRef(static () => _ = default(FarRecord.Ref).Points);
        AssertNullRef(static () => _ = default(FarRecord.Ref).Over);
        AssertNullRef(static () => _ = default(FarRecord.Ref).Name);
        AssertNullRef(static () => _ = default(FarRecord.Ref).Tail);
        AssertNullRef(static () => _ = default(StraddlingRecord.Ref).Straddle);

        // The setters as much as the getters.
        AssertNullRef(static () =>
        {
            FarRecord.Ref record = default;
            record.Tail = 1;
        });
        AssertNullRef(static () =>
        {
            FarRecord.Ref record = default;
            record.Over = 1;
        });
        AssertNullRef(static () =>
        {
            FarRecord.Ref record = default;
            record.Name = "x";
        });
        AssertNullRef(static () =>
        {
            StraddlingRecord.Ref record = default;
            record.Straddle = 1;
        });
    }

    [Fact]
    public void EveryAccessorOfADefaultReadOnlyRefPastTheFirstPageThrowsNullReferenceException()
    {
        // The accessors that only make a span first, as for the Ref.
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Pad);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Nested);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Points);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Over);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Name);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Tail);
        AssertNullRef(static () => _ = default(StraddlingRecord.ReadOnlyRef).Straddle);

        // A default Ref made read-only is as null.
        AssertNullRef(static () => _ = default(FarRecord.Ref).AsReadOnly().Tail);
    }

    [Fact]
    public void TheFarAccessorsSayTheRefIsDefault()
    {
        NullReferenceException error = Assert.Throws<NullReferenceException>(static () => _ = default(FarRecord.ReadOnlyRef).Pad);
        Assert.Contains("default", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<NullReferenceException>(static () => _ = default(FarRecord.Ref).Tail);
        Assert.Contains("default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AccessorsOfADefaultRefInTheFirstPageThrowNullReferenceExceptionToo()
    {
        // Not tested for null: the access itself faults in the first page, which is never mapped.
        // Edge ends on byte 4096 exactly, the last access left unchecked.
        AssertNullRef(static () => _ = default(FarRecord.Ref).Head);
        AssertNullRef(static () => _ = default(FarRecord.Ref).Edge);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Head);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Edge);
        AssertNullRef(static () =>
        {
            FarRecord.Ref record = default;
            record.Edge = 1;
        });

        // An array of values in the first page is made without an access; its elements fault.
        AssertNullRef(static () => _ = default(FarRecord.Ref).Near[0]);
        AssertNullRef(static () => _ = default(FarRecord.ReadOnlyRef).Near[4083]);

        // Load reads the first field first.
        AssertNullRef(static () => _ = default(FarRecord.Ref).Load());
    }

    [Fact]
    public void FarFieldsOfARealRecordReadAndWriteTheirBytes()
    {
        // The test for null costs nothing else: a Ref over real bytes reaches every field.
        byte[] bytes = new byte[FarRecord.SizeInBytes];
        Assert.Equal(12337, bytes.Length);
        var record = new FarRecord.Ref(bytes);
        record.Edge = 0x0102030405060708;
        record.Over = 0xAB;
        MappedValueSpan<byte> pad = record.Pad;
        pad[8191] = 0xCD;
        record.Name = "far away";
        FarRecord.Ref same = record;
        Point.Ref nested = same.Nested;
        nested.X = -7;
        Point.Ref second = same.Points[1];
        second.Y = 9;
        record.Tail = long.MinValue + 1;

        Assert.Equal(0x0102030405060708, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(FarRecord.Offsets.Edge)));
        Assert.Equal(0xAB, bytes[FarRecord.Offsets.Over]);
        Assert.Equal(0xCD, bytes[FarRecord.Offsets.Pad + 8191]);
        Assert.Equal("far away"u8.ToArray(), bytes.AsSpan(FarRecord.Offsets.Name, 8).ToArray());
        Assert.Equal(-7, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(FarRecord.Offsets.Nested)));
        Assert.Equal(9, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(FarRecord.Offsets.Points + Point.SizeInBytes + 4)));
        Assert.Equal(long.MinValue + 1, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(FarRecord.Offsets.Tail)));
        Assert.Equal(FarRecord.SizeInBytes, FarRecord.Offsets.Tail + sizeof(long));

        var readOnly = new FarRecord.ReadOnlyRef(bytes);
        Assert.Equal(
            (0x0102030405060708L, (byte)0xAB, (byte)0xCD, "far away", -7, 9, long.MinValue + 1),
            (readOnly.Edge, readOnly.Over, readOnly.Pad[8191], readOnly.Name, readOnly.Nested.X, readOnly.Points[1].Y, readOnly.Tail));

        byte[] straddling = new byte[StraddlingRecord.SizeInBytes];
        var straddle = new StraddlingRecord.Ref(straddling);
        straddle.Straddle = 42;
        Assert.Equal(42, BinaryPrimitives.ReadInt64LittleEndian(straddling.AsSpan(4092)));
        Assert.Equal(42, new StraddlingRecord.ReadOnlyRef(straddling).Straddle);
    }

    [Fact]
    public void OnlyFieldsEndingPastTheFirstPageGoThroughFar()
    {
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(Compiler.Create("""
            using Overlay;
            using Overlay.Layouts;
            namespace Game;

            [MappedLayout]
            public partial struct Point { public int X; public int Y; }

            [MappedLayout]
            public partial struct Far
            {
                public int Head;
                [FixedArray(4084)] public byte[] Near;
                public long Edge;
                public byte Over;
                [FixedArray(8192)] public byte[] Pad;
                [FixedString(16)] public string Name;
                public Point Nested;
                [FixedArray(2)] public Point[] Points;
                public long Tail;
            }

            [MappedLayout]
            public partial struct Straddling { [Offset(4092)] public long Straddle; }

            // Larger than a page, but every field ends inside the first one.
            [MappedLayout(Size = 10000)]
            public partial struct Sparse { public int A; [Offset(4092)] public int B; }
            """));
        Assert.Empty(Compiler.Problems(output));

        string far = sources["Game.Far.g.cs"];
        int[] near = [0, 4, 4088];
        int[] past = [4096, 4097, 12289, 12305, 12313, 12329];
        foreach (int offset in near)
        {
            Assert.Contains(Unchecked(offset), far, StringComparison.Ordinal);
            Assert.DoesNotContain(Checked(offset), far, StringComparison.Ordinal);
        }

        foreach (int offset in past)
        {
            Assert.Contains(Checked(offset), far, StringComparison.Ordinal);
            Assert.DoesNotContain(Unchecked(offset), far, StringComparison.Ordinal);
        }

        // Every use of __far is one of those, or the helper itself, once in the Ref and once in the ReadOnlyRef.
        int uses = Occurrences(far, "__far(");
        int checkedUses = past.Sum(offset => Occurrences(far, Checked(offset)));
        Assert.Equal(2, Occurrences(far, "private ref byte __far(int offset)"));
        Assert.Equal(uses - 2, checkedUses);

        string straddling = sources["Game.Straddling.g.cs"];
        Assert.Contains(Checked(4092), straddling, StringComparison.Ordinal);
        Assert.DoesNotContain(Unchecked(4092), straddling, StringComparison.Ordinal);

        // No far field, no helper: the record's size alone does not matter.
        foreach (string name in new[] { "Game.Sparse.g.cs", "Game.Point.g.cs" })
        {
            Assert.DoesNotContain("__far", sources[name], StringComparison.Ordinal);
        }

        Assert.Contains(Unchecked(4092), sources["Game.Sparse.g.cs"], StringComparison.Ordinal);

        static string Checked(int offset) => $"__far({offset.ToString(CultureInfo.InvariantCulture)})";

        static string Unchecked(int offset) => $"global::System.Runtime.CompilerServices.Unsafe.Add(ref __start, {offset.ToString(CultureInfo.InvariantCulture)})";

        static int Occurrences(string text, string value)
        {
            int count = 0;
            for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }

    [Fact]
    public void AReferencedLayoutOfConstantsAloneIsAnErrorAtTheFieldNotACompileErrorInTheGeneratedCode()
    {
        // The constants alone, no Ref or ReadOnlyRef: taken as compiled before, the Ref of Body
        // named Geometry.Vec2.Ref, which does not exist (CS0426).
        AssertReferencedLayoutWithoutRefsIsRefused(string.Empty);
    }

    [Fact]
    public void AReferencedLayoutWithFieldsButWithoutRefTypesIsAnErrorAtTheFieldNotACompileErrorInTheGeneratedCode()
    {
        // The constants and the fields, no nested types. No longer taken as compiled, Vec2 is
        // parsed from its fields instead, which succeeds: Body's generated members then name
        // Vec2's View, Ref, ... all the same.
        AssertReferencedLayoutWithoutRefsIsRefused("public float X; public float Y;");
    }

    [Fact]
    public void AReferencedLayoutFromAGeneratorWithoutRefTypesIsAnErrorAtTheFieldNotACompileErrorInTheGeneratedCode()
    {
        // What a generator from before the Ref types made: this generator's output for Vec2 with
        // its Ref and ReadOnlyRef taken out (and the two span methods that use them stubbed).
        const string Vec2Source = """
            using Overlay;
            using Overlay.Layouts;
            namespace Geometry;
            [MappedLayout]
            public partial struct Vec2 { public float X; public float Y; }
            """;
        (Dictionary<string, string> generated, _) = Compiler.Generate(Compiler.Create(Vec2Source).WithAssemblyName("Geometry"));
        string withoutRefs = WithoutNestedType(WithoutNestedType(generated["Geometry.Vec2.g.cs"], "Ref"), "ReadOnlyRef")
            .Replace("var record = new ReadOnlyRef(source);", "throw new global::System.NotSupportedException();", StringComparison.Ordinal)
            .Replace("var record = new Ref(destination);", "throw new global::System.NotSupportedException();", StringComparison.Ordinal);
        withoutRefs = System.Text.RegularExpressions.Regex.Replace(withoutRefs, @"\n        (value\.\w+ = record\.\w+|record\.\w+ = value\.\w+);", string.Empty);
        Assert.DoesNotContain("struct Ref", withoutRefs, StringComparison.Ordinal);
        Assert.Contains("struct View", withoutRefs, StringComparison.Ordinal);
        byte[] image = Emit(Compiler.Create(Vec2Source, withoutRefs).WithAssemblyName("Geometry"));

        AssertNestingIsRefused(image);
    }

    private static void AssertReferencedLayoutWithoutRefsIsRefused(string fields)
    {
        // Geometry.Vec2 compiled here without any generator.
        byte[] image = Emit(Compiler.Create($$"""
            using Overlay;
            using Overlay.Layouts;
            namespace Geometry;
            [MappedLayout]
            public partial struct Vec2
            {
                public const int SizeInBytes = 8;
                public const ulong LayoutFingerprint = 0x0123456789ABCDEFUL;
                {{fields}}
            }
            """).WithAssemblyName("Geometry"));
        AssertNestingIsRefused(image);
    }

    private static void AssertNestingIsRefused(byte[] geometry)
    {
        const string GameSource = """
            using Overlay;
            using Overlay.Layouts;
            namespace Game;
            [MappedLayout]
            public partial struct Body
            {
                public int Id;
                public Geometry.Vec2 Position;
            }
            """;
        CSharpCompilation game = Compiler.Create(GameSource).WithAssemblyName("Game").AddReferences(MetadataReference.CreateFromImage(geometry));

        // The generated code, if any, compiles: no Geometry.Vec2.Ref that does not exist (CS0426).
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(game);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id == "CS0426");
        Assert.Empty(Compiler.Problems(output));

        // The analyzer says why instead: an OVL1xx error on the field that holds the layout.
        Diagnostic error = Assert.Single(Compiler.Analyze(game));
        Assert.StartsWith("OVL1", error.Id, StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("Position", GameSource.Substring(error.Location.SourceSpan.Start, error.Location.SourceSpan.Length));
        Assert.DoesNotContain("Game.Body.g.cs", sources.Keys);
    }

    private static void AssertNullRef(Action access)
    {
        // Caught like any exception: the test process goes on to the next access.
        Assert.Throws<NullReferenceException>(access);
    }

    private static string WithoutNestedType(string source, string name)
    {
        // The declaration, its doc comment above it and its body, down to the closing brace at its indent.
        var lines = source.Split('\n').ToList();
        int start = lines.FindIndex(l => l.StartsWith($"    public readonly ref struct {name} ", StringComparison.Ordinal));
        Assert.True(start > 0, $"No nested {name} in the generated source.");
        int end = lines.FindIndex(start, l => l.TrimEnd('\r') == "    }");
        while (lines[start - 1].StartsWith("    ///", StringComparison.Ordinal))
        {
            start--;
        }

        lines.RemoveRange(start, end - start + 1);
        return string.Join('\n', lines);
    }

    private static byte[] Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        EmitResult result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return stream.ToArray();
    }
}
