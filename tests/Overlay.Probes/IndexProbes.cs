using System;
using Overlay.Indexes;
using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>
/// The writer side of the two-process index test (HashIndexTwoProcessTests): one batch of changes,
/// flushed, then the writer closes. The file and the batch come in the environment
/// (OVERLAY_PROBE_INDEX, OVERLAY_PROBE_BATCH).
/// </summary>
internal static class IndexProbes
{
    public const int BatchSize = 500;

    /// <summary>
    /// The bulk build that HashIndexBuilderKillTests kills: args are the target path and a run
    /// directory; 3M keys through a 1 MiB budget (the spill and partition path), "building" printed
    /// before Build, so the test can kill the process while the table is being written.
    /// </summary>
    public static void HashIndexBulkBuild(string[] args)
    {
        using var builder = new HashIndexBuilder<ulong, ProbeValue>(memoryBudget: 1 << 20, runDirectory: args[1]);
        for (ulong key = 1; key <= 3_000_000; key++)
        {
            builder.Add(key * 0x9E3779B97F4A7C15UL);
        }

        Console.WriteLine("building");
        Console.Out.Flush();
        builder.Build(args[0]);
    }

    /// <summary>
    /// The section build that HashIndexSectionBuildKillTests kills: args are a committed container
    /// (tag <see cref="SectionBuildTag"/>) and a run directory; 3M keys through a 1 MiB budget into
    /// section "bulk", then a commit. "building" is printed before the build and "built" after it;
    /// then the probe waits for a line on standard input (so that a kill after "built" always
    /// lands before the commit), commits, and prints "committed".
    /// </summary>
    public static void HashIndexSectionBulkBuild(string[] args)
    {
        using var container = Overlay.Formats.MappedContainer.Open(args[0], SectionBuildTag);
        using var builder = new HashIndexBuilder<ulong, ProbeValue>(memoryBudget: 1 << 20, runDirectory: args[1]);
        for (ulong key = 1; key <= 3_000_000; key++)
        {
            builder.Add(key * 0x9E3779B97F4A7C15UL);
        }

        Console.WriteLine("building");
        Console.Out.Flush();
        container.BuildHashIndex("bulk", builder).Dispose();
        Console.WriteLine("built");
        Console.Out.Flush();
        Console.In.ReadLine();
        container.Commit();
        Console.WriteLine("committed");
        Console.Out.Flush();
    }

    /// <summary>The container tag of <see cref="HashIndexSectionBulkBuild"/>.</summary>
    public const ulong SectionBuildTag = 0x4255_4C4B_5345_4354UL;

    /// <summary>Batch b adds keys [b·500, b·500 + 500) with value key·7, and adds 1 to keys 0 to 99 in place.</summary>
    public static void HashIndexBatch()
    {
        string path = Environment.GetEnvironmentVariable("OVERLAY_PROBE_INDEX") ?? throw new InvalidOperationException("OVERLAY_PROBE_INDEX is not set");
        int batch = int.Parse(Environment.GetEnvironmentVariable("OVERLAY_PROBE_BATCH") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        using var index = MappedHashIndex<ulong, ProbeValue>.Open(path);
        for (ulong key = (ulong)(batch * BatchSize); key < (ulong)((batch + 1) * BatchSize); key++)
        {
            index.GetOrAdd(key).Value = key * 7;
        }

        for (ulong key = 0; key < 100; key++)
        {
            ProbeValue value = index.GetOrAdd(key);
            value.Value += 1;
        }

        index.Flush();
    }
}

/// <summary>An 8-byte value view written by hand (the probes are built without the generator); the test has its twin.</summary>
internal readonly struct ProbeValue : IMappedView<ProbeValue>
{
    private ProbeValue(MemoryMap map, long offset)
    {
        Map = map;
        Offset = offset;
    }

    public static int SizeInBytes => 8;

    public static ulong LayoutFingerprint => 0x50524F4245563031;

    public static bool IsReadOnly => false;

    public MemoryMap Map { get; }

    public long Offset { get; }

    public ulong Value
    {
        get => Map.ReadAt<ulong>(Offset);
        set => Map.WriteAt(Offset, value);
    }

    public static ProbeValue Create(MemoryMap map, long offset) => new(map, offset);
}
