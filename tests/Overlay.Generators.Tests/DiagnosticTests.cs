using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Overlay.Generators.Tests;

/// <summary>
/// One test per OVL1xx: the analyzer reports the id, the message and the span marked <c>[|...|]</c>
/// in the source, and the generator emits nothing for the invalid layout.
/// </summary>
public class DiagnosticTests
{
    [Fact]
    public void OVL101_NotPartial() => Check("OVL101", "Game.Plain", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public struct [|Plain|] { public int A; }
        """, "Layout 'Game.Plain' must be declared partial so the generator can add its views");

    [Fact]
    public void OVL102_ContainingTypeNotPartial() => Check("OVL102", "Game.Holder.Inner", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        public class Holder
        {
            [MappedLayout]
            public partial struct [|Inner|] { public int A; }
        }
        """, "Layout 'Game.Holder.Inner' is nested in 'Game.Holder', which must be declared partial");

    [Fact]
    public void OVL103_UnsupportedFieldType() => Check("OVL103", "Game.Money", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Money { public decimal [|Amount|]; }
        """, "Field 'Amount' has type 'decimal', which a layout cannot hold: use a primitive, an enum, Guid, a [MappedLayout] struct, a [FixedString] string or a [FixedArray] array");

    [Fact]
    public void OVL103_UnsupportedArrayElement() => Check("OVL103", "Game.Ids", """
        using System;
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Ids { [FixedArray(2)] public Guid[] [|All|]; }
        """, "Field 'All' has type 'System.Guid[]', which a layout cannot hold: a fixed array holds primitives, enums or [MappedLayout] structs");

    [Fact]
    public void OVL104_OverlappingFields() => Check("OVL104", "Game.Clash", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Clash
        {
            [Offset(0)] public long Wide;
            [Offset(4)] public int [|Narrow|];
        }
        """, "Field 'Narrow' (bytes 4 to 7) overlaps field 'Wide' (bytes 0 to 7)");

