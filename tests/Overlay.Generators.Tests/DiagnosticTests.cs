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
        namespace Game;
        [MappedLayout]
        public struct [|Plain|] { public int A; }
        """, "Layout 'Game.Plain' must be declared partial so the generator can add its views");

    [Fact]
    public void OVL102_ContainingTypeNotPartial() => Check("OVL102", "Game.Holder.Inner", """
        using Overlay;
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
        namespace Game;
        [MappedLayout]
        public partial struct Money { public decimal [|Amount|]; }
        """, "Field 'Amount' has type 'decimal', which a layout cannot hold: use a primitive, an enum, Guid, a [MappedLayout] struct, a [FixedString] string or a [FixedArray] array");

    [Fact]
    public void OVL103_UnsupportedArrayElement() => Check("OVL103", "Game.Ids", """
        using System;
        using Overlay;
        namespace Game;
        [MappedLayout]
        public partial struct Ids { [FixedArray(2)] public Guid[] [|All|]; }
        """, "Field 'All' has type 'System.Guid[]', which a layout cannot hold: a fixed array holds primitives, enums or [MappedLayout] structs");

    [Fact]
    public void OVL104_OverlappingFields() => Check("OVL104", "Game.Clash", """
        using Overlay;
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
        namespace Game;
        [MappedLayout]
        public partial struct Named { public string [|Name|]; }
        """, "Field 'Name' is a string without [FixedString(length)]");

    [Fact]
    public void OVL106_ArrayWithoutFixedArray() => Check("OVL106", "Game.Bag", """
        using Overlay;
        namespace Game;
        [MappedLayout]
        public partial struct Bag { public int[] [|Items|]; }
        """, "Field 'Items' is an array without [FixedArray(length)]");

    [Fact]
    public void OVL106_NonPositiveLength() => Check("OVL106", "Game.Empty", """
        using Overlay;
        namespace Game;
        [MappedLayout]
        public partial struct Empty { [FixedString([|0|])] public string Name; }
        """, "Field 'Name' has [FixedString(0)]; the length must be positive");

    [Fact]
    public void OVL107_LayoutCycle() => Check("OVL107", "Game.Node", """
        using Overlay;
        namespace Game;
        [MappedLayout]
        public partial struct Node { [FixedArray(2)] public Edge[] [|Edges|]; }
        [MappedLayout]
        public partial struct Edge { public Node Target; }
        """, "Field 'Edges' makes layout 'Game.Node' contain itself (Game.Node -> Game.Edge -> Game.Node)", expectedCount: 2);

    [Fact]
    public void OVL108_GenericLayout() => Check("OVL108", "Game.Box<T>", """
        using Overlay;
        namespace Game;
        [MappedLayout]
        public partial struct [|Box|]<T> { public int A; }
        """, "Layout 'Game.Box<T>' cannot be generic or nested in a generic type: its size and fields must be known at compile time");

    [Fact]
    public void OVL109_ReservedFieldName() => Check("OVL109", "Game.Clashing", """
        using Overlay;
        namespace Game;
        [MappedLayout]
        public partial struct Clashing { public int A; public long [|Offset|]; }
        """, "Field 'Offset' has the name of a member the generator adds to layouts and their views; rename it");

    [Fact]
    public void OVL110_NegativeOffset() => Check("OVL110", "Game.Before", """
        using Overlay;
        namespace Game;
        [MappedLayout]
        public partial struct Before { [Offset([|-4|])] public int A; }
        """, "Field 'A' has offset -4; offsets cannot be negative");

    [Fact]
    public void ValidLayoutHasNoDiagnostics()
    {
        CSharpCompilation compilation = Compiler.Create("""
            using Overlay;
            [MappedLayout(Size = 16)]
            public partial struct Fine { public int A; [FixedString(4)] public string B; [FixedArray(2)] public short[] C; }
            """);
        Assert.Empty(Compiler.Analyze(compilation));
    }

    [Fact]
    public void EveryDescriptorHasAHelpLinkToItsPage()
    {
        var analyzer = new Overlay.Analyzers.Layouts.LayoutAnalyzer();
        Assert.Equal(10, analyzer.SupportedDiagnostics.Length);
        foreach (DiagnosticDescriptor descriptor in analyzer.SupportedDiagnostics)
        {
            Assert.Equal($"https://github.com/overlay/overlay/blob/main/docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        }
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
