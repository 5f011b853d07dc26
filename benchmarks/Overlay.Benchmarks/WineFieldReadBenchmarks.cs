using System;
using System.IO;
using System.IO.MemoryMappedFiles;
using BenchmarkDotNet.Attributes;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 12, for the Windows back end under Wine (<c>benchmarks/wine.sh</c>): the <c>int</c> field
/// of <see cref="Rec64"/> read over the 256 MiB file taken as 4M 64-byte records (or its first 512,
/// 32 KiB, cache resident), in order, through the generated views and through
/// <see cref="MemoryMappedViewAccessor.ReadInt32"/>, maps made once in setup, same process, same
/// file. No libc call (no raw-pointer baseline: the Linux numbers of <see cref="LayoutBenchmarks"/>
/// give that). Target: at least 20x faster per field read than the accessor.
/// </summary>
public class WineFieldReadBenchmarks
{
    private const int FileRecords = (int)(BenchFiles.DataBytes / Rec64.SizeInBytes);

    private MemoryMap _map = null!;
    private MappedArray<Rec64.ReadOnlyView> _records;
    private MemoryMappedFile _file = null!;
    private MemoryMappedViewAccessor _accessor = null!;

    /// <summary>How many records are read: 512 (32 KiB) or the whole file (4M).</summary>
    [Params(512, FileRecords)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _map = MemoryMap.Open(BenchFiles.DataPath, MapAccess.Read);
        _file = MemoryMappedFile.CreateFromFile(BenchFiles.DataPath, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _accessor = _file.CreateViewAccessor(0, BenchFiles.DataBytes, MemoryMappedFileAccess.Read);

        int records = Records;
        Records = 512;
        _records = new MappedArray<Rec64.ReadOnlyView>(_map, 0, Records);
        Tiering.Promote(() =>
        {
            AccessorReadInt32();
            ArrayGet();
            PinnedGet();
        });

        Records = records;
        _records = new MappedArray<Rec64.ReadOnlyView>(_map, 0, Records);
        long expected = AccessorReadInt32();
        if (ArrayGet() != expected || PinnedGet() != expected)
        {
            throw new InvalidOperationException("The ways to read disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _accessor.Dispose();
        _file.Dispose();
        _map.Dispose();
    }

    [Benchmark(Baseline = true, Description = "MemoryMappedViewAccessor.ReadInt32")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long AccessorReadInt32()
    {
        MemoryMappedViewAccessor accessor = _accessor;
        int count = Records;
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += accessor.ReadInt32(((long)i * Rec64.SizeInBytes) + Rec64.Offsets.Value);
        }

        return sum;
    }

    [Benchmark(Description = "MappedArray<Rec64.ReadOnlyView>: records[i].Value")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long ArrayGet()
    {
        MappedArray<Rec64.ReadOnlyView> records = _records;
        int count = Records;
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += records[i].Value;
        }

        return sum;
    }

    [Benchmark(Description = "MappedArray.PinReadOnly: span[i].Value (Rec64.ReadOnlyRef)")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long PinnedGet() =>
        _records.PinReadOnly(static (ReadOnlyMappedSpan<Rec64.ReadOnlyRef> span) =>
        {
            long sum = 0;
            for (int i = 0; i < span.Length; i++)
            {
                sum += span[i].Value;
            }

            return sum;
        });
}
