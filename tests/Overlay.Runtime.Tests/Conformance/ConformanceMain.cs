using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Overlay.Tests.Conformance;

/// <summary>
/// The test assembly run as a program: published for win-x64 and started under Wine by
/// <c>tests/Overlay.Wine.Tests</c>, it discovers and runs its own tests in-process through
/// xunit's own test framework (<see cref="XunitTestFramework"/>: the same discovery, theories,
/// fixtures and assertions as under <c>dotnet test</c>), leaving out those
/// <see cref="NotOnWindows"/> lists, and prints one line per failure and a closing
/// "N passed, N failed" line. <c>dotnet test</c> never calls this: its test host loads the
/// assembly as a library.
/// </summary>
public static class ConformanceMain
{
    public static int Main(string[] args)
    {

        // An optional argument runs only the tests whose "Namespace.Class.Method" contains it.
        string? only = args.Length > 0 ? args[0] : null;
        if (only == "--wine-probe")
        {
            // Reproduces the blocker described in docs/platforms.md: under Wine 8, the second
            // exception thrown out of a method called through MethodInfo.Invoke never arrives
            // (the process waits for ever, no CPU used); the first prints
            // "0 TargetInvocationException". xunit calls every test that way, so the second
            // failing test of a run hangs it.
            for (int i = 0; i < 4; i++)
            {
                try
                {
                    typeof(ConformanceMain).GetMethod(nameof(Thrower), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.Invoke(null, null);
                }
                catch (Exception e)
                {
                    Console.WriteLine($"{i} {e.GetType().Name}");
                    Console.Out.Flush();
                }
            }

            return 0;
        }

        Assembly assembly = typeof(ConformanceMain).Assembly;
        var diagnostics = new Sink();
        using var framework = new XunitTestFramework(diagnostics);

        var discovery = new Sink();
        using (ITestFrameworkDiscoverer discoverer = framework.GetDiscoverer(Reflector.Wrap(assembly)))
        {
            discoverer.Find(includeSourceInformation: false, discovery, new Options());
            discovery.Finished.WaitOne();
        }

        int excluded = 0;
        var selected = new List<ITestCase>();
        foreach (ITestCase testCase in discovery.TestCases)
        {
            string type = testCase.TestMethod.TestClass.Class.Name;
            if (only is not null && !$"{type}.{testCase.TestMethod.Method.Name}".Contains(only, StringComparison.Ordinal))
            {
                continue;
            }

            if (NotOnWindows.Reason(type, testCase.TestMethod.Method.Name) is not null)
            {
                excluded++;
                continue;
            }

            selected.Add(testCase);
        }

        var execution = new Sink();
        using (ITestFrameworkExecutor executor = framework.GetExecutor(assembly.GetName()))
        {
            executor.RunTests(selected, execution, new Options());
            execution.Finished.WaitOne();
        }

        foreach (string failure in execution.Failures.Concat(diagnostics.Failures))
        {
            Console.WriteLine(failure);
        }

        int failed = execution.Failed + diagnostics.Failed;
        Console.WriteLine($"platform: {Environment.OSVersion}, page {MemoryMap.PageSize}, granularity {MemoryMap.AllocationGranularity}; {selected.Count} test cases run, {excluded} left out (NotOnWindows)");
        Console.WriteLine($"{execution.Passed} passed, {failed} failed");
        return failed == 0 && execution.Passed > 0 ? 0 : 1;
    }

    private static void Thrower() => throw new ArgumentException("probe");

    /// <summary>Collects discovered test cases and results; a skipped test counts as a failure (no test may be skipped).</summary>
    // xUnit3000 asks for MarshalByRefObject for .NET Framework's app domains; .NET has none.
#pragma warning disable xUnit3000
    private sealed class Sink : IMessageSink
#pragma warning restore xUnit3000
    {
        public readonly List<ITestCase> TestCases = [];
        public readonly List<string> Failures = [];
        public readonly ManualResetEvent Finished = new(false);
        public int Passed;
        public int Failed;

        public bool OnMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestCaseDiscoveryMessage found:
                    TestCases.Add(found.TestCase);
                    break;
                case IDiscoveryCompleteMessage:
                case ITestAssemblyFinished:
                    Finished.Set();
                    break;
                case ITestStarting starting:
                    // Streamed, so that a test that hangs under Wine shows which one it is.
                    Console.Out.WriteLine($"start {starting.Test.DisplayName}");
                    Console.Out.Flush();
                    break;
                case ITestPassed:
                    Passed++;
                    break;
                case ITestFailed failed:
                    Failed++;
                    Failures.Add($"FAIL {failed.Test.DisplayName}: {string.Join(" / ", failed.ExceptionTypes)}: {string.Join(" / ", failed.Messages)}\n{string.Join("\n", failed.StackTraces)}");
                    break;
                case ITestSkipped skipped:
                    Failed++;
                    Failures.Add($"SKIPPED (no test may be skipped) {skipped.Test.DisplayName}: {skipped.Reason}");
                    break;
                case IErrorMessage error:
                    Failed++;
                    Failures.Add($"ERROR {string.Join(" / ", error.ExceptionTypes)}: {string.Join(" / ", error.Messages)}\n{string.Join("\n", error.StackTraces)}");
                    break;
            }

            return true;
        }
    }

    /// <summary>
    /// Discovery and execution options: xunit's defaults, but one test at a time (tests override
    /// the platform per thread, and Wine's emulation is not the place to find out about parallel runs).
    /// </summary>
    private sealed class Options : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
    {
        private readonly Dictionary<string, object?> _values = new()
        {
            ["xunit.execution.DisableParallelization"] = true,
            ["xunit.discovery.PreEnumerateTheories"] = true,
        };

        public TValue GetValue<TValue>(string name) =>
            _values.TryGetValue(name, out object? value) && value is TValue typed ? typed : default!;

        public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
    }
}
