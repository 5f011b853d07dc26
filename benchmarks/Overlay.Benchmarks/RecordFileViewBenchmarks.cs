using System.IO;
using BenchmarkDotNet.Attributes;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 8, the one-array case (docs/formats.md §7): what opening a record file as a container
/// costs beside <c>RecordFile.Open</c> of the same file (both the prefix read, the lock and the
/// count; the view decodes the schemas and builds a table of four sections), and beside opening the
/// container <c>ConvertRecordFile</c> made of it. 1000 records of 8 bytes, schemas embedded.
/// </summary>
public class RecordFileViewBenchmarks
{
    private const ulong Magic = 0x5745_4956_434C_564FUL;
    private string _recordFile = null!;
    private string _container = null!;

    [GlobalSetup]
    public void Setup()
    {
        _recordFile = Path.Combine(BenchFiles.Directory, "view.rec");
        _container = Path.Combine(BenchFiles.Directory, "view.ovl");
        File.Delete(_recordFile);
        File.Delete(_container);
        using (var file = RecordFile<Rec32Header.View, BenchPlayerV1.View>.Create(_recordFile, Magic))
        {
            for (int i = 0; i < 1000; i++)
            {
                file.Append(new BenchPlayerV1 { Id = i, Score = i });
            }

            file.Flush();
        }

        MappedContainer.ConvertRecordFile(_recordFile, _container, Magic);
        Tiering.Promote(() =>
        {
            RecordFileOpen();
            ViewOpen();
            ContainerOpen();
        });
    }

    [Benchmark(Baseline = true, Description = "RecordFile.Open + [999] + Dispose")]
    public float RecordFileOpen()
    {
        using var file = RecordFile<Rec32Header.ReadOnlyView, BenchPlayerV1.ReadOnlyView>.Open(_recordFile, Magic, MapAccess.Read);
        return file[999].Score;
    }

    [Benchmark(Description = "MappedContainer.Open (the record file) + Records<T>(\"records\")[999] + Dispose")]
    public float ViewOpen() => OpenAndRead(_recordFile);

    [Benchmark(Description = "MappedContainer.Open (the converted container) + Records<T>(\"records\")[999] + Dispose")]
    public float ContainerOpen() => OpenAndRead(_container);

    private static float OpenAndRead(string path)
    {
        using MappedContainer container = MappedContainer.Open(path, Magic, MapAccess.Read);
        return container.Records<BenchPlayerV1.ReadOnlyView>(MappedContainer.RecordFileRecordsSection)[999].Score;
    }
}
