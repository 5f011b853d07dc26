using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Overlay.Generators;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue #3: the generator's own time on 1,000 layouts (one file each, 11-12 fields of every kind:
/// primitives, big-endian, Half, char, Guid, enum, fixed string, fixed array, nested layouts and
/// arrays of them). A full run is a new driver over a new compilation of the parsed files (what a
/// build does; parsing not included); an incremental run is the driver of a previous run over the
/// compilation with one layout's file replaced (what the IDE does after an edit).
/// </summary>
public class GeneratorBenchmarks
{
    /// <summary>The number of layouts.</summary>
    public const int Layouts = 1000;

    /// <summary>The layout edited for the incremental run (nested by no other layout).</summary>
    private const int Edited = 500;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private ImmutableArray<MetadataReference> _references;
    private SyntaxTree[] _trees = null!;
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _editedTree = null!;
    private GeneratorDriver _afterFullRun = null!;

    [GlobalSetup]
    public void Setup()
    {
        _references = LoadReferences();
        _trees = new SyntaxTree[Layouts + 1];
        _trees[0] = Parse(SharedSource, "Shared.cs");
        for (int i = 0; i < Layouts; i++)
        {
            _trees[i + 1] = Parse(LayoutSource(i, edited: false), $"L{i}.cs");
        }

        _editedTree = Parse(LayoutSource(Edited, edited: true), $"L{Edited}.cs");
        _compilation = NewCompilation();
        var cold = System.Diagnostics.Stopwatch.StartNew();
        _afterFullRun = NewDriver().RunGenerators(_compilation);
        Console.WriteLine($"// cold full run (first in this process, JIT included): {cold.Elapsed.TotalMilliseconds:F0} ms");

        // The output must be 1,000 generated files that compile without a warning.
        GeneratorDriverRunResult result = _afterFullRun.GetRunResult();
        if (result.Results.Single().Exception is { } exception || result.GeneratedTrees.Length != Layouts)
        {
            throw new InvalidOperationException($"The generator made {result.GeneratedTrees.Length} files, expected {Layouts}.");
        }

        string[] problems = _compilation.AddSyntaxTrees(result.GeneratedTrees).GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).Take(5).ToArray();
        if (problems.Length > 0)
        {
            throw new InvalidOperationException("The layouts do not compile: " + string.Join(Environment.NewLine, problems));
        }

        GeneratorRunResult edited = IncrementalRunResult().Results.Single();
        if (edited.GeneratedSources.Length != Layouts)
        {
            throw new InvalidOperationException("The incremental run lost files.");
        }

        Tiering.Promote(() => IncrementalRun());
    }

    [Benchmark(Baseline = true, Description = "full run: new driver, new compilation of 1,000 layouts")]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(NewCompilation());

    [Benchmark(Description = "incremental run after one layout's file changed")]
    public GeneratorDriver IncrementalRun() => _afterFullRun.RunGenerators(_compilation.ReplaceSyntaxTree(_trees[Edited + 1], _editedTree));

    private GeneratorDriverRunResult IncrementalRunResult() => IncrementalRun().GetRunResult();

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new MappedLayoutGenerator().AsSourceGenerator()], parseOptions: s_parseOptions);

    private CSharpCompilation NewCompilation() =>
        CSharpCompilation.Create(
            "Layouts",
            _trees,
            _references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, s_parseOptions, path: path);

    private const string SharedSource = """
        namespace Gen;
        public enum Color : byte { Red, Green, Blue }
        public enum Level : int { Low = -1, High = 1 }
        """;

    /// <summary>
    /// Layout <paramref name="i"/>: a different mix of field kinds by <c>i % 4</c>; even layouts declare
    /// <c>Size = 256</c> and nest the odd layout before them (as a field or an array of two).
    /// </summary>
    private static string LayoutSource(int i, bool edited)
    {
        var source = new StringBuilder();
        source.Append("using System;\nusing Overlay;\n\nnamespace Gen.N").Append(i / 100).Append(";\n\n");
        source.Append(i % 2 == 0 ? "[MappedLayout(Size = 256)]\n" : "[MappedLayout]\n");
        if (i % 3 == 0)
        {
            source.Append("[BigEndian]\n");
        }

        source.Append("public partial struct L").Append(i).Append("\n{\n");
        source.Append(i % 5 == 0 ? "    [Offset(0)] public int Id;\n" : "    public int Id;\n");
        source.Append("    public long Stamp;\n");
        source.Append("    [BigEndian] public uint Net;\n");
        source.Append("    [LittleEndian] public double Score;\n");
        source.Append("    public bool Flag;\n");
        source.Append("    public Half Small;\n");
        source.Append("    public char Letter;\n");
        source.Append("    public Guid Key;\n");
        source.Append(i % 2 == 0 ? "    public global::Gen.Color Color;\n" : "    public global::Gen.Level Level;\n");
        source.Append(i % 3 == 1
            ? "    [FixedString(16, Encoding = FixedStringEncoding.Ascii)] public string Name;\n"
            : "    [FixedString(16)] public string Name;\n");
        source.Append(i % 2 == 0 ? "    [FixedArray(4)] public ushort[] Slots;\n" : "    [FixedArray(2)] public float[] Pair;\n");
        if (i % 4 == 0 && i > 0)
        {
            source.Append("    public global::Gen.N").Append((i - 1) / 100).Append(".L").Append(i - 1).Append(" Inner;\n");
        }
        else if (i % 4 == 2)
        {
            source.Append("    [FixedArray(2)] public global::Gen.N").Append((i - 1) / 100).Append(".L").Append(i - 1).Append("[] Inners;\n");
        }

        if (edited)
        {
            source.Append("    public int Extra;\n");
        }

        source.Append("}\n");
        return source.ToString();
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string[] trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(path =>
            {
                string name = Path.GetFileName(path);
                return name.StartsWith("System.", StringComparison.Ordinal)
                    || name is "netstandard.dll" or "mscorlib.dll" or "Overlay.Runtime.dll";
            })
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
