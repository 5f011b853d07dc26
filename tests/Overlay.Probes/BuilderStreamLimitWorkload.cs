using System;
using System.Globalization;
using Overlay.Formats;

namespace Overlay.Probes;

/// <summary>
/// A <see cref="ContainerBuilder"/> build of many small records whose heap streams into the new file,
/// for the write of a chunk that fails on the pool thread while the next chunk is filled
/// (<c>docs/formats.md</c> §1.4): the child (scenario <c>stream-past-file-size-limit</c>) appends under
/// a file-size limit of <see cref="Limit"/>, so the heap chunk that crosses it fails in the
/// background; the append that joins that write must throw and leave nothing, the chunk must be
/// written again once the limit is lifted, and the sealed file must be the one the build without the
/// refused record gives (<see cref="Build"/> with <c>skip</c>).
/// </summary>
public static class BuilderStreamLimitWorkload
{
    /// <summary>The file-size limit: 2.5 MiB, inside the heap's third chunk.</summary>
    public const long Limit = 5L << 19;

    /// <summary>Records appended: a heap of about 5.4 MiB (two blocks, 128 bytes, a record), the records spilled to a temporary file.</summary>
    public const int Total = 44_000;

    /// <summary>
    /// Builds <paramref name="path"/>. <paramref name="append"/> appends record <c>i</c> and says
    /// whether it was accepted (the child's, under the limit); null appends every record but
    /// <paramref name="skip"/>.
    /// </summary>
    /// <returns>The sealed file's length.</returns>
    public static long Build(string path, ulong tag, int skip, Func<Action, int, bool>? append)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, tag, flushToDisk: false);
        HeapWriter heap = builder.AddHeap("heap");
        RecordsWriter<LimitParcel> parcels = builder.AddRecords<LimitParcel>("parcels");
        for (int i = 0; i < Total; i++)
        {
            var parcel = new LimitParcel { Id = i, Name = $"parcel {i}", Note = string.Create(CultureInfo.InvariantCulture, $"note {i:D6} ") + new string((char)('a' + (i % 26)), 80) };
            if (append is not null)
            {
                append(() => parcels.Append(parcel, heap), i);
            }
            else if (i != skip)
            {
                parcels.Append(parcel, heap);
            }
        }

        return builder.Seal();
    }

    /// <summary>
    /// <c>stream-past-file-size-limit PATH TAG-HEX</c>: the build under the limit until an append
    /// throws, then without it; prints the refused record, what it threw, the counts and the length.
    /// </summary>
    public static void Run(string[] args)
    {
        FileSizeLimit.RequireSignalIgnored();
        ulong tag = ulong.Parse(args[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        bool limited = true;
        FileSizeLimit.Set(Limit);
        long length = Build(args[0], tag, -1, (append, i) =>
        {
            try
            {
                append();
                return true;
            }
            catch (Exception e) when (limited)
            {
                limited = false;
                FileSizeLimit.Lift();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"refused {i} {e.GetType().FullName}: {e.Message.ReplaceLineEndings(" ")}"));
                return false;
            }
        });

        if (limited)
        {
            FileSizeLimit.Lift();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sealed {length}"));
    }
}
