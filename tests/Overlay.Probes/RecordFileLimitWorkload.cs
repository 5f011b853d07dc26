using System;
using System.Globalization;
using System.Linq;
using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>A 16-byte record whose bytes are the struct's (<c>HasInMemoryLayout</c>): <c>AppendRange</c> writes the values' own bytes.</summary>
[MappedLayout]
public partial struct LimitRow
{
    public long Id;
    public long Value;
}

/// <summary>
/// <c>append-range-past-file-size-limit PATH LAYOUT</c> (<c>LimitRow</c>, written as it lies in
/// memory, or <c>KillRecord</c>, stored by its <c>Store</c>): a record file with room for every
/// record (no growth under the limit) takes 1 MiB of records by <c>AppendRange</c>, then, under a
/// file-size limit 64 KiB past them, a 256 KiB range, which is written through the file handle in
/// part and then refused with <c>EFBIG</c>; the limit lifted, the same range again and a last one;
/// reopened, every record is checked. Prints what the refused range threw and the counts around it.
/// </summary>
internal static class RecordFileLimitWorkload
{
    private const ulong Magic = 0x4C49_4D49_5446_494CUL;

    public static void Run(string[] args)
    {
        FileSizeLimit.RequireSignalIgnored();
        string path = args[0];
        switch (args[1])
        {
            case nameof(LimitRow):
                Run<LimitRow, LimitRow.View, LimitRow.ReadOnlyView>(path, i => new LimitRow { Id = i, Value = i * 3 }, r => r.Id, r => r.Value == r.Id * 3);
                break;
            case nameof(KillRecord):
                Run<KillRecord, KillRecord.View, KillRecord.ReadOnlyView>(path, i => new KillRecord { Index = i, Version = i * 3, Words = [i, i, i, i, i, i] }, r => r.Index, r => r.Version == r.Index * 3 && r.Words.All(w => w == r.Index));
                break;
            default:
                throw new ArgumentException($"unknown layout {args[1]}");
        }
    }

    private static void Run<TRecord, TView, TReadOnlyView>(string path, Func<long, TRecord> make, Func<TRecord, long> id, Func<TRecord, bool> intact)
        where TRecord : struct, IMappedLayout<TRecord>
        where TView : struct, IMappedView<TView>
        where TReadOnlyView : struct, IMappedView<TReadOnlyView>
    {
        int size = TRecord.SizeInBytes;
        int before = (1 << 20) / size;
        int range = (256 << 10) / size;
        TRecord[] Range(long first, int count) => Enumerable.Range(0, count).Select(i => make(first + i)).ToArray();
        using (var file = RecordFile<KillHeader.View, TView>.Create(path, Magic, initialCapacity: before + (3L * range)))
        {
            file.AppendRange<TRecord>(Range(0, before));
            long end = new System.IO.FileInfo(path).Length - ((file.Capacity - file.Count) * size);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"before {file.Count}"));
            FileSizeLimit.Set(end + (64 << 10));
            try
            {
                file.AppendRange<TRecord>(Range(-1_000_000, range));
                Console.WriteLine("accepted");
            }
            catch (Exception e)
            {
                Console.WriteLine($"refused {e.GetType().FullName}: {e.Message.ReplaceLineEndings(" ")}");
            }
            finally
            {
                FileSizeLimit.Lift();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after {file.Count}"));
            file.AppendRange<TRecord>(Range(before, range));
            file.AppendRange<TRecord>(Range(before + range, range));
        }

        using var reopened = RecordFile<KillHeader.ReadOnlyView, TReadOnlyView>.Open(path, Magic, MapAccess.Read);
        long bad = 0;
        for (long i = 0; i < reopened.Count; i++)
        {
            TRecord record = TRecord.Load(reopened.Map, reopened[i].Offset);
            bad += id(record) == i && intact(record) ? 0 : 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reopened {reopened.Count} bad {bad}"));
    }
}
