namespace Overlay.Tests.Conformance;

/// <summary>
/// The tests the Windows run leaves out, each with why: a Linux-only feature or tool, a test
/// written for 4 KiB offsets where Windows maps at 64 KiB, or a failure under Wine not yet
/// triaged (marked "untriaged": it may be a back-end bug or Wine's). <c>docs/platforms.md</c>
/// lists the same. Everything else in this assembly runs on the Windows back end under Wine in CI.
/// </summary>
internal static class NotOnWindows
{
    private const string Tests = "Overlay.Tests.";

    private const string Offsets = "maps at 4 KiB offsets; Windows maps at its 64 KiB allocation granularity";
    private const string Descriptors = "int descriptors, /dev/zero or errno-specific errors; Windows files are HANDLEs";
    private const string Sharing = "untriaged: 'the process cannot access the file' under Wine (file sharing between RecordFile's handle and the test's)";

    private const string NotYetRun = "untriaged: added after the Wine runner (record file format 2, indexes, schemas, samples); not yet run on the Windows back end";

    /// <summary>Why the test is left out on Windows, or null when it runs.</summary>
    public static string? Reason(string type, string method) => (type.StartsWith(Tests, System.StringComparison.Ordinal) ? type[Tests.Length..] : type, method) switch
    {
        (var t, _) when t.StartsWith("Durability.", System.StringComparison.Ordinal) || t.StartsWith("Indexes.", System.StringComparison.Ordinal)
            || t.StartsWith("Schemas.", System.StringComparison.Ordinal) || t.StartsWith("Samples.", System.StringComparison.Ordinal)
            || t.StartsWith("Formats.", System.StringComparison.Ordinal) => NotYetRun,
        ("Differential.DifferentialTests" or "Differential.DifferentialRegressionTests", _) =>
            "the reference is CPython's mmap in a Linux python3 process; Wine runs no Linux processes",
        ("Features.ReprAndConstantsTests", "EveryConstantPythonHasEqualsOverlays" or "ToStringMatchesPythonsRepr") =>
            "compares with a Linux python3 process; Wine runs no Linux processes",
        ("Safety.CrashRegressionTests", _) =>
            "runs scenarios in a child 'dotnet' process, which a self-contained win-x64 publish does not have",
        ("Safety.ProtectFailureTests" or "Safety.ResizeFallbackTests", _) =>
            "inject failures into the Linux platform object (libc calls); Windows always resizes by mapping afresh, which the other resize tests cover",
        ("Features.KernelProtectionTests" or "Features.ProtectTests", _) =>
            "reads what the kernel was asked for from /proc/self/maps",
        ("Features.LockAndScheduleFlushTests", "ScheduleFlushSucceedsAndTheDataIsTheFiles") =>
            "untriaged: FlushViewOfFile fails with ERROR_INVALID_PARAMETER under Wine",
        ("Features.LockAndScheduleFlushTests", _) =>
            "reads locked pages from /proc/self/smaps",
        ("Features.AuditEventTests" or "Features.ConstructorTests" or "PortedFromCPython.ConstructorTests", _) =>
            $"{Offsets}; {Descriptors}",
        ("PortedFromCPython.BasicTests", "ToString_ShowsAccessAndOffset") or ("PortedFromCPython.ResizeTests", "File_OffsetPlusSizeOverflow_IsOutOfRange") =>
            Offsets,
        ("PortedFromCPython.AccessModeTests", "ReadOnlyHandle_PrivateFlags_ResizeFailsWithEinval_NothingChanges") =>
            "expects Linux's EINVAL (22); Windows reports its own error number",
        ("Features.LargeFileTests", "FindAndRFindAcrossTheTwoGiBWindowSeam") =>
            "maps with MapFlags.NoReserve, which Windows does not have",
        ("PortedFromCPython.AdviseTests", _) or ("Safety.AdviseClosedSetTests", "EveryNamedAdviceIsPassedOnOrRefusedByName") =>
            "Linux madvise advice (Sequential, Random, DontNeed) with no Windows equivalent",
        ("Platforms.NamedMapTests", "AnOpenedMapSeesTheCreatorsBytesAndTheCreatorSeesItsWrites") =>
            "untriaged: OpenNamed sees a size other than the creator's under Wine",
        ("Safety.MapFileLockTests", _) =>
            "file locks (IFileLocks) have no Windows implementation yet (LockFileEx): PlatformNotSupportedException",
        ("Safety.RecordFileReadersStressTests", _) =>
            Sharing,
        ("Layouts.RecordFileTests" or "Layouts.RecordFileHostileTests" or "Layouts.RecordFileLockTests" or "Layouts.RecordFileMapOwnershipTests" or "Layouts.PinHostileTypesTests", _) =>
            Sharing,
        ("Formats.CompactionTests" or "Formats.ContainerHostileTests" or "Formats.ContainerLifetimeTests" or "Formats.ContainerRoundTripTests", _) =>
            "untriaged: CompactionTests hangs under Wine; the container tests were not yet run there",
        _ => null,
    };
}
