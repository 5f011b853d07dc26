using System.IO;
using System.IO.MemoryMappedFiles;
using BenchmarkDotNet.Attributes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue #2, benchmark 4: single-byte reads, summing bytes in order, over a hot 32 KiB region
/// (in L1/L2) and over the whole 256 MiB file: the <see cref="MemoryMap"/> indexer against a raw
/// pointer into a separate mmap of the same file and <see cref="UnmanagedMemoryAccessor.ReadByte"/>.
/// </summary>
public unsafe class IndexerBenchmarks
{
    private MemoryMap _map = null!;
    private byte* _pointer;
    private long _pointerLength;
    private MemoryMappedFile _file = null!;
    private MemoryMappedViewAccessor _accessor = null!;

    /// <summary>How many bytes from the start are summed: 32 KiB (hot) or the whole file.</summary>
    [Params(32L * 1024, BenchFiles.DataBytes)]
    public long Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _map = MemoryMap.Open(BenchFiles.DataPath, MapAccess.Read);
        _pointer = Native.MapWholeFile(BenchFiles.DataPath, out _pointerLength);
        _file = MemoryMappedFile.CreateFromFile(BenchFiles.DataPath, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _accessor = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);

        // The three loops first run over 4 KiB, until tier 1.
        long bytes = Bytes;
        Bytes = 4096;
        Tiering.Promote(() =>
        {
            RawPointer();
            Indexer();
            Accessor();
        });
        Bytes = bytes;

        if (Indexer() != RawPointer() || Accessor() != RawPointer())
        {
            throw new System.InvalidOperationException("The three ways to read disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _accessor.Dispose();
        _file.Dispose();
        Native.MUnmap((nint)_pointer, (nuint)_pointerLength);
        _map.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw pointer p[i]")]
    [PerOp(PerOpKind.NanosecondsPerByte)]
    public long RawPointer()
    {
        byte* pointer = _pointer;
        long count = Bytes;
        long sum = 0;
        for (long i = 0; i < count; i++)
        {
            sum += pointer[i];
        }

        return sum;
    }

    [Benchmark(Description = "MemoryMap this[long]")]
    [PerOp(PerOpKind.NanosecondsPerByte)]
    public long Indexer()
    {
        MemoryMap map = _map;
        long count = Bytes;
        long sum = 0;
        for (long i = 0; i < count; i++)
        {
            sum += map[i];
        }

        return sum;
    }

    [Benchmark(Description = "MemoryMappedViewAccessor.ReadByte")]
    [PerOp(PerOpKind.NanosecondsPerByte)]
    public long Accessor()
    {
        MemoryMappedViewAccessor accessor = _accessor;
        long count = Bytes;
        long sum = 0;
        for (long i = 0; i < count; i++)
        {
            sum += accessor.ReadByte(i);
        }

        return sum;
    }
}
