using System;
using System.Globalization;
using System.Threading;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>Container scenarios that a test kills with SIGKILL at a random moment.</summary>
internal static class FormatProbes
{
    /// <summary>
    /// <c>compact-slowly PATH TAG-HEX</c>: compacts the container, pausing 2 ms after each 1 MiB
    /// copied so that a kill lands in the middle of the copy most of the time; prints "started"
    /// first, so the test knows the runtime is up.
    /// </summary>
    public static void CompactSlowly(string[] args)
    {
        string path = args[0];
        ulong tag = ulong.Parse(args[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Console.WriteLine("started");
        Console.Out.Flush();
        MappedContainer.Compact(path, tag, new Pause());
    }

    /// <summary>
    /// <c>build-unsealed PATH TAG-HEX</c>: a <see cref="ContainerBuilder"/> appends records, strings
    /// and raw bytes past several 1 MiB chunks (the records into a reservation for fewer of them, the
    /// rest spilling; the heap streams into the new file; the raw section spills to a temporary
    /// file), prints "appended" and waits to be killed before <c>Seal</c>.
    /// </summary>
    public static void BuildUnsealed(string[] args)
    {
        string path = args[0];
        ulong tag = ulong.Parse(args[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        ContainerBuilder builder = ContainerBuilder.Create(path, tag);
        RecordsWriter<KillRecord> records = builder.AddRecords<KillRecord>("records", 40_000);
        HeapWriter heap = builder.AddHeap("heap");
        RawWriter raw = builder.AddRaw("raw");
        for (int i = 0; i < 100_000; i++)
        {
            if (i < 50_000)
            {
                records.Append(new KillRecord { Index = i + 1, Version = 1, Words = [1, 2, 3, 4, 5, 6] });
            }

            heap.AppendString($"string {i} of the build that never seals");
            raw.Append(BitConverter.GetBytes((long)i));
            raw.Append(BitConverter.GetBytes(-(long)i));
        }

        Console.WriteLine("appended");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        GC.KeepAlive(builder);
    }

    private sealed class Pause : IProgress<long>
    {
        public void Report(long value) => Thread.Sleep(2);
    }
}
