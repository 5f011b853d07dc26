using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Conformance;

/// <summary>
/// The test assembly run as a program: published for win-x64 and started under Wine by
/// <c>tests/Overlay.Wine.Tests</c>, it runs its own tests, leaving out those
/// <see cref="NotOnWindows"/> lists, with one line per test and a closing "N passed, N failed"
/// line. <c>dotnet test</c> never calls this: its test host loads the assembly as a library.
/// </summary>
/// <remarks>
/// Not xunit's runner: xunit calls every test through <see cref="MethodBase.Invoke(object?, object?[])"/>,
/// and under Wine 8 the second exception thrown out of such a call never arrives (the process
/// hangs; <c>--wine-probe</c> reproduces it). Here every test is a delegate bound to its method:
/// <c>[Fact]</c>s through <see cref="MethodInfo.CreateDelegate{T}(object?)"/>, <c>[Theory]</c>
/// cases with <c>[InlineData]</c> through a compiled expression that calls the method with the
/// data as constants; both are direct calls, and exceptions out of them arrive
/// (<c>--delegate-probe</c>). Theories fed by <c>[MemberData]</c>/<c>[ClassData]</c> are left out
/// and counted.
/// </remarks>
public static class ConformanceMain
{
    public static int Main(string[] args)
    {
        // "--all" first runs the tests NotOnWindows leaves out too (to triage them); an optional
        // argument then runs only the tests whose "Namespace.Class.Method" contains it.
        // "--record-differential PATH" records the differential test's reference (below).
        bool all = args.Length > 0 && args[0] == "--all";
        string? only = args.Length > (all ? 1 : 0) ? args[all ? 1 : 0] : null;
        if (only == "--wine-probe")
        {
            // The blocker (docs/platforms.md): prints "0 TargetInvocationException", then hangs under Wine 8.
            MethodInfo thrower = typeof(ConformanceMain).GetMethod(nameof(Thrower), BindingFlags.NonPublic | BindingFlags.Static)!;
            return Probe("MethodInfo.Invoke", () => thrower.Invoke(null, null));
        }

        if (only == "--delegate-probe")
        {
            // What this runner relies on: exceptions out of bound and compiled delegates arrive, every time.
            MethodInfo thrower = typeof(ConformanceMain).GetMethod(nameof(Thrower), BindingFlags.NonPublic | BindingFlags.Static)!;
            Action bound = thrower.CreateDelegate<Action>();
            Action compiled = Expression.Lambda<Action>(Expression.Call(thrower)).Compile();
            return Probe("CreateDelegate", bound) + Probe("Expression.Compile", compiled);
        }

        if (only == "--record-differential")
        {
            // On Linux, before the Wine run: CPython's runs of the batch the Windows back end replays
            // (Differential.RecordedDifferentialTests), written to the file given.
            Console.WriteLine(Differential.RecordedDifferentialTests.RecordTo(args[1]));
            return 0;
        }

        var tests = new List<(string Name, Type Class, Func<object, Action> Bind)>();
        var left = new List<string>();
        int excluded = 0;
        foreach (Type type in typeof(ConformanceMain).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && t.IsPublic).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).OrderBy(m => m.MetadataToken))
            {
                FactAttribute? fact = method.GetCustomAttribute<FactAttribute>();
                string name = $"{type.FullName}.{method.Name}";
                if (fact is null || (only is not null && !name.Contains(only, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (!all && NotOnWindows.Reason(type.FullName!, method.Name) is not null)
                {
                    excluded++;
                    continue;
                }

                if (fact.Skip is not null)
                {
                    // No test may be skipped: a skipped one fails the run.
                    tests.Add((name + " (skipped)", type, _ => () => throw new InvalidOperationException($"skipped: {fact.Skip}")));
                }
                else if (fact is TheoryAttribute)
                {
                    List<InlineDataAttribute> rows = [.. method.GetCustomAttributes<InlineDataAttribute>()];
                    if (rows.Count == 0 || method.GetCustomAttributes<Xunit.Sdk.DataAttribute>().Count() != rows.Count)
                    {
                        left.Add($"{name}: a theory without [InlineData] ([MemberData]/[ClassData])");
                    }

                    foreach (InlineDataAttribute row in rows)
                    {
                        object?[] data = row.GetData(method).Single();
                        if (!all && NotOnWindows.CaseReason(type.FullName!, method.Name, data) is not null)
                        {
                            excluded++;
                            continue;
                        }

                        string display = $"{name}({string.Join(", ", data.Select(d => d is string s ? $"\"{s}\"" : Convert.ToString(d, CultureInfo.InvariantCulture) ?? "null"))})";
                        Func<object, Action>? bind = BindCase(method, data);
                        if (bind is null)
                        {
                            left.Add($"{display}: data not convertible to the parameters");
                        }
                        else
                        {
                            tests.Add((display, type, bind));
                        }
                    }
                }
                else if (method.GetParameters().Length == 0)
                {
                    tests.Add((name, type, BindFact(method)));
                }
                else
                {
                    left.Add($"{name}: a [Fact] with parameters");
                }
            }
        }

        int passed = 0;
        var failures = new List<string>();
        var times = new List<(long Milliseconds, string Name)>();
        var clock = Stopwatch.StartNew();
        foreach ((string name, Type type, Func<object, Action> bind) in tests)
        {
            // The name first, flushed: a test that hangs under Wine shows which one it is.
            Console.Write(name);
            Console.Out.Flush();
            var watch = Stopwatch.StartNew();
            Exception? error = null;
            object? instance = null;
            try
            {
                instance = Create(type);
                bind(instance)();
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                try
                {
                    (instance as IDisposable)?.Dispose();
                }
                catch (Exception e)
                {
                    error ??= e;
                }
            }

            times.Add((watch.ElapsedMilliseconds, name));
            if (error is null)
            {
                passed++;
                Console.WriteLine($" ... ok ({watch.ElapsedMilliseconds} ms)");
            }
            else
            {
                Console.WriteLine($" ... FAIL ({watch.ElapsedMilliseconds} ms)");
                failures.Add($"FAIL {name}: {error.GetType().FullName}: {error.Message}\n{error.StackTrace}");
            }

            Console.Out.Flush();
        }

        foreach (string failure in failures)
        {
            Console.WriteLine(failure);
        }

        foreach (string line in left)
        {
            Console.WriteLine($"not run: {line}");
        }

        // The slowest, so that the run's time in CI can be watched and kept short.
        Console.WriteLine("slowest: " + string.Join(", ", times.OrderByDescending(t => t.Milliseconds).Take(5).Select(t => $"{t.Name} {t.Milliseconds} ms")));
        Console.WriteLine($"platform: {Environment.OSVersion}, page {MemoryMap.PageSize}, granularity {MemoryMap.AllocationGranularity}; {tests.Count} test cases run in {clock.Elapsed.TotalSeconds:F0} s, {excluded} tests or cases left out (NotOnWindows), {left.Count} not runnable here (listed above)");
        Console.WriteLine($"{passed} passed, {failures.Count} failed");
        return failures.Count == 0 && passed > 0 ? 0 : 1;
    }

    private static int Probe(string how, Action call)
    {
        for (int i = 0; i < 4; i++)
        {
            try
            {
                call();
            }
            catch (Exception e)
            {
                Console.WriteLine($"{how} {i} {e.GetType().Name}");
                Console.Out.Flush();
            }
        }

        return 0;
    }

    private static void Thrower() => throw new ArgumentException("probe");

    /// <summary>A test class's instance: parameterless, or given an output helper that writes to the console.</summary>
    private static object Create(Type type)
    {
        ConstructorInfo? withOutput = type.GetConstructor([typeof(ITestOutputHelper)]);
        return withOutput is null
            ? Activator.CreateInstance(type) ?? throw new InvalidOperationException($"{type} has no parameterless constructor")
            : Expression.Lambda<Func<object>>(Expression.New(withOutput, Expression.Constant(new ConsoleOutput(), typeof(ITestOutputHelper)))).Compile()();
    }

    private static Func<object, Action> BindFact(MethodInfo method)
    {
        if (typeof(Task).IsAssignableFrom(method.ReturnType))
        {
            return instance =>
            {
                Func<Task> call = method.IsStatic ? method.CreateDelegate<Func<Task>>() : method.CreateDelegate<Func<Task>>(instance);
                return () => call().GetAwaiter().GetResult();
            };
        }

        return instance => method.IsStatic ? method.CreateDelegate<Action>() : method.CreateDelegate<Action>(instance);
    }

    /// <summary>
    /// A theory case as a compiled call of the method with the row's values as constants (converted
    /// as xunit does for the common cases: numbers widened, enums and nullables), or null when a value
    /// does not convert.
    /// </summary>
    private static Func<object, Action>? BindCase(MethodInfo method, object?[] data)
    {
        ParameterInfo[] parameters = method.GetParameters();
        if (data.Length != parameters.Length)
        {
            return null;
        }

        var values = new Expression[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            Type target = parameters[i].ParameterType;
            if (!TryConvert(data[i], target, out object? value))
            {
                return null;
            }

            values[i] = Expression.Constant(value, target);
        }

        ParameterExpression instance = Expression.Parameter(typeof(object), "instance");
        Expression call = Expression.Call(method.IsStatic ? null : Expression.Convert(instance, method.DeclaringType!), method, values);
        if (typeof(Task).IsAssignableFrom(method.ReturnType))
        {
            call = Expression.Call(Expression.Call(call, typeof(Task).GetMethod(nameof(Task.GetAwaiter))!), typeof(System.Runtime.CompilerServices.TaskAwaiter).GetMethod(nameof(System.Runtime.CompilerServices.TaskAwaiter.GetResult))!);
        }

        Action<object> compiled = Expression.Lambda<Action<object>>(call, instance).Compile();
        return target => () => compiled(target);
    }

    private static bool TryConvert(object? value, Type target, out object? converted)
    {
        Type? underlying = Nullable.GetUnderlyingType(target);
        converted = value;
        if (value is null)
        {
            return !target.IsValueType || underlying is not null;
        }

        Type plain = underlying ?? target;
        if (plain.IsInstanceOfType(value))
        {
            return true;
        }

        try
        {
            converted = plain.IsEnum ? Enum.ToObject(plain, value) : Convert.ChangeType(value, plain, CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>What tests write to their <see cref="ITestOutputHelper"/>, on the console.</summary>
    private sealed class ConsoleOutput : ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine($"    {message}");

        public void WriteLine(string format, params object[] args) => Console.WriteLine("    " + string.Format(CultureInfo.InvariantCulture, format, args));
    }
}
