using System;

namespace Overlay.Tests.Conformance;

/// <summary>
/// How many random rounds a model test runs on this back end. The model tests check logic that is
/// the same on every OS (a builder's table against a dictionary); their file calls are what differ,
/// and under Wine each costs several times what it does on Linux, so the Windows run takes the first
/// fifth of the seeds: every code path the rounds reach on Windows is still reached, and Linux runs
/// them all. <c>docs/platforms.md</c> lists the tests that use it.
/// </summary>
internal static class RandomRounds
{
    /// <summary>
    /// <paramref name="rounds"/> on Linux and macOS; a fifth of them, at least one, on Windows.
    /// </summary>
    public static int OnThisBackEnd(int rounds) => OperatingSystem.IsWindows() ? Math.Max(1, rounds / 5) : rounds;
}
