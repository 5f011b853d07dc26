using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>The 32-byte record of the append benchmark.</summary>
[MappedLayout(Size = 32)]
public partial struct Rec32
{
    public long Id;
    public double Value;
    public int Kind;
    public int Flags;
    public long Time;
}

/// <summary>The header of the append benchmark's record file.</summary>
[MappedLayout]
public partial struct Rec32Header
{
    public long Created;
    public int Version;
}

/// <summary>
/// Issue #3: appending 10M 32-byte records to a new file: <see cref="RecordFile{THeaderView, TRecordView}"/>
/// against a raw-pointer append into a file mapped and grown 64 MiB at a time (ftruncate + mremap)
/// and a <see cref="FileStream"/> + <see cref="BinaryWriter"/>. Every invocation writes a new file
/// and closes it (trimmed to the records); the files are deleted outside the measurement.
/// </summary>
[InvocationCount(1, 1)]
public unsafe class AppendBenchmarks
{
    /// <summary>Records per invocation.</summary>
    public const int Count = 10_000_000;

    private const ulong Magic = 0x3233434552_4C564FUL; // "OVLREC32"
    private const long Chunk = 64L << 20;

    private static int s_counter;
    private string _path = null!;

    // Where the record file's first record starts (its prefix, schemas and header): 456 bytes for Rec32.
    private long _recordsOffset;

    [GlobalSetup]
    public void Setup()
    {
        _recordsOffset = RecordsOffsetOfANewFile();

        // Tier 1 first, on 100,000 records a file.
        Tiering.Promote(() =>
        {
            foreach (Action<int> append in new Action<int>[]
            {
                RecordFileAppendViews, n => RecordFileAppendValue(n), n => RawPointerAppend(n), BinaryWriterAppend,
                n => RawPointerAppend(n, populate: true), n => RecordFileAppendValue(n, prefault: true), n => RecordFileAppendValue(n, growthBytes: 1L << 30),
                n => RecordFileAppendValue(n, growthBytes: 64L << 20),
                RecordFileAppendBatches, n => RecordFileAppendBatches(n, SmallBatchRecords), n => FileStreamAppendBatches(n),
                n => FileStreamAppendBatches(n, _recordsOffset),
            })
            {
                _path = NewPath();
                append(100_000);
                File.Delete(_path);
            }
        });
    }

    [IterationSetup]
    public void IterationSetup() => _path = NewPath();

    [IterationCleanup]
    public void IterationCleanup() => File.Delete(_path);

