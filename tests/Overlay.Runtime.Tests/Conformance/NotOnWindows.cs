namespace Overlay.Tests.Conformance;

/// <summary>
/// The tests the Windows run leaves out, each with why: a Linux-only feature or tool, or
/// something Wine does not emulate faithfully. <c>docs/platforms.md</c> lists the same.
/// Everything else in this assembly runs on the Windows back end (under Wine in CI).
/// </summary>
internal static class NotOnWindows
{
    private const string Tests = "Overlay.Tests.";

    /// <summary>Why the test is left out on Windows, or null when it runs.</summary>
    public static string? Reason(string type, string method) => (type.StartsWith(Tests, System.StringComparison.Ordinal) ? type[Tests.Length..] : type, method) switch
    {
        ("Differential.DifferentialTests" or "Differential.DifferentialRegressionTests", _) =>
            "the reference is CPython's mmap in a Linux python3 process; Wine runs no Linux processes",
        ("Safety.CrashRegressionTests", _) =>
            "runs scenarios in a child 'dotnet' process, which a self-contained win-x64 publish does not have",
        ("Safety.ProtectFailureTests" or "Safety.ResizeFallbackTests", _) =>
            "inject failures into the Linux platform object (libc calls); Windows always resizes by mapping afresh, which the other resize tests cover",
        ("Features.KernelProtectionTests", _) =>
            "reads what the kernel was asked for from /proc/self/maps",
        _ => null,
    };
}
