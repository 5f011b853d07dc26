using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 8, docs/formats.md §2: how sections of one file grow. Four record sections of 32-byte
/// records filled round-robin (1M records in all) and then read, under the chosen design
/// (contiguous extents relocated with doubling: <see cref="MappedContainer"/>) and the main
/// alternative (extents: 1 MiB chunks appended where the file ends, a chunk table per section),
/// with four separate <see cref="RecordFile{THeaderView, TRecordView}"/>s as the baseline of
/// growth that never copies.
/// </summary>
[InvocationCount(1, 1)]
public class ContainerGrowthBenchmarks
{
    private const int Sections = 4;
    private const int PerSection = 250_000;
    private const int Total = Sections * PerSection;
    private const ulong Tag = 0x4E4F435F4843_4E42UL;
    private const long ExtentBytes = 1 << 20;
    private const int PerExtent = (int)(ExtentBytes / 32);

    private static int s_counter;
    private readonly List<string> _files = new();
    private string _readPath = null!;
    private MappedContainer _read = null!;
    private ExtentFile _readExtents = null!;
    private int[] _indices = null!;

    [GlobalSetup]
    public void Setup()
    {
        _readPath = NewPath();
        using (MappedContainer container = MappedContainer.Create(_readPath, Tag))
        {
            FillContainer(container);
            container.Commit();
        }

        _read = MappedContainer.Open(_readPath, Tag, MapAccess.Read);
        _readExtents = new ExtentFile(NewPath());
        FillExtents(_readExtents);
        var random = new Random(42);
        _indices = new int[Total];
        for (int i = 0; i < Total; i++)
        {
            _indices[i] = random.Next(PerSection);
        }

        Tiering.Promote(() =>
        {
            ContiguousScan();
            ExtentScan();
            ContiguousRandom();
            ExtentRandom();
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _read.Dispose();
        _readExtents.Dispose();
        File.Delete(_readPath);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        foreach (string file in _files)
        {
            File.Delete(file);
        }

        _files.Clear();
    }

    [Benchmark(Baseline = true, Description = "append: 4 separate RecordFiles (each grows in place)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Total)]
    public void AppendSeparateFiles()
    {
        var files = new RecordFile<Rec32Header.View, Rec32.View>[Sections];
        for (int s = 0; s < Sections; s++)
        {
            files[s] = RecordFile<Rec32Header.View, Rec32.View>.Create(Track(NewPath()), Tag);
            files[s].MinimumGrowthBytes = 1 << 20;
        }

        for (int i = 0; i < PerSection; i++)
        {
            for (int s = 0; s < Sections; s++)
            {
                files[s].Append(Value(i));
            }
        }

        foreach (var file in files)
        {
            file.Dispose();
        }
    }

    [Benchmark(Description = "append: container, relocation + doubling")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Total)]
    public void AppendRelocation()
    {
        // No Commit: the others do not flush either; growth is what is compared.
        using MappedContainer container = MappedContainer.Create(Track(NewPath()), Tag);
        FillContainer(container);
    }

    [Benchmark(Description = "append: extents (1 MiB chunks, chunk table)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Total)]
    public void AppendExtents()
    {
        using var file = new ExtentFile(Track(NewPath()));
        FillExtents(file);
    }

    [Benchmark(Description = "scan 250k: contiguous section, PinReadOnly")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, PerSection)]
    public long ContiguousScan() =>
        _read.Records<Rec32.ReadOnlyView>("s1").PinReadOnly(static (ReadOnlyMappedSpan<Rec32.ReadOnlyRef> span) => Sum(span));

    [Benchmark(Description = "scan 250k: extents, PinReadOnly per extent")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, PerSection)]
    public long ExtentScan()
    {
        long total = 0;
        List<long> chunks = _readExtents.Chunks[1];
        for (int c = 0; c < chunks.Count; c++)
        {
            int count = Math.Min(PerExtent, PerSection - (c * PerExtent));
            total += new MappedArray<Rec32.ReadOnlyView>(_readExtents.Map, chunks[c], count)
                .PinReadOnly(static (ReadOnlyMappedSpan<Rec32.ReadOnlyRef> span) => Sum(span));
        }

        return total;
    }

    [Benchmark(Description = "1M random reads: contiguous section, Pin (base + i * 32)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Total)]
    public long ContiguousRandom() =>
        _read.Records<Rec32.ReadOnlyView>("s1").Records.PinReadOnly(_indices, static (ReadOnlyMappedSpan<Rec32.ReadOnlyRef> span, int[] indices) =>
        {
            long total = 0;
            foreach (int i in indices)
            {
                total += span[i].Id;
            }

            return total;
        });

    [Benchmark(Description = "1M random reads: extents (chunk table lookup, then the chunk)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Total)]
    public unsafe long ExtentRandom()
    {
        // The extent design's best case: the whole file pinned once, a chunk lookup per access.
        List<long> chunks = _readExtents.Chunks[1];
        long[] table = chunks.ToArray();
        MemoryMap map = _readExtents.Map;
        using ReadOnlyMappedMemory memory = map.AcquireReadOnlyMemory(0, (int)map.Length);
        ReadOnlySpan<byte> bytes = memory.Span;
        long total = 0;
        foreach (int i in _indices)
        {
            long offset = table[i / PerExtent] + ((long)(i % PerExtent) * 32);
            total += BitConverter.ToInt64(bytes.Slice((int)offset, 8));
        }

        return total;
    }

    private static long Sum(ReadOnlyMappedSpan<Rec32.ReadOnlyRef> span)
    {
        long total = 0;
        foreach (Rec32.ReadOnlyRef record in span)
        {
            total += record.Id;
        }

        return total;
    }

    private static Rec32 Value(int i) => new() { Id = i, Value = i * 0.5, Kind = i & 7, Flags = 1, Time = 1_700_000_000L + i };

    private static void FillContainer(MappedContainer container)
    {
        var sections = new RecordSection<Rec32.View>[Sections];
        for (int s = 0; s < Sections; s++)
        {
            sections[s] = container.AddRecords<Rec32.View>($"s{s}");
        }

        for (int i = 0; i < PerSection; i++)
        {
            for (int s = 0; s < Sections; s++)
            {
                sections[s].Append(Value(i));
            }
        }
    }

    private static void FillExtents(ExtentFile file)
    {
        for (int i = 0; i < PerSection; i++)
        {
            for (int s = 0; s < Sections; s++)
            {
                file.Append(s, Value(i));
            }
        }
    }

    private string Track(string path)
    {
        _files.Add(path);
        return path;
    }

    private static string NewPath() =>
        Path.Combine(BenchFiles.Directory, $"sections-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}.bin");

    /// <summary>The rejected alternative, minimal: each section a list of 1 MiB chunks placed where the file ends.</summary>
    private sealed class ExtentFile : IDisposable
    {
        private readonly long[] _used = new long[Sections];
        private long _end;

        public ExtentFile(string path)
        {
            using (var stream = new FileStream(path, FileMode.CreateNew))
            {
                stream.SetLength(ExtentBytes);
            }

            Map = MemoryMap.Open(path);
            for (int s = 0; s < Sections; s++)
            {
                Chunks[s] = new List<long>();
            }
        }

        public MemoryMap Map { get; }

        public List<long>[] Chunks { get; } = new List<long>[Sections];

        public void Append(int section, in Rec32 value)
        {
            long used = _used[section];
            List<long> chunks = Chunks[section];
            if (used % ExtentBytes == 0)
            {
                if (_end + ExtentBytes > Map.Length)
                {
                    Map.Resize(Math.Max(Map.Length * 2, _end + ExtentBytes)); // doubling, as the container
                }

                chunks.Add(_end);
                _end += ExtentBytes;
            }

            Rec32.Store(Map, chunks[^1] + (used % ExtentBytes), value);
            _used[section] = used + 32;
        }

        public void Dispose() => Map.Dispose();
    }
}
