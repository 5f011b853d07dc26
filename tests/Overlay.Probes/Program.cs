using System;
using System.Collections.Generic;

namespace Overlay.Probes;

/// <summary>
/// Runs one scenario, named by the first argument, and prints "ok" when it ends as it should.
/// A scenario that the runtime gets wrong ends in a fault (the process dies by a signal) or in
/// an exception (exit code 1 and its text on standard error); the tests tell them apart.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Action> s_scenarios = new(StringComparer.Ordinal)
    {
        ["finalizer-keeps-exported-span"] = LifetimeProbes.FinalizerKeepsExportedSpan,
        ["enumerator-copy-after-close"] = LifetimeProbes.EnumeratorCopyAfterClose,
        ["refused-shrink-keeps-mapping"] = ResizeProbes.RefusedShrinkKeepsMapping,
        ["durability-writer"] = KillWorkload.RunFromEnvironment,
        ["hash-index-batch"] = IndexProbes.HashIndexBatch,
        ["hash-index-writer"] = IndexKillWorkload.RunFromEnvironment,
        ["hash-index-section-writer"] = IndexKillWorkload.RunInContainerFromEnvironment,
    };

    // Scenarios that take arguments (a file the test prepared); the test may kill them mid-way.
    private static readonly Dictionary<string, Action<string[]>> s_withArguments = new(StringComparer.Ordinal)
    {
        ["compact-slowly"] = FormatProbes.CompactSlowly,
        ["convert-slowly"] = RecordFileProbes.ConvertSlowly,
        ["build-unsealed"] = FormatProbes.BuildUnsealed,
        ["build-past-file-size-limit"] = BuilderLimitWorkload.Run,
        ["seal-past-file-size-limit"] = BuilderLimitWorkload.RunSeal,
        ["stream-past-file-size-limit"] = BuilderStreamLimitWorkload.Run,
        ["append-range-past-file-size-limit"] = RecordFileLimitWorkload.Run,
        ["upgrade-slowly"] = SchemaProbes.UpgradeSlowly,
        ["atomic-increment"] = AtomicProbes.Increment,
        ["touch-truncated-page"] = TruncationProbes.TouchTruncatedPage,
        ["hash-index-bulk-build"] = IndexProbes.HashIndexBulkBuild,
        ["hash-index-section-bulk-build"] = IndexProbes.HashIndexSectionBulkBuild,
    };

    private static int Main(string[] args)
    {
        if (args.Length > 1 && s_withArguments.TryGetValue(args[0], out Action<string[]>? withArguments))
        {
            withArguments(args[1..]);
            Console.WriteLine("ok");
            return 0;
        }

        if (args.Length != 1 || !s_scenarios.TryGetValue(args[0], out Action? scenario))
        {
            Console.Error.WriteLine($"usage: Overlay.Probes <scenario>; scenarios: {string.Join(", ", s_scenarios.Keys)}; with arguments: {string.Join(", ", s_withArguments.Keys)}");
            return 2;
        }

        scenario();
        Console.WriteLine("ok");
        return 0;
    }
}
