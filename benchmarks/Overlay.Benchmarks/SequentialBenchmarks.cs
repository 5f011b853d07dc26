using System.IO;
using System.IO.MemoryMappedFiles;
using BenchmarkDotNet.Attributes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 12: sequential reads and writes of a whole 256 MiB file in 1 MiB chunks, through
/// <see cref="MemoryMap.ReadAt(long, System.Span{byte})"/>/<c>WriteAt</c> and through
/// <see cref="MemoryMappedViewAccessor.ReadArray{T}"/>/<c>WriteArray</c> over maps of the same files
/// made once in setup. Portable (no libc calls), so the same class runs on Linux and, published for
/// win-x64, under Wine: <c>docs/benchmarks.md</c>, "Windows under Wine".
/// </summary>
public class SequentialBenchmarks
{
    private const int Chunk = 1 << 20;

    private readonly byte[] _buffer = new byte[Chunk];
    private string _writePath = null!;
    private MemoryMap _readMap = null!;
    private MemoryMap _writeMap = null!;
    private MemoryMappedFile _readFile = null!;
    private MemoryMappedViewAccessor _readAccessor = null!;
    private MemoryMappedFile _writeFile = null!;
    private MemoryMappedViewAccessor _writeAccessor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writePath = Path.Combine(BenchFiles.Directory, "sequential-write.bin");
        using (var stream = new FileStream(_writePath, FileMode.Create, FileAccess.Write))
        {
            stream.SetLength(BenchFiles.DataBytes);
        }

        _readMap = MemoryMap.Open(BenchFiles.DataPath, MapAccess.Read);
        _writeMap = MemoryMap.Open(_writePath, MapAccess.Write);
        _readFile = MemoryMappedFile.CreateFromFile(BenchFiles.DataPath, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _readAccessor = _readFile.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        // CreateFromFile(path) lets no other writer in (FileShare.Read), and on Windows the
        // MemoryMap above already holds the file open for writing: a stream that shares is mapped.
        var shared = new FileStream(_writePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        _writeFile = MemoryMappedFile.CreateFromFile(shared, mapName: null, capacity: 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        _writeAccessor = _writeFile.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite);

        // Every page touched once, written ones too, so that no variant pays the first faults.
        _ = OverlayRead();
        OverlayWrite();
        if (OverlayRead() != AccessorRead())
        {
            throw new System.InvalidOperationException("The two ways to read disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writeAccessor.Dispose();
        _writeFile.Dispose();
        _readAccessor.Dispose();
        _readFile.Dispose();
        _writeMap.Dispose();
        _readMap.Dispose();
        File.Delete(_writePath);
    }

    [Benchmark(Baseline = true, Description = "read: MemoryMappedViewAccessor.ReadArray, 1 MiB chunks")]
    public long AccessorRead()
    {
        long sum = 0;
        for (long offset = 0; offset < BenchFiles.DataBytes; offset += Chunk)
        {
            _readAccessor.ReadArray(offset, _buffer, 0, Chunk);
            sum += _buffer[0] + _buffer[Chunk - 1];
        }

        return sum;
    }

    [Benchmark(Description = "read: MemoryMap.ReadAt, 1 MiB chunks")]
    public long OverlayRead()
    {
        long sum = 0;
        for (long offset = 0; offset < BenchFiles.DataBytes; offset += Chunk)
        {
            _readMap.ReadAt(offset, _buffer);
            sum += _buffer[0] + _buffer[Chunk - 1];
        }

        return sum;
    }

    [Benchmark(Description = "write: MemoryMappedViewAccessor.WriteArray, 1 MiB chunks")]
    public void AccessorWrite()
    {
        for (long offset = 0; offset < BenchFiles.DataBytes; offset += Chunk)
        {
            _writeAccessor.WriteArray(offset, _buffer, 0, Chunk);
        }
    }

    [Benchmark(Description = "write: MemoryMap.WriteAt, 1 MiB chunks")]
    public void OverlayWrite()
    {
        for (long offset = 0; offset < BenchFiles.DataBytes; offset += Chunk)
        {
            _writeMap.WriteAt(offset, _buffer);
        }
    }
}
