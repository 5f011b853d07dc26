using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>
/// Issue 14's holes whose failure is a fault, each run in a child process (<see cref="ProbeRunner"/>).
/// Every one of these faulted (exit 134) on the runtime before the fix.
/// </summary>
public class CrashRegressionTests
{
    /// <summary>Hole 1: the finalizer of a map nobody disposed must not unmap under a live export's span.</summary>
    [Fact]
    public void FinalizerLeaksRatherThanUnmapsUnderALiveExport() =>
        ProbeRunner.AssertOk("finalizer-keeps-exported-span");

    /// <summary>Hole 2: a copy of a disposed line enumerator must throw, not read the closed map's old window.</summary>
    [Fact]
    public void LineEnumeratorCopyThrowsAfterTheMapIsClosed() =>
        ProbeRunner.AssertOk("enumerator-copy-after-close");

    /// <summary>Hole 4: a shrink the file refuses, over a mapping split in two VMAs, leaves every byte of the old length mapped.</summary>
    [Fact]
    public void RefusedShrinkLeavesTheWholeMapMapped() =>
        ProbeRunner.AssertOk("refused-shrink-keeps-mapping");
}
