using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Overlay.Analyzers.Baseline;
using Overlay.Analyzers.CodeFixes;

namespace Overlay.Analyzers.Tests;

/// <summary>
/// Runs the baseline analyzer over layouts and a <c>Layouts.Baseline.txt</c> additional file (markup
/// allowed in both), and its code fix with the baseline's expected text after the fix.
/// </summary>
internal static class BaselineVerifier
{
    public const string BaselinePath = "/0/Layouts.Baseline.txt";

    /// <summary>The analyzer alone; <paramref name="baseline"/> null means the project has no baseline file.</summary>
    public static Task VerifyAsync(string source, string? baseline, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<LayoutBaselineAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.Sources.Add(("Test0.cs", source));
        if (baseline is not null)
        {
            test.TestState.AdditionalFiles.Add((BaselinePath, baseline));
        }

        TestReferences.Configure(test.TestState);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The analyzer and the fix: <paramref name="fixedSource"/> and <paramref name="fixedBaseline"/> are the project after every fix.</summary>
    public static Task VerifyFixAsync(string source, string baseline, string fixedSource, string fixedBaseline, int iterations = 1)
    {
        var test = new CSharpCodeFixTest<LayoutBaselineAnalyzer, UpdateLayoutBaselineCodeFix, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
            NumberOfFixAllIterations = iterations == 0 ? 0 : 1,
            NumberOfIncrementalIterations = iterations,
        };
        test.TestState.Sources.Add(("Test0.cs", source));
        test.TestState.AdditionalFiles.Add((BaselinePath, baseline));
        test.FixedState.Sources.Add(("Test0.cs", fixedSource));
        test.FixedState.AdditionalFiles.Add((BaselinePath, fixedBaseline));
        TestReferences.Configure(test.TestState);
        TestReferences.Configure(test.FixedState);
        return test.RunAsync(CancellationToken.None);
    }
}
