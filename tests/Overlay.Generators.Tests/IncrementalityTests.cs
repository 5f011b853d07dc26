using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Overlay.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits regenerate nothing, a layout edit regenerates only it.</summary>
public class IncrementalityTests
{
    private const string LayoutA = """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct A { public int X; [FixedString(8)] public string Name; }
        """;

    private const string LayoutB = """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct B { public long Y; [FixedArray(2)] public A[] Pair; }
        """;

    private const string LayoutC = """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct C { public short Z; }
        """;

    [Fact]
    public void UnrelatedEditLeavesEveryStepCached()
    {
        CSharpCompilation compilation = Compiler.Create(LayoutA, LayoutB, "namespace Game; public class Other { }");
        GeneratorDriver driver = Compiler.CreateDriver(trackSteps: true).RunGenerators(compilation);

        CSharpCompilation edited = compilation
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Game; public class Unrelated { }", Compiler.ParseOptions, path: "Unrelated.cs"))
            .ReplaceSyntaxTree(compilation.SyntaxTrees[2], CSharpSyntaxTree.ParseText("namespace Game; public class Other { public int Changed; }", Compiler.ParseOptions, path: "Layout2.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalStepRunReason[] layoutSteps = Reasons(result.TrackedSteps[MappedLayoutGenerator.LayoutSpecsStep]);
        Assert.Equal(2, layoutSteps.Length);
        Assert.All(layoutSteps, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString()));
        Assert.All(result.TrackedOutputSteps.SelectMany(step => Reasons(step.Value)), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void EditingOneLayoutRegeneratesOnlyIt()
    {
        CSharpCompilation compilation = Compiler.Create(LayoutA, LayoutC);
        GeneratorDriver driver = Compiler.CreateDriver(trackSteps: true).RunGenerators(compilation);

        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees[1],
            CSharpSyntaxTree.ParseText(LayoutC.Replace("public short Z;", "public short Z; public byte W;"), Compiler.ParseOptions, path: "Layout1.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value)
            .SelectMany(step => step.Outputs)
            .ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Cached);

        var specs = result.TrackedSteps[MappedLayoutGenerator.LayoutSpecsStep].SelectMany(step => step.Outputs).ToList();
        Assert.Single(specs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(specs, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.Contains("public const int W = 2;", result.GeneratedSources.Single(s => s.HintName == "Game.C.g.cs").SourceText.ToString());
    }

    [Fact]
    public void EditingANestedLayoutUpdatesTheLayoutsThatHoldIt()
    {
        CSharpCompilation compilation = Compiler.Create(LayoutA, LayoutB);
        GeneratorDriver driver = Compiler.CreateDriver().RunGenerators(compilation);
        string before = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "Game.B.g.cs").SourceText.ToString();

        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees[0],
            CSharpSyntaxTree.ParseText(LayoutA.Replace("FixedString(8)", "FixedString(12)"), Compiler.ParseOptions, path: "Layout0.cs"));
        string after = driver.RunGenerators(edited).GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "Game.B.g.cs").SourceText.ToString();

        Assert.Contains("public const int SizeInBytes = 32;", before);
        Assert.Contains("public const int SizeInBytes = 40;", after);
    }

    [Fact]
    public void EqualSourcesGiveEqualModels()
    {
        object first = Specs(Compiler.Create(LayoutA, LayoutB)).Single(s => s.ToString()!.Contains("Game.B", StringComparison.Ordinal));
        object second = Specs(Compiler.Create(LayoutA, LayoutB)).Single(s => s.ToString()!.Contains("Game.B", StringComparison.Ordinal));
        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void ModelsHoldNoCompilerObjects()
    {
        object[] specs = Specs(Compiler.Create(LayoutA, LayoutB, LayoutC));
        Assert.Equal(3, specs.Length);
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (object spec in specs)
        {
            Walk(spec, seen, spec.GetType().Name);
        }

        // The walk reached every field of every layout: A has 2, B has 2, C has 1.
        Assert.Equal(5, seen.Count(o => o.GetType().Name == "FieldSpec"));
    }

    private static object[] Specs(CSharpCompilation compilation)
    {
        GeneratorRunResult result = Compiler.CreateDriver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();
        return result.TrackedSteps[MappedLayoutGenerator.LayoutSpecsStep]
            .SelectMany(step => step.Outputs)
            .Select(output => output.Value)
            .ToArray();
    }

    private static void Walk(object? node, HashSet<object> seen, string path)
    {
        if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum)
        {
            return;
        }

        Assert.False(
            node is Compilation or ISymbol or SyntaxNode or SyntaxTree or Location or SemanticModel,
            $"{path} holds a {node.GetType().Name}.");
        if (!node.GetType().IsValueType && !seen.Add(node))
        {
            return;
        }

        if (node is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                Walk(item, seen, $"{path}[{i++}]");
            }
        }

        foreach (FieldInfo field in node.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(node), seen, $"{path}.{field.Name}");
        }
    }

    private static IncrementalStepRunReason[] Reasons(ImmutableArray<IncrementalGeneratorRunStep> steps) =>
        steps.SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
}
