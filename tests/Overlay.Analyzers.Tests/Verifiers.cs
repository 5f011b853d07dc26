using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Overlay.Analyzers.Tests;

/// <summary>
/// References for test sources: the running BCL (the testing library's default would download
/// reference packages, which a machine without nuget.org cannot) plus Overlay.Runtime.
/// </summary>
internal static class TestReferences
{
    public static readonly ImmutableArray<MetadataReference> All = Load();

    public static readonly ReferenceAssemblies None = new("net10.0");

    private static ImmutableArray<MetadataReference> Load()
    {
        string[] paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return paths
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
            .Append(typeof(Overlay.MemoryMap).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    /// <summary>
    /// An expected diagnostic of the analyzer's first descriptor with this id (OVL001/OVL002 have a
    /// second one, tagged for the compilation-end action, with the same id, text and severity).
    /// </summary>
    public static DiagnosticResult Diagnostic(DiagnosticAnalyzer analyzer, string id) =>
        new(analyzer.SupportedDiagnostics.First(d => d.Id == id));

    /// <summary>Adds the references and the hand-written layout views every test compiles against.</summary>
    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(All);
        state.Sources.Add((TestLayouts.FileName, TestLayouts.Source));
    }
}

/// <summary>Runs an analyzer over markup source (<c>{|OVL001:...|}</c> marks an expected diagnostic).</summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => TestReferences.Diagnostic(new TAnalyzer(), id);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyFilesAsync(new[] { ("Test0.cs", source) }, expected);

    /// <summary>Several files (markup allowed in each); the first is named Test0.cs.</summary>
    public static Task VerifyFilesAsync((string Name, string Source)[] sources, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
            // OVL001/OVL002 each have a second descriptor, tagged for the compilation-end action.
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        foreach ((string name, string source) in sources)
        {
            test.TestState.Sources.Add((name, source));
        }

        TestReferences.Configure(test.TestState);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}

/// <summary>Runs an analyzer and a code fix over markup source and compares the fixed source.</summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) => TestReferences.Diagnostic(new TAnalyzer(), id);

    public static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = TestReferences.None,
            // OVL001/OVL002 each have a second descriptor, tagged for the compilation-end action.
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        TestReferences.Configure(test.TestState);
        TestReferences.Configure(test.FixedState);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The diagnostic is reported but no fix is offered.</summary>
    public static Task VerifyNoFixAsync(string source)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = source,
            ReferenceAssemblies = TestReferences.None,
            // OVL001/OVL002 each have a second descriptor, tagged for the compilation-end action.
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        TestReferences.Configure(test.TestState);
        TestReferences.Configure(test.FixedState);
        return test.RunAsync(CancellationToken.None);
    }
}
