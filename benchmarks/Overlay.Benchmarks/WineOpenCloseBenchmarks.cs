using System.IO;
using System.IO.MemoryMappedFiles;
using BenchmarkDotNet.Attributes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 12, for the Windows back end under Wine (<c>benchmarks/wine.sh</c>): open the 256 MiB
/// file, map all of it, read one <c>int</c> field, unmap and close, through <see cref="MemoryMap"/>
/// and through <see cref="MemoryMappedFile"/> + <c>CreateViewAccessor</c>, in the same process on
/// the same file. No libc call anywhere (the classes with raw-pointer baselines cannot run under
/// Wine). Target: <see cref="MemoryMap"/> at most 1.0x the BCL.
/// </summary>
[MemoryDiagnoser]
public class WineOpenCloseBenchmarks
{
    private const long FieldOffset = 8;

    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchFiles.DataPath;
        Tiering.Promote(() =>
        {
            MemoryMapOpen();
            MemoryMappedFileOpen();
        });
    }

    [Benchmark(Baseline = true, Description = "MemoryMappedFile + CreateViewAccessor + ReadInt32 + Dispose")]
    public int MemoryMappedFileOpen()
    {
        using var file = MemoryMappedFile.CreateFromFile(_path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        using MemoryMappedViewAccessor accessor = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        return accessor.ReadInt32(FieldOffset);
    }

    [Benchmark(Description = "MemoryMap.Open + ReadInt32 + Dispose")]
    public int MemoryMapOpen()
    {
        using MemoryMap map = MemoryMap.Open(_path, MapAccess.Read);
        return new Rec64.ReadOnlyView(map, 0).Value;
    }
}
