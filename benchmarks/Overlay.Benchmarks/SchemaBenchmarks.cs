using System;
using System.Buffers.Binary;
using System.IO;
using BenchmarkDotNet.Attributes;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>Version 1 of the upgrade benchmark's record: 8 bytes.</summary>
[MappedLayout]
public partial struct BenchPlayerV1
{
    public int Id;
    public float Score;
}

/// <summary>Version 2: the id widened, the score renamed and widened, a field added: 24 bytes.</summary>
[MappedLayout(Version = 2)]
public partial struct BenchPlayerV2
{
    public long Id;
    [FormerName("Score")] public double Points;
    public long Gold;
}

/// <summary>
/// Issue 9: what embedded schemas cost a record file's <c>Open</c> (a file with its schemas
/// against the same file without them, in one run; target ≤ 1.1x), and <c>Upgrade</c> of 10M
/// records (target ≥ 1 GB/s), for a record file and a container.
/// </summary>
public class RecordFileOpenBenchmarks
{
    private const ulong Magic = 0x4843534843_4C564FUL;
    private string _withSchemas = null!;
    private string _withoutSchemas = null!;

    [GlobalSetup]
    public void Setup()
    {
        _withSchemas = Path.Combine(BenchFiles.Directory, "open-schemas.rec");
        _withoutSchemas = Path.Combine(BenchFiles.Directory, "open-plain.rec");
        File.Delete(_withSchemas);
        using (var file = RecordFile<Rec32Header.View, BenchPlayerV1.View>.Create(_withSchemas, Magic))
        {
            for (int i = 0; i < 1000; i++)
            {
                file.Append(new BenchPlayerV1 { Id = i, Score = i });
            }

            file.Flush();
        }

        // The same file as record files were before they embedded schemas (docs/formats.md §8.4).
        byte[] bytes = File.ReadAllBytes(_withSchemas);
        RecordFilePrefix prefix = RecordFilePrefix.Read(bytes);
        long from = RecordFileFormat.RecordsOffset(prefix.PrefixSize, prefix.HeaderSize);
        long to = RecordFileFormat.RecordsOffset(prefix.HeaderSize);
        byte[] plain = new byte[to + (bytes.Length - from)];
        bytes.AsSpan(0, RecordFileFormat.PrefixSize).CopyTo(plain);
        BinaryPrimitives.WriteUInt32LittleEndian(plain.AsSpan(RecordFileFormat.PrefixSizeOffset), RecordFileFormat.PrefixSize);
        bytes.AsSpan((int)prefix.PrefixSize, (int)prefix.HeaderSize).CopyTo(plain.AsSpan(RecordFileFormat.PrefixSize));
        bytes.AsSpan((int)from).CopyTo(plain.AsSpan((int)to));
        File.WriteAllBytes(_withoutSchemas, plain);
    }

    [Benchmark(Baseline = true, Description = "RecordFile.Open + [999] + Dispose, no schemas (format 2 before)")]
    public float OpenWithoutSchemas() => OpenAndRead(_withoutSchemas);

    [Benchmark(Description = "RecordFile.Open + [999] + Dispose, schemas embedded")]
    public float OpenWithSchemas() => OpenAndRead(_withSchemas);

    private static float OpenAndRead(string path)
    {
        using var file = RecordFile<Rec32Header.ReadOnlyView, BenchPlayerV1.ReadOnlyView>.Open(path, Magic, MapAccess.Read);
        return file[999].Score;
    }
}

/// <summary>
/// Upgrade of 10M records from <see cref="BenchPlayerV1"/> (80 MB) to <see cref="BenchPlayerV2"/>
/// (240 MB); each invocation upgrades a fresh copy. Beside them, the floor: the same 240 MB written
/// with a <see cref="FileStream"/> and <c>fsync</c>ed, nothing read or converted, no rename.
/// </summary>
[InvocationCount(1, 1)]
public class UpgradeBenchmarks
{
    /// <summary>Records upgraded per invocation.</summary>
    public const int Count = 10_000_000;

    private const ulong Magic = 0x4544415247_4C564FUL;
    private const ulong Tag = 0x4544415247_4C5643UL;
    private string _recordMaster = null!;
    private string _containerMaster = null!;
    private string _work = null!;
    private byte[] _chunk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _recordMaster = Path.Combine(BenchFiles.Directory, "upgrade-master.rec");
        _containerMaster = Path.Combine(BenchFiles.Directory, "upgrade-master.ovl");
        _work = Path.Combine(BenchFiles.Directory, "upgrade-work");
        var records = new BenchPlayerV1[Count];
        for (int i = 0; i < Count; i++)
        {
            records[i] = new BenchPlayerV1 { Id = i, Score = i * 0.5f };
        }

        File.Delete(_recordMaster);
        using (var file = RecordFile<Rec32Header.View, BenchPlayerV1.View>.Create(_recordMaster, Magic, Count))
        {
            file.AppendRange<BenchPlayerV1>(records);
            file.Flush();
        }

        File.Delete(_containerMaster);
        using (MappedContainer container = MappedContainer.Create(_containerMaster, Tag))
        {
            RecordSection<BenchPlayerV1.View> section = container.AddRecords<BenchPlayerV1.View>("players", Count);
            foreach (BenchPlayerV1 record in records)
            {
                section.Append(record);
            }

            container.Commit();
        }
    }

    [IterationSetup(Target = nameof(WriteAndFsync))]
    public void DeleteWritten()
    {
        _chunk ??= CreateChunk();
        File.Delete(_work);
    }

    [Benchmark(Baseline = true, Description = "Floor: FileStream writes 240 MB (4 MiB at a time) + fsync")]
    public long WriteAndFsync()
    {
        const long Length = (long)Count * 24;
        using var output = new FileStream(_work, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        for (long done = 0; done < Length; done += _chunk.Length)
        {
            output.Write(_chunk, 0, (int)Math.Min(_chunk.Length, Length - done));
        }

        output.Flush(flushToDisk: true);
        return Length;
    }

    private static byte[] CreateChunk()
    {
        byte[] chunk = new byte[4 << 20];
        new Random(9).NextBytes(chunk);
        return chunk;
    }

    [IterationSetup(Target = nameof(RecordFileUpgrade))]
    public void CopyRecordFile() => File.Copy(_recordMaster, _work, overwrite: true);

    [IterationSetup(Target = nameof(ContainerUpgrade))]
    public void CopyContainer() => File.Copy(_containerMaster, _work, overwrite: true);

    [Benchmark(Description = "RecordFile.Upgrade, 10M records V1 -> V2")]
    public long RecordFileUpgrade() => RecordFile<Rec32Header.View, BenchPlayerV2.View>.Upgrade(_work, Magic);

    [Benchmark(Description = "MappedContainer.Upgrade, 10M records V1 -> V2")]
    public long ContainerUpgrade() => MappedContainer.Upgrade(_work, Tag, new ContainerUpgrade().Records<BenchPlayerV2>("players"));
}