    [Benchmark(Baseline = true, Description = "raw pointer, mmap grown 64 MiB at a time (ftruncate + mremap)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RawPointer() => RawPointerAppend(Count);

    [Benchmark(Description = "RecordFile.Append() + 5 setters on the view")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RecordFileViews() => RecordFileAppendViews(Count);

    [Benchmark(Description = "RecordFile.Append(in Rec32)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RecordFileValue() => RecordFileAppendValue(Count);

    [Benchmark(Description = "raw pointer, each 64 MiB growth pre-faulted (MADV_POPULATE_WRITE)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RawPointerPopulated() => RawPointerAppend(Count, populate: true);

    [Benchmark(Description = "RecordFile.Append(in Rec32), EnsureCapacity + Map.Advise(PopulateWrite) first")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RecordFileValuePrefaulted() => RecordFileAppendValue(Count, prefault: true);

    [Benchmark(Description = "RecordFile.Append(in Rec32), MinimumGrowthBytes = 1 GiB (one growth)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RecordFileValueOneGrowth() => RecordFileAppendValue(Count, growthBytes: 1L << 30);

    [Benchmark(Description = "RecordFile.Append(in Rec32), MinimumGrowthBytes = 64 MiB (the default before issue 8)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RecordFileValueStep64() => RecordFileAppendValue(Count, growthBytes: 64L << 20);

    [Benchmark(Description = "RecordFile.AppendRange, 1 MiB batches (32,768 records)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RecordFileAppendRange() => RecordFileAppendBatches(Count);

    [Benchmark(Description = "RecordFile.AppendRange, 4 KiB batches (128 records: under 64 KiB, stored through the map)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void RecordFileAppendRangeSmall() => RecordFileAppendBatches(Count, SmallBatchRecords);

    [Benchmark(Description = "FileStream writing the same 1 MiB batches (the records' bytes as they are)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void FileStreamBatches() => FileStreamAppendBatches(Count);

    /// <summary>
    /// Issue 8: the row above writes the records at offset 0, the record file at offset 456 (its
    /// prefix, schemas and header): the kernel's copy of the same bytes into the page cache then
    /// costs 15-20 % more (every write starts and ends mid-page, and the page cache takes more,
    /// smaller folios). The same writes after as many bytes of header, like with like.
    /// </summary>
    [Benchmark(Description = "FileStream writing the same 1 MiB batches after a header as long as the record file's (456 bytes)")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void FileStreamBatchesAfterHeader() => FileStreamAppendBatches(Count, _recordsOffset);

    [Benchmark(Description = "FileStream (64 KiB buffer) + BinaryWriter, 5 writes")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Count)]
    public void BinaryWriter() => BinaryWriterAppend(Count);

    private static string NewPath() =>
        Path.Combine(BenchFiles.Directory, $"append-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}.bin");

    private void RecordFileAppendViews(int count)
    {
        using var file = RecordFile<Rec32Header.View, Rec32.View>.Create(_path, Magic);
        for (int i = 0; i < count; i++)
        {
            Rec32.View record = file.Append();
            record.Id = i;
            record.Value = i * 0.5;
            record.Kind = i & 7;
            record.Flags = 1;
            record.Time = 1_700_000_000L + i;
        }
    }

    private void RecordFileAppendValue(int count, bool prefault = false, long growthBytes = 0)
    {
        using var file = RecordFile<Rec32Header.View, Rec32.View>.Create(_path, Magic);

        if (growthBytes > 0)
        {
            // Issue 8: growth by 64 MiB steps measured at 2-3x the stores into a file sized once (a C
            // replica); the same appends with the first growth large enough for all of them.
            file.MinimumGrowthBytes = growthBytes;
        }

        if (prefault)
        {
            // What growth could do by itself: the pages it adds, faulted in by one system call.
            file.EnsureCapacity(count);
            file.Map.Advise(MapAdvice.PopulateWrite);
        }

        for (int i = 0; i < count; i++)
        {
            file.Append(new Rec32 { Id = i, Value = i * 0.5, Kind = i & 7, Flags = 1, Time = 1_700_000_000L + i });
        }
    }

    /// <summary>What a hand-written appender does: map 64 MiB, write through a pointer, grow by 64 MiB with ftruncate + mremap, trim at the end.</summary>
    private void RawPointerAppend(int count, bool populate = false)
    {
        int fd = Native.Open(_path, Native.O_RDWR | Native.O_CREAT | Native.O_EXCL | Native.O_CLOEXEC, 0x1A4 /* 0644 */);
        if (fd < 0)
        {
            throw new InvalidOperationException($"open({_path}) failed");
        }

        long capacity = Chunk;
        Check(Native.FTruncate(fd, capacity));
        nint address = Native.MMap(0, (nuint)capacity, Native.PROT_READ | Native.PROT_WRITE, Native.MAP_SHARED, fd, 0);
        if (address == Native.MapFailed)
        {
            throw new InvalidOperationException("mmap failed");
        }

        if (populate)
        {
            Check(Native.MAdvise(address, (nuint)capacity, Native.MADV_POPULATE_WRITE));
        }

        long used = 0;
        for (int i = 0; i < count; i++)
        {
            if (used + Rec32.SizeInBytes > capacity)
            {
                Check(Native.FTruncate(fd, capacity + Chunk));
                address = Native.MRemap(address, (nuint)capacity, (nuint)(capacity + Chunk), Native.MREMAP_MAYMOVE);
                if (address == Native.MapFailed)
                {
                    throw new InvalidOperationException("mremap failed");
                }

                if (populate)
                {
                    Check(Native.MAdvise(address + (nint)capacity, (nuint)Chunk, Native.MADV_POPULATE_WRITE));
                }

                capacity += Chunk;
            }

            byte* record = (byte*)address + used;
            *(long*)record = i;
            *(double*)(record + 8) = i * 0.5;
            *(int*)(record + 16) = i & 7;
            *(int*)(record + 20) = 1;
            *(long*)(record + 24) = 1_700_000_000L + i;
            used += Rec32.SizeInBytes;
        }

        Check(Native.MUnmap(address, (nuint)capacity));
        Check(Native.FTruncate(fd, used));
        Check(Native.Close(fd));
    }

    private const int BatchRecords = (1 << 20) / 32;
    private const int SmallBatchRecords = (4 << 10) / 32;

    // One batch of records, the same for both batch benchmarks (filled once: what is timed is the append).
    private static readonly Rec32[] s_batch = MakeBatch();

    private static Rec32[] MakeBatch()
    {
        var batch = new Rec32[BatchRecords];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = new Rec32 { Id = i, Value = i * 0.5, Kind = i & 7, Flags = 1, Time = 1_700_000_000L + i };
        }

        return batch;
    }

    private void RecordFileAppendBatches(int count) => RecordFileAppendBatches(count, BatchRecords);

    private void RecordFileAppendBatches(int count, int batch)
    {
        using var file = RecordFile<Rec32Header.View, Rec32.View>.Create(_path, Magic);
        for (int done = 0; done < count; done += batch)
        {
            file.AppendRange<Rec32>(s_batch.AsSpan(0, Math.Min(batch, count - done)));
        }
    }

    private void FileStreamAppendBatches(int count, long header = 0)
    {
        // Rec32's fields in declaration order are the layout's little-endian bytes on x86-64 and ARM64.
        using var stream = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        if (header > 0)
        {
            // Zeros for the header: buffered, then written on their own before the first batch
            // (a write larger than the buffer flushes it first), as a format writer's header would be.
            stream.Write(new byte[header]);
        }

        for (int done = 0; done < count; done += BatchRecords)
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s_batch.AsSpan(0, Math.Min(BatchRecords, count - done))));
        }
    }

    private long RecordsOffsetOfANewFile()
    {
        // The prefix states its size (schemas included) and the header's: RecordFileFormat.RecordsOffset.
        _path = NewPath();
        RecordFile<Rec32Header.View, Rec32.View>.Create(_path, Magic).Dispose();
        byte[] prefix = new byte[RecordFileFormat.PrefixSize];
        using (var file = File.OpenRead(_path))
        {
            file.ReadExactly(prefix);
        }

        File.Delete(_path);
        return RecordFileFormat.RecordsOffset(
            BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(RecordFileFormat.PrefixSizeOffset)),
            BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(RecordFileFormat.HeaderSizeOffset)));
    }

    private void BinaryWriterAppend(int count)
    {
        using var stream = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new BinaryWriter(stream);
        for (int i = 0; i < count; i++)
        {
            writer.Write((long)i);
            writer.Write(i * 0.5);
            writer.Write(i & 7);
            writer.Write(1);
            writer.Write(1_700_000_000L + i);
        }
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new InvalidOperationException("system call failed");
        }
    }
}
