namespace Overlay.Tests.Conformance;

/// <summary>
/// The tests the Windows run leaves out, each with why: a Linux-only feature or tool (a Linux
/// <c>python3</c> or <c>dotnet</c> child process, <c>/proc</c>), a test written for 4 KiB offsets
/// where Windows maps at 64 KiB, a difference of Wine's (cited from its sources), or a test too slow
/// under Wine for CI. <c>docs/platforms.md</c> lists the same. Everything else in this assembly runs
/// on the Windows back end under Wine in CI.
/// </summary>
internal static class NotOnWindows
{
    private const string Tests = "Overlay.Tests.";

    private const string Offsets = "maps at 4 KiB offsets; Windows maps at its 64 KiB allocation granularity";
    private const string Descriptors = "int descriptors, /dev/zero or errno-specific errors; Windows files are HANDLEs";
    private const string Python = "the other process is a Linux python3 (fcntl locks or CPython's mmap); Wine runs no Linux processes";
    private const string ChildDotnet = "runs a child 'dotnet' process (a probe, a sample or a second writer), which a self-contained win-x64 publish does not have and Wine cannot start";

    /// <summary>Why one case of a theory is left out on Windows when its other cases run, or null when it runs.</summary>
    public static string? CaseReason(string type, string method, object?[] data) => (type, method, data) switch
    {
        ("Overlay.Tests.Durability.CrashImageTests", "EveryCrashImageOpensWithEveryFlushedRecordAndNothingHalfWritten", [int seed]) when seed != 1 =>
            "seed 1 runs the Windows back end through 500 power-loss images; each further seed adds 6 s under Wine, over the CI budget",
        ("Overlay.Tests.Differential.DifferentialRegressionTests", "AGrowAfterAShrinkInsideAPageReadsZeros", [true]) =>
            "splits the mapping with MapAdvice.Random, which Windows refuses (no madvise); the unsplit case runs",
        _ => null,
    };

