using System;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>A 64-byte record, as a user of issue #3 declares it: <see cref="Value"/> is at offset 8.</summary>
[MappedLayout(Size = 64)]
public partial struct Rec64
{
    public long Id;
    public int Value;
    public float Weight;
    public double Score;
    public short Kind;
    public bool Active;
}

/// <summary>The same 64 bytes as a plain blittable struct, for <see cref="UnmanagedMemoryAccessor.Read{T}"/>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct Rec64Blittable
{
    [FieldOffset(0)]
    public long Id;

    [FieldOffset(8)]
    public int Value;

    [FieldOffset(12)]
    public float Weight;

    [FieldOffset(16)]
    public double Score;
}

/// <summary>The order in which <see cref="LayoutBenchmarks"/> visits the records.</summary>
public enum AccessOrder
{
    /// <summary>0, 1, 2, ...: a plain counted loop.</summary>
    Sequential,

    /// <summary>Through a shuffled index array (seed 1), the same for every method.</summary>
    Random,
}

/// <summary>
/// Issue #3: per-access cost of the generated <c>int</c> property of a 64-byte <c>[MappedLayout]</c>
/// record, get and set, against a raw pointer into a separate mmap of the same file and
/// <see cref="MemoryMappedViewAccessor"/>; over a hot region (512 records, 32 KiB) and over a
/// 256 MiB file (4M records), in order and in a random order.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public unsafe class LayoutBenchmarks
{
    /// <summary>The file: 4M records of 64 bytes, 256 MiB.</summary>
    public const int FileRecords = 4 * 1024 * 1024;

    private const int RecordSize = Rec64.SizeInBytes;
    private const int ValueOffset = Rec64.Offsets.Value;

    private static bool s_promoted;

    private MemoryMap _map = null!;
    private MappedArray<Rec64.View> _records;
    private Rec64.View[] _views = null!;
    private byte* _pointer;
    private MemoryMappedFile _file = null!;
    private MemoryMappedViewAccessor _accessor = null!;
    private int[] _index = null!;

    /// <summary>How many records are visited: 512 (32 KiB, cache resident) or the whole file (4M, 256 MiB).</summary>
    [ParamsSource(nameof(RecordCounts))]
    public int Records { get; set; }

    /// <summary>
    /// 512 and the whole file; only 512 when <c>OVERLAY_LAYOUT_HOT_ONLY=1</c>, so that the hot cases
    /// (whose run-to-run spread is wider than their differences) can be rerun in several processes
    /// in the time of one full run.
    /// </summary>
    public static int[] RecordCounts =>
        Environment.GetEnvironmentVariable("OVERLAY_LAYOUT_HOT_ONLY") == "1" ? [512] : [512, FileRecords];

    [Params(AccessOrder.Sequential, AccessOrder.Random)]
    public AccessOrder Order { get; set; }

    public static string RecordsPath => Path.Combine(BenchFiles.Directory, "records64.bin");

    [GlobalSetup]
    public void Setup()
    {
        EnsureRecordsFile();
        _map = MemoryMap.Open(RecordsPath, MapAccess.Write);
        _pointer = Native.MapReadWrite(RecordsPath, (long)FileRecords * RecordSize);
        _file = MemoryMappedFile.CreateFromFile(RecordsPath, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.ReadWrite);
        _accessor = _file.CreateViewAccessor(0, (long)FileRecords * RecordSize, MemoryMappedFileAccess.ReadWrite);

        if (!s_promoted)
        {
            // Every loop first runs over 512 records until tier 1 (see Tiering), in both orders
            // alternately: the instrumented tier-0 code must see both branches, or dynamic PGO
            // compiles the branch it never saw as cold (no inlining: calls to the view's
            // constructor and getter, 4x slower; seen in a first run).
            int records = Records;
            AccessOrder order = Order;
            Records = 512;
            Order = AccessOrder.Random;
            Prepare();
            int[] shuffled = _index;
            int[] identity = new int[512]; // not read: the sequential loops count
            for (int i = 0; i < identity.Length; i++)
            {
                identity[i] = i;
            }

            Tiering.Promote(() =>
            {
                foreach (AccessOrder o in new[] { AccessOrder.Sequential, AccessOrder.Random })
                {
                    Order = o;
                    _index = o == AccessOrder.Random ? shuffled : identity;
                    RawGet();
                    ArrayGet();
                    NewViewGet();
                    PremadeViewGet();
                    PinnedGet();
                    AccessorReadInt32();
                    AccessorReadStruct();
                    RawSet();
                    ArraySet();
                    NewViewSet();
                    PinnedSet();
                    AccessorWrite();
                }
            });

            Records = records;
            Order = order;
            s_promoted = true;
        }

        Prepare();
        long expected = RawGet();
        if (ArrayGet() != expected || NewViewGet() != expected || PremadeViewGet() != expected || PinnedGet() != expected
            || AccessorReadInt32() != expected || AccessorReadStruct() != expected)
        {
            throw new InvalidOperationException("The ways to read disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _accessor.Dispose();
        _file.Dispose();
        Native.MUnmap((nint)_pointer, (nuint)((long)FileRecords * RecordSize));
        _map.Dispose();
    }

    // ---- get: sum of the int field ----

    [Benchmark(Baseline = true, Description = "raw pointer ReadUnaligned<int>")]
    [BenchmarkCategory("Get")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long RawGet()
    {
        byte* pointer = _pointer;
        int count = Records;
        long sum = 0;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                sum += Unsafe.ReadUnaligned<int>(pointer + ((long)i * RecordSize) + ValueOffset);
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                sum += Unsafe.ReadUnaligned<int>(pointer + ((long)index[k] * RecordSize) + ValueOffset);
            }
        }

        return sum;
    }

    [Benchmark(Description = "MappedArray<Rec64.View>: records[i].Value")]
    [BenchmarkCategory("Get")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long ArrayGet()
    {
        MappedArray<Rec64.View> records = _records;
        int count = Records;
        long sum = 0;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                sum += records[i].Value;
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                sum += records[index[k]].Value;
            }
        }

        return sum;
    }

    [Benchmark(Description = "new Rec64.View(map, offset).Value")]
    [BenchmarkCategory("Get")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long NewViewGet()
    {
        MemoryMap map = _map;
        int count = Records;
        long sum = 0;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                var record = new Rec64.View(map, (long)i * RecordSize);
                sum += record.Value;
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                var record = new Rec64.View(map, (long)index[k] * RecordSize);
                sum += record.Value;
            }
        }

        return sum;
    }

    [Benchmark(Description = "view made before the loop: views[i].Value")]
    [BenchmarkCategory("Get")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long PremadeViewGet()
    {
        Rec64.View[] views = _views;
        int count = Records;
        long sum = 0;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                sum += views[i].Value;
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                sum += views[index[k]].Value;
            }
        }

        return sum;
    }

    [Benchmark(Description = "MappedArray.Pin: span[i].Value (Rec64.Ref)")]
    [BenchmarkCategory("Get")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long PinnedGet() =>
        _records.Pin((Order, _index), static (MappedSpan<Rec64.Ref> span, (AccessOrder Order, int[] Index) state) =>
        {
            long sum = 0;
            if (state.Order == AccessOrder.Sequential)
            {
                for (int i = 0; i < span.Length; i++)
                {
                    sum += span[i].Value;
                }
            }
            else
            {
                int[] index = state.Index;
                for (int k = 0; k < index.Length; k++)
                {
                    sum += span[index[k]].Value;
                }
            }

            return sum;
        });

    [Benchmark(Description = "MemoryMappedViewAccessor.ReadInt32")]
    [BenchmarkCategory("Get")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long AccessorReadInt32()
    {
        MemoryMappedViewAccessor accessor = _accessor;
        int count = Records;
        long sum = 0;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                sum += accessor.ReadInt32(((long)i * RecordSize) + ValueOffset);
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                sum += accessor.ReadInt32(((long)index[k] * RecordSize) + ValueOffset);
            }
        }

        return sum;
    }

    [Benchmark(Description = "MemoryMappedViewAccessor.Read<64-byte struct>")]
    [BenchmarkCategory("Get")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public long AccessorReadStruct()
    {
        MemoryMappedViewAccessor accessor = _accessor;
        int count = Records;
        long sum = 0;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                accessor.Read((long)i * RecordSize, out Rec64Blittable record);
                sum += record.Value;
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                accessor.Read((long)index[k] * RecordSize, out Rec64Blittable record);
                sum += record.Value;
            }
        }

        return sum;
    }

    // ---- set: the int field of every record visited ----

    [Benchmark(Baseline = true, Description = "raw pointer WriteUnaligned<int>")]
    [BenchmarkCategory("Set")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public void RawSet()
    {
        byte* pointer = _pointer;
        int count = Records;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                Unsafe.WriteUnaligned(pointer + ((long)i * RecordSize) + ValueOffset, i);
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                Unsafe.WriteUnaligned(pointer + ((long)index[k] * RecordSize) + ValueOffset, k);
            }
        }
    }

    [Benchmark(Description = "MappedArray<Rec64.View>: records.At(i).Value = v")]
    [BenchmarkCategory("Set")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public void ArraySet()
    {
        MappedArray<Rec64.View> records = _records;
        int count = Records;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                records.At(i).Value = i;
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                records.At(index[k]).Value = k;
            }
        }
    }

    [Benchmark(Description = "new Rec64.View(map, offset) { .Value = v }")]
    [BenchmarkCategory("Set")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public void NewViewSet()
    {
        MemoryMap map = _map;
        int count = Records;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                var record = new Rec64.View(map, (long)i * RecordSize);
                record.Value = i;
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                var record = new Rec64.View(map, (long)index[k] * RecordSize);
                record.Value = k;
            }
        }
    }

    [Benchmark(Description = "MappedArray.Pin: span.At(i).Value = v (Rec64.Ref)")]
    [BenchmarkCategory("Set")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public void PinnedSet() =>
        _records.Pin((Order, _index), static (MappedSpan<Rec64.Ref> span, (AccessOrder Order, int[] Index) state) =>
        {
            if (state.Order == AccessOrder.Sequential)
            {
                for (int i = 0; i < span.Length; i++)
                {
                    span.At(i).Value = i;
                }
            }
            else
            {
                int[] index = state.Index;
                for (int k = 0; k < index.Length; k++)
                {
                    span.At(index[k]).Value = k;
                }
            }

            return 0;
        });

    [Benchmark(Description = "MemoryMappedViewAccessor.Write(long, int)")]
    [BenchmarkCategory("Set")]
    [PerRecord(PerRecordKind.NanosecondsPerAccess)]
    public void AccessorWrite()
    {
        MemoryMappedViewAccessor accessor = _accessor;
        int count = Records;
        if (Order == AccessOrder.Sequential)
        {
            for (int i = 0; i < count; i++)
            {
                accessor.Write(((long)i * RecordSize) + ValueOffset, i);
            }
        }
        else
        {
            int[] index = _index;
            for (int k = 0; k < index.Length; k++)
            {
                accessor.Write(((long)index[k] * RecordSize) + ValueOffset, k);
            }
        }
    }

    /// <summary>The array, the pre-made views and the index for the current parameters.</summary>
    private void Prepare()
    {
        _records = new MappedArray<Rec64.View>(_map, 0, Records);
        _views = new Rec64.View[Records];
        for (int i = 0; i < Records; i++)
        {
            _views[i] = _records[i];
        }

        _index = new int[Records];
        for (int i = 0; i < _index.Length; i++)
        {
            _index[i] = i;
        }

        if (Order == AccessOrder.Random)
        {
            new Random(1).Shuffle(_index);
        }
    }

    /// <summary>Creates the 256 MiB file of records (pseudo-random bytes, seed 3) once, then reads it into the page cache.</summary>
    private static void EnsureRecordsFile()
    {
        const long length = (long)FileRecords * RecordSize;
        string path = RecordsPath;
        if (!File.Exists(path) || new FileInfo(path).Length != length)
        {
            var random = new Random(3);
            byte[] chunk = new byte[1 << 20];
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            for (long written = 0; written < length; written += chunk.Length)
            {
                random.NextBytes(chunk);
                stream.Write(chunk);
            }
        }

        byte[] buffer = new byte[1 << 20];
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        while (read.Read(buffer) > 0)
        {
        }
    }
}
