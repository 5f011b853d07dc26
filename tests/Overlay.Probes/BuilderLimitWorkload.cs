using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Overlay.Formats;

namespace Overlay.Probes;

/// <summary>Which append <see cref="BuilderLimitWorkload"/> makes fail.</summary>
public enum LimitCase
{
    /// <summary>A blob over a chunk (<c>HeapWriter.Append</c>, appended in parts).</summary>
    Blob,

    /// <summary>A string over a chunk (<c>HeapWriter.AppendString</c>).</summary>
    String,

    /// <summary>A record whose second heap string fails after its first was appended (<c>RecordsWriter.Append(value, heap)</c>).</summary>
    Parcel,

    /// <summary>A record over a chunk, without a heap (<c>RecordsWriter.Append(value)</c>).</summary>
    Slab,

    /// <summary>A record over a chunk whose heap string was appended first (<c>RecordsWriter.Append(value, heap)</c>).</summary>
    SlabWithHeap,

    /// <summary>Raw bytes over a chunk (<c>RawWriter.Append</c>).</summary>
    Raw,
}

/// <summary>
/// A <see cref="ContainerBuilder"/> build, shared by the child that runs it under a file-size limit
/// (scenario <c>build-past-file-size-limit</c>) and the test that builds the same file without the
/// refused append to compare. Values go into every section; the section under test first gets
/// 1.5 MiB (so one chunk of it is written out: into the new file, or, when <c>spilled</c>, into a
/// temporary file because a lead section filled a chunk first), then the refused value of 3 MiB
/// writes one more chunk and fails in the next, past <see cref="Limit"/>, part of it written. After
/// it, more values go into every section, one over a chunk into the section under test.
/// </summary>
public static class BuilderLimitWorkload
{
    /// <summary>The file-size limit the refused append runs under: 2.5 MiB, inside its third chunk.</summary>
    public const long Limit = 5L << 19;

    /// <summary>What only the refused value holds: the sealed file must not.</summary>
    public static readonly byte[] Marker = "refused!"u8.ToArray();

