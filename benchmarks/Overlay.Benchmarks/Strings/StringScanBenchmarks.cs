using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Google.FlatBuffers;
using MemoryPack;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Benchmarks.Strings;

/// <summary>
/// Issue 8: 1M records, each with a 16-64 byte name; one pass sums the names' lengths and counts the
/// names that start with a prefix. Overlay reads a sealed container (records + heap) in place, through
/// views and through a pinned loop; FlatBuffers reads the same data in place (its accessors, its
/// <c>GetNameBytes</c> segment: no string made); MemoryPack deserializes the records, then the scan
/// runs over the objects. Targets: Overlay ≥ FlatBuffers, ≥ 10x MemoryPack.
/// </summary>
/// <remarks>
/// Google.FlatBuffers 25.2.10 is built without <c>ENABLE_SPAN_T</c>: its <see cref="ByteBuffer"/>
/// reads a managed <c>byte[]</c> only, not mapped memory. Its file is read into one array in setup,
/// outside the measurement, which favours it (no page-cache mapping, no bounds against a map). The
/// MemoryPack bytes are read into an array in setup too: what is measured is deserialize + scan.
/// </remarks>
public class StringScanBenchmarks
{
    /// <summary>Records in each file.</summary>
    public const int Records = 1_000_000;

    private const ulong Tag = 0x4E4353474E525453UL;   // "STRNGSCN"
    private static readonly byte[] s_prefix = "ab"u8.ToArray();

    private MappedContainer _container = null!;
    private RecordSection<NamedRecord.ReadOnlyView> _records = null!;
    private HeapSection _heap = null!;
    private ByteBuffer _flat = null!;
    private byte[] _memoryPack = null!;

    [GlobalSetup]
    public void Setup()
    {
        string overlay = Path.Combine(BenchFiles.Directory, "strings.ovl");
        string flat = Path.Combine(BenchFiles.Directory, "strings.fb");
        string pack = Path.Combine(BenchFiles.Directory, "strings.mpk");
        (long Id, string Name)[] data = Make();
        if (!File.Exists(overlay))
        {
            WriteOverlay(overlay, data);
            File.WriteAllBytes(flat, WriteFlatBuffers(data));
            File.WriteAllBytes(pack, WriteMemoryPack(data));
        }

        _container = MappedContainer.Open(overlay, Tag, MapAccess.Read);
        _records = _container.Records<NamedRecord.ReadOnlyView>("records");
        _heap = _container.Heap("heap");
        _flat = new ByteBuffer(File.ReadAllBytes(flat));
        _memoryPack = File.ReadAllBytes(pack);

        // Every way must see the same data, or the comparison means nothing.
        (long, int) expected = Expected(data);
        foreach ((string name, (long, int) got) in new[]
        {
            ("views", OverlayViews()), ("pinned", OverlayPinned()), ("FlatBuffers", FlatBuffersInPlace()), ("MemoryPack", MemoryPackDeserializeThenScan()),
        })
        {
            if (got != expected)
            {
                throw new InvalidOperationException($"{name} read {got}, expected {expected}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _container.Dispose();

    [Benchmark(Baseline = true, Description = "FlatBuffers: GetNameBytes in place (byte[])")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Records)]
    public (long, int) FlatBuffersInPlace()
    {
        FbNamedRecords root = FbNamedRecords.GetRoot(_flat);
        int count = root.ItemsLength;
        long bytes = 0;
        int matches = 0;
        for (int i = 0; i < count; i++)
        {
            ArraySegment<byte> name = root.Items(i)!.Value.GetNameBytes()!.Value;
            bytes += name.Count;
            matches += name.AsSpan().StartsWith(s_prefix) ? 1 : 0;
        }

        return (bytes, matches);
    }

    [Benchmark(Description = "Overlay: ReadOnlyView + pinned heap")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Records)]
    public (long, int) OverlayViews() => _heap.PinReadOnly(_records.Records, static (values, records) =>
    {
        long bytes = 0;
        int matches = 0;
        long count = records.Count;
        for (long i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> name = values[records[i].Name.Reference];
            bytes += name.Length;
            matches += name.StartsWith(s_prefix) ? 1 : 0;
        }

        return (bytes, matches);
    });

    [Benchmark(Description = "Overlay: PinReadOnly(heap, ...) loop")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Records)]
    public (long, int) OverlayPinned() => _records.PinReadOnly<NamedRecord.ReadOnlyRef, (long, int)>(_heap, static (records, values) =>
    {
        long bytes = 0;
        int matches = 0;
        for (int i = 0; i < records.Length; i++)
        {
            ReadOnlySpan<byte> name = values[records[i].Name];
            bytes += name.Length;
            matches += name.StartsWith(s_prefix) ? 1 : 0;
        }

        return (bytes, matches);
    });

    [Benchmark(Description = "MemoryPack: Deserialize, then scan")]
    [PerRecord(PerRecordKind.MillionRecordsPerSecond, Records)]
    public (long, int) MemoryPackDeserializeThenScan()
    {
        MpNamedRecord[] records = MemoryPackSerializer.Deserialize<MpNamedRecord[]>(_memoryPack)!;
        long bytes = 0;
        int matches = 0;
        foreach (MpNamedRecord record in records)
        {
            bytes += record.Name.Length;   // ASCII names: chars = UTF-8 bytes
            matches += record.Name.StartsWith("ab", StringComparison.Ordinal) ? 1 : 0;
        }

        return (bytes, matches);
    }

    private static (long Id, string Name)[] Make()
    {
        var random = new Random(8);
        var data = new (long, string)[Records];
        Span<char> name = stackalloc char[64];
        for (int i = 0; i < data.Length; i++)
        {
            int length = random.Next(16, 65);
            for (int c = 0; c < length; c++)
            {
                name[c] = (char)('a' + random.Next(26));
            }

            data[i] = (i, new string(name[..length]));
        }

        return data;
    }

    private static (long, int) Expected((long Id, string Name)[] data)
    {
        long bytes = 0;
        int matches = 0;
        foreach ((_, string name) in data)
        {
            bytes += name.Length;
            matches += name.StartsWith("ab", StringComparison.Ordinal) ? 1 : 0;
        }

        return (bytes, matches);
    }

    private static void WriteOverlay(string path, (long Id, string Name)[] data)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, Tag);
        RecordsWriter<NamedRecord> records = builder.AddRecords<NamedRecord>("records");
        HeapWriter heap = builder.AddHeap("heap");
        foreach ((long id, string name) in data)
        {
            records.Append(new NamedRecord { Id = id, Name = name }, heap);
        }

        builder.Seal();
    }

    private static byte[] WriteFlatBuffers((long Id, string Name)[] data)
    {
        var builder = new FlatBufferBuilder(96 << 20);
        var offsets = new Offset<FbNamedRecord>[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            offsets[i] = FbNamedRecord.Create(builder, data[i].Id, builder.CreateString(data[i].Name));
        }

        builder.Finish(FbNamedRecords.Create(builder, FbNamedRecords.CreateItemsVector(builder, offsets)).Value);
        return builder.SizedByteArray();
    }

    private static byte[] WriteMemoryPack((long Id, string Name)[] data)
    {
        var records = new MpNamedRecord[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            records[i] = new MpNamedRecord { Id = data[i].Id, Name = data[i].Name };
        }

        return MemoryPackSerializer.Serialize(records);
    }
}
