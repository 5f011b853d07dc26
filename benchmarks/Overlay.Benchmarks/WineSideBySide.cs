using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.MemoryMappedFiles;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>
/// The Wine comparisons measured side by side in time, not one after the other:
/// <c>Overlay.Benchmarks --wine-side-by-side [rounds]</c> (run by <c>benchmarks/wine.sh</c>, and on
/// Linux for the same figures there). BenchmarkDotNet measures one benchmark, then the next, a few
/// seconds apart; on 2 cores shared with other builds (load 18-30) the load changes in between,
/// and under Wine, where every operation is slower and the load weighs more, that made
/// <see cref="WineOpenCloseBenchmarks"/> report 2.58x where the two are equal. Here every round
/// runs each way once, in a rotating order, and the minimum, 25th percentile and median of the
/// rounds are reported per way: whatever the load does, it does to all of them alike.
/// </summary>
/// <remarks>
/// The field reads include a raw pointer loop over the same view (the BCL's), which shows the
/// machine's and Wine's share of a read: what the library adds is the difference to it.
/// </remarks>
internal static unsafe class WineSideBySide
{
    public static int Run(string[] args)
    {
        // wine.sh appends BenchmarkDotNet's --artifacts: a count of rounds, if given, comes first.
        int rounds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int given) ? given : 400;
        string where = OperatingSystem.IsWindows() ? "Windows back end (under Wine)" : "Linux";
        string path = BenchFiles.DataPath;
        Console.WriteLine($"# {where}, {Environment.ProcessorCount} cores, {rounds} rounds, each way once per round in rotating order");

        Measure(
            "open + map 256 MiB + read an int + close, us per operation",
            [
                ("MemoryMappedFile + CreateViewAccessor + ReadInt32 + Dispose", () =>
                {
                    using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
                    using MemoryMappedViewAccessor accessor = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
                    return accessor.ReadInt32(8);
                }),
                ("MemoryMap.Open + ReadOnlyView.Value + Dispose", () =>
                {
                    using MemoryMap map = MemoryMap.Open(path, MapAccess.Read);
                    return new Rec64.ReadOnlyView(map, 0).Value;
                }),
            ],
            rounds,
            divisor: 1000,
            bcl: 0);

        using MemoryMap map = MemoryMap.Open(path, MapAccess.Read);
        using var bcl = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        using MemoryMappedViewAccessor view = bcl.CreateViewAccessor(0, BenchFiles.DataBytes, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            const int Records = 512;
            var records = new MappedArray<Rec64.ReadOnlyView>(map, 0, Records);
            byte* basePointer = pointer + view.PointerOffset;
            Measure(
                $"a field read, {Records} records in order (32 KiB), ns per read",
                [
                    ("raw pointer loop over the BCL's view (the floor)", () =>
                    {
                        long sum = 0;
                        for (int i = 0; i < Records; i++)
                        {
                            sum += *(int*)(basePointer + ((long)i * Rec64.SizeInBytes) + Rec64.Offsets.Value);
                        }

                        return sum;
                    }),
                    ("MappedArray.PinReadOnly: span[i].Value", () => records.PinReadOnly(static (ReadOnlyMappedSpan<Rec64.ReadOnlyRef> span) =>
                    {
                        long sum = 0;
                        for (int i = 0; i < span.Length; i++)
                        {
                            sum += span[i].Value;
                        }

                        return sum;
                    })),
                    ("MappedArray: records[i].Value", () =>
                    {
                        long sum = 0;
                        for (int i = 0; i < Records; i++)
                        {
                            sum += records[i].Value;
                        }

                        return sum;
                    }),
                    ("MemoryMap.ReadAt<int>", () =>
                    {
                        long sum = 0;
                        for (int i = 0; i < Records; i++)
                        {
                            sum += map.ReadAt<int>(((long)i * Rec64.SizeInBytes) + Rec64.Offsets.Value);
                        }

                        return sum;
                    }),
                    ("MemoryMappedViewAccessor.ReadInt32", () =>
                    {
                        long sum = 0;
                        for (int i = 0; i < Records; i++)
                        {
                            sum += view.ReadInt32(((long)i * Rec64.SizeInBytes) + Rec64.Offsets.Value);
                        }

                        return sum;
                    }),
                ],
                rounds * 10,
                divisor: Records,
                bcl: 4);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        return 0;
    }

    /// <summary>Runs every way once per round, rotating the order (<see cref="InterleavedRounds"/>), and prints each way's minimum, 25th percentile and median (per <paramref name="divisor"/>), and its median over the BCL's (way <paramref name="bcl"/>).</summary>
    private static void Measure(string title, (string Name, Func<long> Run)[] ways, int rounds, int divisor, int bcl)
    {
        long expected = ways[0].Run();
        foreach ((string name, Func<long> run) in ways)
        {
            if (run() != expected)
            {
                throw new InvalidOperationException($"{name} read something else.");
            }
        }

        (double[][] times, _) = InterleavedRounds.Run(Array.ConvertAll(ways, way => way.Run), rounds, divisor);
        Console.WriteLine($"## {title}; load {Load()}");
        double baseline = InterleavedRounds.Median(times[bcl]);
        for (int k = 0; k < ways.Length; k++)
        {
            double median = InterleavedRounds.Median(times[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ways[k].Name,-62} min {times[k][0],9:F1}  p25 {times[k][rounds / 4],9:F1}  median {median,9:F1}  ({median / baseline:F2}x the BCL's median)"));
        }
    }

    /// <summary>The 1-minute load average where Linux shows it (under Wine too: Z:\proc), else "?".</summary>
    private static string Load()
    {
        try
        {
            string file = OperatingSystem.IsWindows() ? @"Z:\proc\loadavg" : "/proc/loadavg";
            return File.ReadAllText(file).Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