    [Fact]
    public void OVL105_FieldPastSize() => Check("OVL105", "Game.Small", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout(Size = 5)]
        public partial struct Small
        {
            public short A;
            public int [|B|];
        }
        """, "Field 'B' ends at byte 6, past the layout's declared Size of 5");

    [Fact]
    public void OVL106_StringWithoutFixedString() => Check("OVL106", "Game.Named", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Named { public string [|Name|]; }
        """, "Field 'Name' is a string without [FixedString(length)]");

    [Fact]
    public void OVL106_ArrayWithoutFixedArray() => Check("OVL106", "Game.Bag", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Bag { public int[] [|Items|]; }
        """, "Field 'Items' is an array without [FixedArray(length)]");

    [Fact]
    public void OVL106_NonPositiveLength() => Check("OVL106", "Game.Empty", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Empty { [FixedString([|0|])] public string Name; }
        """, "Field 'Name' has [FixedString(0)]; the length must be positive");

    [Fact]
    public void OVL107_LayoutCycle() => Check("OVL107", "Game.Node", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Node { [FixedArray(2)] public Edge[] [|Edges|]; }
        [MappedLayout]
        public partial struct Edge { public Node Target; }
        """, "Field 'Edges' makes layout 'Game.Node' contain itself (Game.Node -> Game.Edge -> Game.Node)", expectedCount: 2);

    [Fact]
    public void OVL108_GenericLayout() => Check("OVL108", "Game.Box<T>", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct [|Box|]<T> { public int A; }
        """, "Layout 'Game.Box<T>' cannot be generic or nested in a generic type: its size and fields must be known at compile time");

    // What is still refused: the names of the types the generator nests in every layout (a field
    // beside a nested type of its name is CS0102, and its accessor inside that type CS0542).
    [Theory]
    [InlineData("View")]
    [InlineData("ReadOnlyView")]
    [InlineData("Ref")]
    [InlineData("ReadOnlyRef")]
    public void OVL109_NamesOfGeneratedTypes(string name) => Check("OVL109", "Game.Clashing", $$"""
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Clashing { public int A; public long [|{{name}}|]; }
        """, $"Field '{name}' cannot have this name: the generator nests a type '{name}' in every layout (its views and refs: View, ReadOnlyView, Ref, ReadOnlyRef); rename it");

    // A field named like its layout is CS0542 in the user's own code already; the generator adds
    // nothing on top of that error.
    [Fact]
    public void OVL109_NameOfTheLayout() => Check("OVL109", "Game.Chunk", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Chunk { public int A; public long [|Chunk|]; }
        """, "Field 'Chunk' cannot have this name: C# forbids a member named like its type; rename it");

    // The private members of generated code start with "__" (C# reserves identifiers with two
    // consecutive underscores for the implementation).
    [Theory]
    [InlineData("__map")]
    [InlineData("__offset")]
    [InlineData("__start")]
    [InlineData("__far")]
    [InlineData("__layoutInfo")]
    [InlineData("__anything")]
    public void OVL109_DoubleUnderscorePrefix(string name) => Check("OVL109", "Game.Clashing", $$"""
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Clashing { public int A; public long [|{{name}}|]; }
        """, $"Field '{name}' cannot have this name: names starting with '__' are reserved for the members of generated code; rename it");

    [Fact]
    public void OVL110_NegativeOffset() => Check("OVL110", "Game.Before", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Before { [Offset([|-4|])] public int A; }
        """, "Field 'A' has offset -4; offsets cannot be negative");

    [Fact]
    public void OVL111_ReadOnlyField() => Check("OVL111", "Game.Frozen", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Frozen { public readonly int [|A|]; public int B; }
        """, "Field 'A' is readonly, but the generated Load assigns every field of a layout: remove 'readonly'");

    [Fact]
    public void OVL111_ReadOnlyStructIsReportedOnceOnTheStruct() => Check("OVL111", "Game.Frozen", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public readonly partial struct [|Frozen|] { public readonly int A; public readonly int B; }
        """, "Layout 'Game.Frozen' is readonly, but the generated Load assigns every field of a layout: remove 'readonly'");

    [Fact]
    public void OVL112_FixedStringOnANonString() => Check("OVL112", "Game.Coded", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Coded { [[|FixedString(4)|]] public int Code; }
        """, "Field 'Code' has type 'int', but [FixedString] applies only to string fields");

    [Fact]
    public void OVL112_FixedArrayOnANonArray() => Check("OVL112", "Game.Total", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Total { [[|FixedArray(4)|]] public long Sum; }
        """, "Field 'Sum' has type 'long', but [FixedArray] applies only to array fields (T[])");

    [Fact]
    public void OVL112_BothOnAString() => Check("OVL112", "Game.Named", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Named { [FixedString(8), [|FixedArray(2)|]] public string Name; }
        """, "Field 'Name' has type 'string', but [FixedArray] applies only to array fields (T[])");

    [Fact]
    public void OVL112_BothOnAnArray() => Check("OVL112", "Game.Raw", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Raw { [[|FixedString(8)|], FixedArray(2)] public byte[] Bytes; }
        """, "Field 'Bytes' has type 'byte[]', but [FixedString] applies only to string fields");

    [Fact]
    public void OVL112_And_OVL103_FixedStringOnAStringArray() => CheckAll("Game.Names", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Names { [[|FixedString(8)|], FixedArray(2)] public string[] [|All|]; }
        """,
        ("OVL112", "Field 'All' has type 'string[]', but [FixedString] applies only to string fields"),
        ("OVL103", "Field 'All' has type 'string[]', which a layout cannot hold: a fixed array holds primitives, enums or [MappedLayout] structs"));

    [Fact]
    public void OVL103_FixedArrayOfStrings() => Check("OVL103", "Game.Names", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Names { [FixedArray(2)] public string[] [|All|]; }
        """, "Field 'All' has type 'string[]', which a layout cannot hold: a fixed array holds primitives, enums or [MappedLayout] structs");

    [Fact]
    public void OVL103_FixedArrayOfArrays() => Check("OVL103", "Game.Grid", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Grid { [FixedArray(2)] public int[][] [|Rows|]; }
        """, "Field 'Rows' has type 'int[][]', which a layout cannot hold: a fixed array holds primitives, enums or [MappedLayout] structs");

    [Fact]
    public void OVL103_MultiDimensionalArray() => Check("OVL103", "Game.Grid", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Grid { [FixedArray(2)] public int[,] [|Cells|]; }
        """, "Field 'Cells' has type 'int[*,*]', which a layout cannot hold: a fixed array holds primitives, enums or [MappedLayout] structs");

    [Fact]
    public void OVL113_NoInstanceFields() => Check("OVL113", "Game.Nothing", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct [|Nothing|] { public static int Shared; public const int Answer = 42; public int Property { get; set; } }
        """, "Layout 'Game.Nothing' has no instance fields and no Size; a record must be at least one byte long", expectedCount: 1);

    [Fact]
    public void OVL113_SizeZeroAndNoFields() => Check("OVL113", "Game.Zero", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout(Size = 0)]
        public partial struct [|Zero|] { }
        """, "Layout 'Game.Zero' has no instance fields and no Size; a record must be at least one byte long");

    [Fact]
    public void OVL114_NegativeSizeIsReportedOnceOnTheArgument() => Check("OVL114", "Game.Negative", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout(Size = [|-1|])]
        public partial struct Negative { public int A; public long B; public short C; }
        """, "Layout 'Game.Negative' declares Size = -1; Size must be between 1 and 1073741823, or left out to end at the last field");

    [Fact]
    public void OVL114_NegativeSizeWithoutFields() => Check("OVL114", "Game.Negative", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout(Size = [|-8|])]
        public partial struct Negative { }
        """, "Layout 'Game.Negative' declares Size = -8; Size must be between 1 and 1073741823, or left out to end at the last field");

    [Fact]
    public void OVL114_SizeBeyondTheLargestRecord() => Check("OVL114", "Game.Huge", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout(Size = [|1073741824|])]
        public partial struct Huge { public int A; }
        """, "Layout 'Game.Huge' declares Size = 1073741824; Size must be between 1 and 1073741823, or left out to end at the last field");

    [Fact]
    public void OVL115_ExplicitOffsetThatWouldOverflowInt() => Check("OVL115", "Game.Far", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Far { public int A; [Offset(2147483646)] public int [|B|]; }
        """, "Field 'B' ends at byte 2147483650, past the largest record a layout can describe (1073741823 bytes)");

    [Fact]
    public void OVL115_ArrayWhoseSizeOverflowsInt() => Check("OVL115", "Game.Wide", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Wide { public int A; [FixedArray(1073741824)] public long[] [|Values|]; }
        """, "Field 'Values' ends at byte 8589934596, past the largest record a layout can describe (1073741823 bytes)");

    [Fact]
    public void OVL115_SequentialFieldOneBytePastTheBound() => Check("OVL115", "Game.Edge", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Edge { [FixedString(1073741823)] public string Text; public byte [|Tail|]; }
        """, "Field 'Tail' ends at byte 1073741824, past the largest record a layout can describe (1073741823 bytes)");

    [Fact]
    public void OVL116_BothByteOrdersOnAField() => Check("OVL116", "Game.Mixed", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Mixed { [BigEndian, LittleEndian] public int [|A|]; }
        """, "Field 'A' has both [BigEndian] and [LittleEndian]; keep one");

    [Fact]
    public void OVL116_BothByteOrdersOnTheLayout() => Check("OVL116", "Game.Mixed", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout, BigEndian, LittleEndian]
        public partial struct [|Mixed|] { public int A; }
        """, "Layout 'Game.Mixed' has both [BigEndian] and [LittleEndian]; keep one");

    [Fact]
    public void ReservedBytesOnlyAndTheLargestRecordAreValid()
    {
        CSharpCompilation compilation = Compiler.Create("""
            using Overlay;
            using Overlay.Layouts;
            [MappedLayout(Size = 8)]
            public partial struct Reserved { }
            [MappedLayout(Size = 1073741823)]
            public partial struct Largest { [Offset(1073741819)] public int Last; }
            [MappedLayout]
            public partial struct Exact { [FixedString(1073741823)] public string Text; }
            """);
        Assert.Empty(Compiler.Analyze(compilation));
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(compilation);
        Assert.Empty(Compiler.Problems(output));
        Assert.Contains("public const int SizeInBytes = 8;", sources["Reserved.g.cs"], System.StringComparison.Ordinal);
        Assert.Contains("public const int SizeInBytes = 1073741823;", sources["Largest.g.cs"], System.StringComparison.Ordinal);
        Assert.Contains("public const int SizeInBytes = 1073741823;", sources["Exact.g.cs"], System.StringComparison.Ordinal);
    }

    [Fact]
    public void ValidLayoutHasNoDiagnostics()
    {
        CSharpCompilation compilation = Compiler.Create("""
            using Overlay;
            using Overlay.Layouts;
            [MappedLayout(Size = 16)]
            public partial struct Fine { public int A; [FixedString(4)] public string B; [FixedArray(2)] public short[] C; }
            """);
        Assert.Empty(Compiler.Analyze(compilation));
    }

    [Fact]
    public void OVL117_VarStringOnANonString() => Check("OVL117", "Game.Entry", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Entry { [[|VarString|]] public int Text; }
        """, "Field 'Text' has type 'int', but [VarString] is for string fields");

    [Fact]
    public void OVL117_VarBytesOnANonByteArray() => Check("OVL117", "Game.Entry", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Entry { [[|VarBytes|]] public int[] Data; }
        """, "Field 'Data' has type 'int[]', but [VarBytes] is for byte[] fields");

    [Fact]
    public void OVL117_VariableAndFixed() => Check("OVL117", "Game.Entry", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Entry { [VarString, [|FixedString(8)|]] public string Text; }
        """, "Field 'Text' has [VarString] and [FixedString]: a field is either fixed-length or variable-length");

    [Fact]
    public void OVL117_NestedLayoutWithVariableFields() => Check("OVL117", "Game.Outer", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Inner { [VarString] public string Text; }
        [MappedLayout]
        public partial struct Outer { public Inner [|Nested|]; }
        """, "Field 'Nested' nests layout 'Game.Inner', which has variable-length fields: a nested layout cannot have them yet (its Load and Store would need the heap)");

    [Fact]
    public void OVL117_VarListOnANonArray() => Check("OVL117", "Game.Entry", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Entry { [[|VarList|]] public int Scores; }
        """, "Field 'Scores' has type 'int', but [VarList] is for array fields (T[])");

    [Fact]
    public void OVL117_VarListAndFixedArray() => Check("OVL117", "Game.Entry", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Entry { [VarList, [|FixedArray(4)|]] public int[] Scores; }
        """, "Field 'Scores' has [VarList] and [FixedArray]: a list is stored in the heap (a 12-byte reference), so it takes no other length or encoding attribute");

    [Fact]
    public void OVL125_VarListOfStrings() => Check("OVL125", "Game.Entry", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Entry { [VarList] public string[] [|Names|]; }
        """, "Field 'Names' is a [VarList] of 'string': a [VarList] holds primitives, enums or [MappedLayout] structs without variable-length fields");

    [Fact]
    public void OVL125_VarListOfALayoutWithVariableFields() => Check("OVL125", "Game.Outer", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Inner { [VarString] public string Text; }
        [MappedLayout]
        public partial struct Outer { [VarList] public Inner[] [|Items|]; }
        """, "Field 'Items' is a [VarList] of 'Game.Inner': layout 'Game.Inner' has variable-length fields, which a list's elements cannot have (each element's Load and Store would need the heap)");

    [Fact]
    public void OVL125_VarListOfItself() => Check("OVL125", "Game.Node", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Node { public int Id; [VarList] public Node[] [|Children|]; }
        """, "Field 'Children' is a [VarList] of 'Game.Node': the element contains this layout, which has variable-length fields: a [VarList] holds primitives, enums or [MappedLayout] structs without variable-length fields");

    [Fact]
    public void OVL125_VarListOfGuids() => Check("OVL125", "Game.Entry", """
        using System;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Entry { [VarList] public Guid[] [|Ids|]; }
        """, "Field 'Ids' is a [VarList] of 'System.Guid': a [VarList] holds primitives, enums or [MappedLayout] structs without variable-length fields (store a Guid as a [MappedLayout] of two ulongs)");

    [Fact]
    public void EveryDescriptorHasAHelpLinkToItsPage()
    {
        var analyzer = new Overlay.Analyzers.Layouts.LayoutAnalyzer();
        Assert.Equal(23, analyzer.SupportedDiagnostics.Length);
        foreach (DiagnosticDescriptor descriptor in analyzer.SupportedDiagnostics)
        {
            Assert.Equal($"https://overlay.github.io/overlay/diagnostics/{descriptor.Id}.html", descriptor.HelpLinkUri);
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        }
    }

    [Fact]
    public void OVL120_AtomicFieldAtAnOffsetNotAMultipleOfItsSize() => Check("OVL120", "Game.Shared", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Shared
        {
            public int Flags;
            [Atomic] public long [|Count|];
        }
        """, "[Atomic] field 'Count' is not naturally aligned: its offset, 4, is not a multiple of its size, 8");

    [Fact]
    public void OVL120_AtomicFieldInARecordWhoseSizeIsNotAMultipleOfItsSize() => Check("OVL120", "Game.Shared", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Shared
        {
            [Atomic] public long [|Count|];
            public int Flags;
        }
        """, "[Atomic] field 'Count' is not naturally aligned: the record's size, 12, is not a multiple of its size, 8, so it would be misaligned in some records of an array or record file");

    [Fact]
    public void OVL120_DeclaredSizeCountsAsTheStride() => Check("OVL120", "Game.Shared", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout(Size = 10)]
        public partial struct Shared { [Atomic] public int [|Count|]; }
        """, "[Atomic] field 'Count' is not naturally aligned: the record's size, 10, is not a multiple of its size, 4, so it would be misaligned in some records of an array or record file");

    [Theory]
    [InlineData("short")]
    [InlineData("double")]
    [InlineData("Mode")]
    public void OVL121_AtomicOnAnUnsupportedType(string type) => Check("OVL121", "Game.Shared", $$"""
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        public enum Mode { A, B }
        [MappedLayout]
        public partial struct Shared { [[|Atomic|]] public {{type}} Count; }
        """, $"Field 'Count' has type '{(type == "Mode" ? "Game.Mode" : type)}', but [Atomic] is for int, uint, long and ulong fields");

    [Fact]
    public void OVL121_AtomicOnAnArray() => Check("OVL121", "Game.Shared", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Shared { [[|Atomic|], FixedArray(2)] public long[] Counts; }
        """, "Field 'Counts' has type 'long[]', but [Atomic] is for int, uint, long and ulong fields");

    [Fact]
    public void OVL121_AtomicOnABigEndianField() => Check("OVL121", "Game.Shared", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Shared { [[|Atomic|], BigEndian] public long Count; }
        """, "Field 'Count' is big-endian, but [Atomic] operations work in the processor's (little-endian) byte order: mark the field [LittleEndian]");

    [Fact]
    public void OVL121_AtomicInABigEndianLayout() => Check("OVL121", "Game.Shared", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout, BigEndian]
        public partial struct Shared { [[|Atomic|]] public long Count; }
        """, "Field 'Count' is big-endian, but [Atomic] operations work in the processor's (little-endian) byte order: mark the field [LittleEndian]");

    [Fact]
    public void OVL109_FieldNamedLikeAnAtomicMember() => Check("OVL109", "Game.Shared", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Shared
        {
            [Atomic] public long Count;
            public long [|IncrementCount|];
        }
        """, "Field 'IncrementCount' cannot have this name: the generator adds a member 'IncrementCount' to the views and refs for the [Atomic] field 'Count'; rename it");

    [Theory]
    [InlineData("[Atomic] public int A; [Atomic] public uint B; [Atomic] public long C; [Atomic] public ulong D;")]
    [InlineData("public int Flags; [Atomic] public int Count; public long Total;")]
    [InlineData("[Offset(8), Atomic] public long Count; [Offset(0)] public long IncrementTotal;")]
    [InlineData("[Atomic, LittleEndian] public long Count; public long Next;")]
    public void AlignedAtomicFieldsAreNotReported(string fields)
    {
        string source = $$"""
            using Overlay;
            using Overlay.Layouts;
            namespace Game;
            [MappedLayout{{(fields.Contains("LittleEndian", System.StringComparison.Ordinal) ? ", BigEndian" : string.Empty)}}]
            public partial struct Shared { {{fields}} }
            """;
        CSharpCompilation compilation = Compiler.Create(source);
        Assert.Empty(Compiler.Analyze(compilation));
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(compilation);
        Assert.Contains("Game.Shared.g.cs", sources.Keys);
        Assert.Empty(Compiler.Problems(output));
    }

    [Fact]
    public void AtomicDoesNotChangeTheFingerprint()
    {
        const string Template = """
            using Overlay;
            using Overlay.Layouts;
            namespace Game;
            [MappedLayout]
            public partial struct Shared { ATTRIBUTE public long Count; public int Flags; public int Spare; }
            """;
        string plain = Compiler.Generate(Compiler.Create(Template.Replace("ATTRIBUTE", string.Empty, System.StringComparison.Ordinal))).Sources["Game.Shared.g.cs"];
        string atomic = Compiler.Generate(Compiler.Create(Template.Replace("ATTRIBUTE", "[Atomic]", System.StringComparison.Ordinal))).Sources["Game.Shared.g.cs"];
        string Fingerprint(string text) => text.Split('\n').Single(line => line.Contains("public const ulong LayoutFingerprint", System.StringComparison.Ordinal));
        Assert.Equal(Fingerprint(plain), Fingerprint(atomic));
        Assert.Contains("public long IncrementCount()", atomic, System.StringComparison.Ordinal);
        Assert.DoesNotContain("IncrementCount", plain, System.StringComparison.Ordinal);
    }

    /// <summary>Every diagnostic, in source order: one <c>[|...|]</c> span per expected (id, message).</summary>
    private const string ConverterUsings = """
        using System;
        using Overlay.Layouts;
        using Overlay.Schemas;
        namespace Game;
        """;

    [Fact]
    public void OVL130_UpgradeConverterForAnUnknownField() => Check("OVL130", "Game.Hero", ConverterUsings + """

        [MappedLayout]
        public partial struct Hero
        {
            public byte Level;

            [UpgradeConverter([|"Levle"|])]
            private static byte LevelFromV1(StoredRecord old) => 1;
        }
        """, "[UpgradeConverter] method 'LevelFromV1' converts 'Levle', which is not a field of layout 'Game.Hero'");

    [Fact]
    public void OVL130_UpgradeConverterForAStaticField() => Check("OVL130", "Game.Hero", ConverterUsings + """

        [MappedLayout]
        public partial struct Hero
        {
            public byte Level;
            public static byte Cap;

            [UpgradeConverter([|nameof(Cap)|])]
            private static byte CapFromV1(StoredRecord old) => 1;
        }
        """, "[UpgradeConverter] method 'CapFromV1' converts 'Cap', which is not a field of layout 'Game.Hero'");

    [Theory]
    [InlineData("private byte [|LevelFromV1|](StoredRecord old) => 1;", "it must be a static method; ")]
    [InlineData("private static byte [|LevelFromV1|]<T>(StoredRecord old) => 1;", "it must not be generic; ")]
    [InlineData("private static byte [|LevelFromV1|](in StoredRecord old) => 1;", "its first parameter must be a StoredRecord (by value); ")]
    [InlineData("private static byte [|LevelFromV1|](long old) => 1;", "its first parameter must be a StoredRecord (by value); ")]
    [InlineData("private static byte [|LevelFromV1|]() => 1;", "its first parameter must be a StoredRecord (by value); ")]
    [InlineData("private static void [|LevelFromV1|](StoredRecord old, byte[] field) { }", "its second parameter must be a Span<byte> (by value), the field's bytes; ")]
    [InlineData("private static void [|LevelFromV1|](StoredRecord old, Span<int> field) { }", "its second parameter must be a Span<byte> (by value), the field's bytes; ")]
    [InlineData("private static void [|LevelFromV1|](StoredRecord old) { }", "")]
    [InlineData("private static byte [|LevelFromV1|](StoredRecord old, Span<byte> field) => 1;", "")]
    public void OVL131_UpgradeConverterWithTheWrongSignature(string method, string reason) => Check("OVL131", "Game.Hero", ConverterUsings + $$"""

        [MappedLayout]
        public partial struct Hero
        {
            public byte Level;

            [UpgradeConverter(nameof(Level))]
            {{method}}
        }
        """, $"Method 'LevelFromV1' cannot convert field 'Level': {reason}it must be 'static void M(StoredRecord stored, Span<byte> field)', writing the field's bytes, or 'static T M(StoredRecord stored)' returning the field's value");

    [Fact]
    public void OVL131_UpgradeConverterReturningAnotherType() => Check("OVL131", "Game.Hero", ConverterUsings + """

        [MappedLayout]
        public partial struct Hero
        {
            public byte Level;

            [UpgradeConverter(nameof(Level))]
            private static int [|LevelFromV1|](StoredRecord old) => 1;
        }
        """, "Method 'LevelFromV1' cannot convert field 'Level': it returns 'int', and field 'Level' is 'byte': a converter that returns a value returns the field's type");

    [Fact]
    public void OVL131_UpgradeConverterReturningAnArray() => Check("OVL131", "Game.Hero", ConverterUsings + """

        [MappedLayout]
        public partial struct Hero
        {
            [FixedArray(2)] public int[] Slots;

            [UpgradeConverter(nameof(Slots))]
            private static int[] [|SlotsFromV1|](StoredRecord old) => new int[2];
        }
        """, "Method 'SlotsFromV1' cannot convert field 'Slots': a converter can return the value of a primitive, enum, Guid, fixed-string or nested-layout field, not of a fixed array: write its bytes with 'static void SlotsFromV1(StoredRecord stored, Span<byte> field)'");

    [Fact]
    public void OVL132_TwoUpgradeConvertersForOneField() => Check("OVL132", "Game.Hero", ConverterUsings + """

        [MappedLayout]
        public partial struct Hero
        {
            public byte Level;

            [UpgradeConverter(nameof(Level))]
            private static byte LevelFromV1(StoredRecord old) => 1;

            [[|UpgradeConverter(nameof(Level))|]]
            private static void LevelBytes(StoredRecord old, Span<byte> field) => field[0] = 1;
        }
        """, "Field 'Level' already has the upgrade converter 'LevelFromV1': 'LevelBytes' would be a second one");

    [Fact]
    public void UpgradeConvertersOfBothShapesAreNotReported()
    {
        CSharpCompilation compilation = Compiler.Create(ConverterUsings + """

            [MappedLayout]
            public partial struct Hero
            {
                public byte Level;
                [FixedString(8)] public string Name;
                [VarString] public string Motto;

                [UpgradeConverter(nameof(Level))]
                internal static byte LevelFromV1(StoredRecord old) => 1;

                [UpgradeConverter(nameof(Name))]
                public static string NameFromV1(StoredRecord old) => "x";

                [UpgradeConverter(nameof(Motto))]
                private static void MottoFromV1(StoredRecord old, Span<byte> field) { }
            }
            """);
        Assert.Empty(Compiler.Analyze(compilation));
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(compilation);
        Assert.Contains("Game.Hero.g.cs", sources.Keys);
        Assert.True(Compiler.Problems(output).Length == 0, string.Join("\n", Compiler.Problems(output)));
    }

    private static void CheckAll(string layout, string markedSource, params (string Id, string Message)[] expected)
    {
        var spans = new List<TextSpan>();
        string source = markedSource;
        for (int start = source.IndexOf("[|", System.StringComparison.Ordinal); start >= 0; start = source.IndexOf("[|", System.StringComparison.Ordinal))
        {
            source = source.Remove(start, 2);
            int end = source.IndexOf("|]", System.StringComparison.Ordinal);
            source = source.Remove(end, 2);
            spans.Add(TextSpan.FromBounds(start, end));
        }

        CSharpCompilation compilation = Compiler.Create(source);
        Diagnostic[] diagnostics = [.. Compiler.Analyze(compilation).OrderBy(d => d.Location.SourceSpan.Start)];
        Assert.Equal(expected.Length, diagnostics.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Id, diagnostics[i].Id);
            Assert.Equal(expected[i].Message, diagnostics[i].GetMessage(CultureInfo.InvariantCulture));
            Assert.Same(compilation.SyntaxTrees[0], diagnostics[i].Location.SourceTree);
            Assert.Equal(spans[i], diagnostics[i].Location.SourceSpan);
        }

        (Dictionary<string, string> sources, _) = Compiler.Generate(compilation);
        Assert.DoesNotContain(layout + ".g.cs", sources.Keys);
    }

    private static void Check(string id, string layout, string markedSource, string message, int expectedCount = 1)
    {
        int start = markedSource.IndexOf("[|", System.StringComparison.Ordinal);
        int end = markedSource.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        string source = markedSource.Replace("[|", string.Empty).Replace("|]", string.Empty);
        CSharpCompilation compilation = Compiler.Create(source);
        SyntaxTree tree = compilation.SyntaxTrees[0];

        ImmutableArray<Diagnostic> diagnostics = Compiler.Analyze(compilation);
        Assert.Equal(expectedCount, diagnostics.Length);
        Diagnostic diagnostic = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First();
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Same(tree, diagnostic.Location.SourceTree);
        Assert.Equal(TextSpan.FromBounds(start, end), diagnostic.Location.SourceSpan);
        Assert.Equal(tree.GetLineSpan(TextSpan.FromBounds(start, end)).Span, diagnostic.Location.GetLineSpan().Span);

        (Dictionary<string, string> sources, _) = Compiler.Generate(compilation);
        Assert.DoesNotContain(layout + ".g.cs", sources.Keys);
    }
}