    /// <summary>
    /// Builds <paramref name="path"/>; <paramref name="refuse"/> is given the refused append and a
    /// description of every writer's count, and runs the append under the limit; null leaves the
    /// append out (the reference build).
    /// </summary>
    /// <returns>The sealed file's length.</returns>
    public static long Build(string path, ulong tag, LimitCase limitCase, bool spilled, Action<Action, Func<string>>? refuse)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, tag);
        RawWriter lead = builder.AddRaw("lead");
        HeapWriter heap = builder.AddHeap("heap");
        RecordsWriter<LimitParcel> parcels = builder.AddRecords<LimitParcel>("parcels");
        RecordsWriter<LimitSlab> slabs = builder.AddRecords<LimitSlab>("slabs");
        RecordsWriter<LimitHeapSlab> heapSlabs = builder.AddRecords<LimitHeapSlab>("heap-slabs");
        RawWriter raw = builder.AddRaw("raw");
        if (spilled)
        {
            lead.Append(Pattern(5 << 18, 1));
        }

        AppendLarge(limitCase, heap, parcels, slabs, heapSlabs, raw, 3 << 19, 1);
        heap.AppendString("before");
        parcels.Append(new LimitParcel { Id = 2, Name = "two", Note = "before" }, heap);
        raw.Append("before"u8);

        refuse?.Invoke(
            () => AppendRefused(limitCase, heap, parcels, slabs, heapSlabs, raw),
            () => string.Create(CultureInfo.InvariantCulture, $"heap {heap.Count}, parcels {parcels.Count}, slabs {slabs.Count}, heap-slabs {heapSlabs.Count}, raw {raw.Length}, lead {lead.Length}"));

        heap.AppendString("after");
        parcels.Append(new LimitParcel { Id = 3, Name = "three", Note = "after" }, heap);
        raw.Append("after"u8);
        AppendLarge(limitCase, heap, parcels, slabs, heapSlabs, raw, 1 << 19, 2);
        return builder.Seal();
    }

    /// <summary><c>build-past-file-size-limit PATH TAG-HEX CASE SPILLED</c>: the build, its refused append under the limit; prints what the append threw and the counts before and after it.</summary>
    public static void Run(string[] args)
    {
        FileSizeLimit.RequireSignalIgnored();
        string path = args[0];
        ulong tag = ulong.Parse(args[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        LimitCase limitCase = Enum.Parse<LimitCase>(args[2]);
        bool spilled = bool.Parse(args[3]);
        long length = Build(path, tag, limitCase, spilled, (append, state) =>
        {
            Console.WriteLine($"before {state()}");
            FileSizeLimit.Set(Limit);
            try
            {
                append();
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

            Console.WriteLine($"after {state()}");
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sealed {length}"));
    }

    /// <summary>
    /// <c>seal-past-file-size-limit PATH TAG-HEX</c>: a build of about 3 MiB (a heap streaming into
    /// the new file, a raw section spilled to a temporary one) sealed under the 2.5 MiB limit, then,
    /// the limit lifted, an append and a second seal; prints how each ended.
    /// </summary>
    public static void RunSeal(string[] args)
    {
        FileSizeLimit.RequireSignalIgnored();
        using ContainerBuilder builder = ContainerBuilder.Create(args[0], ulong.Parse(args[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        HeapWriter heap = builder.AddHeap("heap");
        RawWriter raw = builder.AddRaw("raw");
        heap.Append(Pattern(3 << 19, 1));
        raw.Append(Pattern(3 << 19, 2));
        FileSizeLimit.Set(Limit);
        Report("seal", () => builder.Seal());
        FileSizeLimit.Lift();
        Report("append", () => heap.AppendString("after"));
        Report("reseal", () => builder.Seal());
    }

    /// <summary>Bytes that differ from the marker everywhere.</summary>
    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }

    private static void Report<T>(string what, Func<T> action)
    {
        try
        {
            action();
            Console.WriteLine($"{what} accepted");
        }
        catch (Exception e)
        {
            Console.WriteLine($"{what} refused {e.GetType().FullName}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static void AppendLarge(LimitCase limitCase, HeapWriter heap, RecordsWriter<LimitParcel> parcels, RecordsWriter<LimitSlab> slabs, RecordsWriter<LimitHeapSlab> heapSlabs, RawWriter raw, int length, int seed)
    {
        switch (limitCase)
        {
            case LimitCase.Blob:
                heap.Append(Pattern(length, seed));
                break;
            case LimitCase.String:
                heap.AppendString(Text($"accepted {seed} ", length));
                break;
            case LimitCase.Parcel:
                parcels.Append(new LimitParcel { Id = 10 + seed, Name = $"large {seed}", Note = Text($"accepted {seed} ", length) }, heap);
                break;
            case LimitCase.Slab:
                slabs.Append(new LimitSlab { Id = seed, Words = Words(seed) });
                break;
            case LimitCase.SlabWithHeap:
                heapSlabs.Append(new LimitHeapSlab { Id = seed, Name = $"slab {seed}", Words = Words(seed) }, heap);
                break;
            case LimitCase.Raw:
                raw.Append(Pattern(length, seed));
                break;
        }
    }

    private static void AppendRefused(LimitCase limitCase, HeapWriter heap, RecordsWriter<LimitParcel> parcels, RecordsWriter<LimitSlab> slabs, RecordsWriter<LimitHeapSlab> heapSlabs, RawWriter raw)
    {
        const int Length = 3 << 20;
        string marker = Encoding.ASCII.GetString(Marker);
        long word = BitConverter.ToInt64(Marker);
        switch (limitCase)
        {
            case LimitCase.Blob:
                heap.Append(Text(marker, Length).Select(c => (byte)c).ToArray());
                break;
            case LimitCase.String:
                heap.AppendString(Text(marker, Length));
                break;
            case LimitCase.Parcel:
                parcels.Append(new LimitParcel { Id = -1, Name = marker, Note = Text(marker, Length) }, heap);
                break;
            case LimitCase.Slab:
                slabs.Append(new LimitSlab { Id = -1, Words = Words(word) });
                break;
            case LimitCase.SlabWithHeap:
                heapSlabs.Append(new LimitHeapSlab { Id = -1, Name = marker, Words = Words(word) }, heap);
                break;
            case LimitCase.Raw:
                raw.Append(Text(marker, Length).Select(c => (byte)c).ToArray());
                break;
        }
    }

    private static long[] Words(long word) => Enumerable.Repeat(word, 16).ToArray();

    private static string Text(string unit, int length) =>
        new StringBuilder(length + unit.Length).Insert(0, unit, (length / unit.Length) + 1).ToString(0, length);
}
