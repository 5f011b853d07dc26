using System.Text.Json.Nodes;

namespace Overlay.Tests.Differential;

/// <summary>
/// Where <see cref="MemoryMap"/> on Windows is documented to differ from the Linux back end, as
/// the replay of a Linux CPython recording sees it: the outcome the recording holds is turned into
/// the one Windows must give. Every rule is a row of docs/platforms.md ("The differential test per
/// back end"); the rest of CPython's Windows differences never reach a replay, because the batch
/// keeps to what both agree on (64 KiB offsets, no tagname, no Linux-only flags).
/// </summary>
internal static class WindowsDifferences
{
    /// <summary>The outcome Windows must give for a step whose Linux outcome is <paramref name="expected"/>, and the rule that changed it (null when none did).</summary>
    public static (string Expected, string? Rule) Apply(string name, JsonArray args, string expected)
    {
        // W1: Random and Sequential are Linux madvise advice with no Windows call; Windows refuses
        // them after every argument check, where Linux passed them to madvise (which succeeded).
        // CPython on Windows has no madvise at all. Normal (nothing to do) and WillNeed
        // (PrefetchVirtualMemory) succeed on both.
        if (name == "madvise" && expected == "r:None" && args[0]!.GetValue<long>() is (long)MapAdvice.Random or (long)MapAdvice.Sequential)
        {
            return ("e:PlatformNotSupportedException", "W1 madvise Random/Sequential -> PlatformNotSupportedException");
        }

        return (expected, null);
    }
}
