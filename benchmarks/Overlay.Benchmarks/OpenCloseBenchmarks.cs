using System;
using System.IO;
using System.IO.MemoryMappedFiles;
using BenchmarkDotNet.Attributes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue #2, benchmark 3: open a 4 KiB file, map it, read its first byte, unmap and close.
/// <see cref="MemoryMap.Open"/> makes the calls open, fstat (it needs the size), mmap, munmap and
/// close; the baseline makes the same calls bare. Target: MemoryMap at most 1.25x the bare calls.
/// </summary>
[MemoryDiagnoser]
public unsafe class OpenCloseBenchmarks
{
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchFiles.SmallPath;
        Tiering.Promote(() =>
        {
            BareCalls();
            MemoryMapOpen();
            MemoryMappedFileOpen();
        });
    }

    [Benchmark(Baseline = true, Description = "bare open/fstat/mmap/munmap/close")]
    public byte BareCalls()
    {
        int fd = Native.Open(_path, Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new InvalidOperationException("open failed");
        }

        byte* stat = stackalloc byte[256];
        if (Native.FStat(fd, stat) != 0)
        {
            Native.Close(fd);
            throw new InvalidOperationException("fstat failed");
        }

        long length = *(long*)(stat + Native.StatSizeOffset);
        nint address = Native.MMap(0, (nuint)length, Native.PROT_READ, Native.MAP_SHARED, fd, 0);
        if (address == Native.MapFailed)
        {
            Native.Close(fd);
            throw new InvalidOperationException("mmap failed");
        }

        byte first = *(byte*)address;
        Native.MUnmap(address, (nuint)length);
        Native.Close(fd);
        return first;
    }

    [Benchmark(Description = "MemoryMap.Open + m[0] + Dispose")]
    public byte MemoryMapOpen()
    {
        using MemoryMap map = MemoryMap.Open(_path, MapAccess.Read);
        return map[0];
    }

    [Benchmark(Description = "MemoryMappedFile + accessor.ReadByte(0)")]
    public byte MemoryMappedFileOpen()
    {
        using var file = MemoryMappedFile.CreateFromFile(_path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        using MemoryMappedViewAccessor accessor = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        return accessor.ReadByte(0);
    }
}