    /// <summary>Why the test is left out on Windows, or null when it runs.</summary>
    public static string? Reason(string type, string method) => (type.StartsWith(Tests, System.StringComparison.Ordinal) ? type[Tests.Length..] : type, method) switch
    {
        ("Differential.DifferentialTests", _) =>
            "the reference is CPython's mmap in a Linux python3 process, run beside the replay; Wine runs no Linux processes (RecordedDifferentialTests replays a recorded batch there)",
        ("Features.ReprAndConstantsTests", "EveryConstantPythonHasEqualsOverlays" or "ToStringMatchesPythonsRepr") =>
            "compares with a Linux python3 process; Wine runs no Linux processes",
        ("Safety.MapFileLockTests", "AnotherProcessSeesTheLockOnTheDocumentedByte") => Python,
        ("Layouts.RecordFileLockTests", "AFailedOpenReleasesItsLock" or "AnotherProcessCannotTakeTheWriterLockWhileAWriterHoldsIt"
            or "AWriterInAnotherProcessMakesOpenForWritingRefuse" or "AReaderInAnotherProcessKeepsTheWritersSlack") => Python,
        ("Safety.CrashRegressionTests" or "Durability.KillTests" or "Schemas.UpgradeKillTests" or "Indexes.HashIndexTwoProcessTests" or "Durability.HashIndexKillTests" or "Durability.HashIndexSectionKillTests" or "Indexes.HashIndexBuilderKillTests" or "Indexes.HashIndexSectionBuildKillTests"
            or "Indexes.TypedIndexSampleTests" or "Samples.QuickStartSampleTests" or "Samples.LayoutsSampleTests" or "Durability.RecordLogSampleTests"
            or "Safety.AtomicTwoProcessTests", _) or ("Formats.CompactionTests", "ACompactionKilledAtAnyMomentLeavesTheOldFileOrTheNew")
            or ("Formats.ContainerBuilderChunkTests", "ABuilderKilledBeforeSealLeavesNothingAtThePathAndNoValidContainer")
            or ("Formats.RecordFileConversionKillTests", _) =>
            ChildDotnet,
        ("Formats.ContainerBuilderFileSizeLimitTests", _) =>
            "makes the builder's writes fail with Linux's file-size limit (setrlimit RLIMIT_FSIZE, EFBIG) in a child 'dotnet' probe started through bash with SIGXFSZ ignored; Wine runs no Linux processes",
        ("Layouts.RecordFileFileSizeLimitTests", _) =>
            "makes RecordFile.AppendRange's write through the file handle fail with Linux's file-size limit (setrlimit RLIMIT_FSIZE, EFBIG) in a child 'dotnet' probe started through bash with SIGXFSZ ignored; Wine runs no Linux processes",
        ("Formats.DirectorySyncTests", "TheRealCallSyncsADirectoryAndRefusesAMissingOne") =>
            "Windows has no directory fsync (NTFS journals the rename itself): SyncDirectory does nothing there by design (docs/durability.md), so it does not refuse a missing directory",
        ("Formats.RecordFileConversionTests", "AWriterOpeningTheRecordFileJustBeforeAnInPlaceRenameIsRefused") =>
            "an in-place conversion holds the writer lock through the rename where the OS allows it; Windows refuses to replace a file with an open handle (UnauthorizedAccessException, seen under Wine), so there the lock is released first and a writer in that moment is not refused (docs/platforms.md)",
        ("Formats.ContainerCreateRaceTests", "AReaderThatOpensTheContainerAsSoonAsItsNameAppearsAlwaysFindsItCommitted") =>
            "a reader opening a container while its creator still holds it is refused there with a sharing violation (IOException, seen under Wine), not handed a half-made file: the race this test runs is Linux's, where the open succeeds",
        ("Formats.DirectorySyncTests", _) =>
            "record the directory syncs through FaultyPlatform, which wraps the Linux platform object (libc calls); Windows' SyncDirectory does nothing",
        ("Safety.ExternalTruncationTests", _) =>
            "truncates a file that is mapped, which Windows refuses (ERROR_USER_MAPPED_FILE): the situation cannot arise there; one test also runs a child 'dotnet' probe",
        ("Layouts.RecordFilePrefaultTests", _) =>
            "records the pre-faults growth asks for through FaultyPlatform, which wraps the Linux platform object (libc calls); Windows has no MADV_POPULATE_WRITE and pre-faults nothing, which the record file tests cover",
        ("Layouts.RecordFileGrowthTests", _) =>
            "records the large-folio advice growth and Flush give through FaultyPlatform, which wraps the Linux platform object (libc calls); Windows has no MADV_HUGEPAGE and advises nothing, which the record file tests cover",
        ("Schemas.UpgradeWritebackTests", _) =>
            "records the write-back an upgrade starts through FaultyPlatform, which wraps the Linux platform object (libc calls), and calls Linux's sync_file_range; Windows starts no write-back (its final flush writes everything), which UpgradeBatchTests covers",
        ("Indexes.IndexReaderFolioAdviceTests", _) =>
            "records the large-folio advice (MADV_HUGEPAGE) through FaultyPlatform, which wraps the Linux platform object (libc calls); Windows has no such advice (IMapPlatform's default refuses it), and the indexes' other tests open readers there",
        ("Indexes.HashIndexPinTests", "AFlushSyncsValuesWrittenInPlaceOnACleanIndex") =>
            "counts the syncs a flush asks for through FaultyPlatform, which wraps the Linux platform object (libc calls); the flush itself is the same code on Windows, which the other pin tests run",
        ("Safety.WholeFileMapRaceTests", "WholeFileReadOnlyMapsBesideAFileGrowingStepByStepAreNeverRefused") =>
            null,
        ("Safety.WholeFileMapRaceTests", _) =>
            "inject a refused map through FaultyPlatform, which wraps the Linux platform object (libc calls); the race they stand for is run for real by WholeFileReadOnlyMapsBesideAFileGrowingStepByStepAreNeverRefused",
        ("Safety.ProtectFailureTests" or "Safety.ResizeFallbackTests", _) =>
            "inject failures into the Linux platform object (libc calls); Windows always resizes by mapping afresh, which the other resize tests cover",
        ("Features.KernelProtectionTests" or "Features.ProtectTests", _) =>
            "reads what the kernel was asked for from /proc/self/maps",
        ("Features.LockAndScheduleFlushTests", "ScheduleFlushSucceedsAndTheDataIsTheFiles" or "ScheduleFlushChecksItsRangeForEveryAccess" or "ScheduleFlushOnAnonymousMemorySucceeds") =>
            null,
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
        ("PortedFromCPython.AdviseTests", _) or ("Safety.AdviseClosedSetTests", "EveryNamedAdviceIsPassedOnOrRefusedByName")
            or ("Layouts.RecordFileMapOwnershipTests", "AdviseLockAndFlushThroughTheMapStillWork") =>
            "Linux madvise advice (Sequential, Random, DontNeed) with no Windows equivalent: PlatformNotSupportedException by design (docs/platforms.md)",
        ("Platforms.NamedMapTests", "AnOpenedMapSeesTheCreatorsBytesAndTheCreatorSeesItsWrites") =>
            "Wine rounds a section's size up to whole pages (server/mapping.c, create_mapping), so OpenNamed sees 12288 bytes where the creator asked for 10000; Windows keeps the size given",
        ("Indexes.SortedIndexTests", "ARebuildOverTheOpenFileLeavesItsReadersOnTheOldOne" or "ModelSequencesAgreeWithASortedDictionary") =>
            "renames a rebuilt index over the file a reader has open: Wine refuses to replace any open file (server/fd.c: \"can't replace an opened file\", STATUS_ACCESS_DENIED); Windows allows it only with POSIX rename semantics, untested here",
        ("Indexes.HashIndexModelTests", "TenThousandRandomSequencesAgreeWithADictionary") =>
            "passes, but takes 95 s under Wine (10,000 index files created, mapped and deleted), over the CI budget; Replay runs the same model on the Windows back end",
        ("Durability.HostileFileFuzzTests", _) =>
            "passes, but takes 60 s under Wine (thousands of mutated files opened and walked), over the CI budget; it fuzzes the record file's parsing, which is the same code on every OS",
        ("Formats.CompactionTests", "CompactionKeepsEveryByteOfEverySectionAndReportsWhatItReclaimed") =>
            "passes, but takes 38 s under Wine, over the CI budget; CompactionOfAnInvalidFileWritesNothing and the container tests run",
        _ => null,
    };
}
