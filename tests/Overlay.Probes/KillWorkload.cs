using System;
using System.Collections.Generic;
using System.Globalization;
using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>A 64-byte record of the process-crash test; every word of a written record is non-zero.</summary>
[MappedLayout]
public partial struct KillRecord
{
    public long Index;
    public long Version;
    [FixedArray(6)]
    public long[] Words;
}

/// <summary>
/// The process-crash workload (issue 11), shared by the child that runs it (scenario
/// <c>durability-writer</c>) and the test that kills it and checks the file: batch after batch,
/// append a few records, edit one earlier record in place with two stores, flush, and print
/// <c>flushed BATCH COUNT</c>. Every few batches the writer closes the file and opens it again, so
/// kills land in <c>Open</c>, <c>Flush</c> and <c>Dispose</c> too. Deterministic: the test replays
/// the batches to know every record's bytes.
/// </summary>
public static class KillWorkload
{
    /// <summary>The magic number of the workload's file.</summary>
    public const ulong Magic = 0x4F564C4B494C4C31UL; // "OVLKILL1"

    /// <summary>Batches between a close and a reopen.</summary>
    public const int ReopenEvery = 16;

    /// <summary>How many records batch <paramref name="batch"/> appends.</summary>
    public static int AppendsIn(long batch) => 1 + (int)(batch % 5);

    /// <summary>Record <paramref name="index"/> as appended.</summary>
    public static KillRecord Initial(long index)
    {
        var words = new long[6];
        for (int k = 0; k < words.Length; k++)
        {
            words[k] = Mix(index, k);
        }

        return new KillRecord { Index = index + 1, Version = 1, Words = words };
    }

    /// <summary>The in-place edit of batch <paramref name="batch"/>, made after its appends (<paramref name="count"/> records then): the record, its new version, which word, and the word's new value.</summary>
    public static (long Record, long Version, int Word, long Value) EditIn(long batch, long count)
    {
        long record = (long)((ulong)Mix(batch, 77) % (ulong)count);
        return (record, batch + 2, (int)(batch % 6), Mix(record, 1000 + batch));
    }

    /// <summary>The file's records after batches 0 to <paramref name="lastBatch"/>, all complete.</summary>
    public static List<KillRecord> Replay(long lastBatch)
    {
        var records = new List<KillRecord>();
        for (long batch = 0; batch <= lastBatch; batch++)
        {
            for (int i = AppendsIn(batch); i > 0; i--)
            {
                records.Add(Initial(records.Count));
            }

            (long record, long version, int word, long value) = EditIn(batch, records.Count);
            KillRecord edited = records[(int)record];
            edited.Version = version;
            edited.Words = (long[])edited.Words.Clone();
            edited.Words[word] = value;
            records[(int)record] = edited;
        }

        return records;
    }

    /// <summary>A non-zero value that differs for every (record, salt).</summary>
    public static long Mix(long index, long salt)
    {
        ulong x = ((ulong)index * 0x9E3779B97F4A7C15UL) ^ ((ulong)salt * 0xC2B2AE3D27D4EB4FUL);
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 32;
        return (long)(x | 1);
    }

    /// <summary>The child: runs on the file named by <c>OVERLAY_PROBE_FILE</c> (made by the test with <c>Create</c> and <c>Flush</c>) until killed, or for <c>OVERLAY_PROBE_BATCHES</c> batches.</summary>
    public static void RunFromEnvironment()
    {
        string path = Environment.GetEnvironmentVariable("OVERLAY_PROBE_FILE") ?? throw new InvalidOperationException("OVERLAY_PROBE_FILE is not set");
        long batches = long.TryParse(Environment.GetEnvironmentVariable("OVERLAY_PROBE_BATCHES"), CultureInfo.InvariantCulture, out long n) ? n : long.MaxValue;
        var file = RecordFile<KillHeader.View, KillRecord.View>.Open(path, Magic);
        file.MinimumGrowthBytes = 4096;
        for (long batch = 0; batch < batches; batch++)
        {
            if (batch > 0 && batch % ReopenEvery == 0)
            {
                file.Dispose();
                file = RecordFile<KillHeader.View, KillRecord.View>.Open(path, Magic);
                file.MinimumGrowthBytes = 4096;
            }

            for (int i = AppendsIn(batch); i > 0; i--)
            {
                file.Append(Initial(file.Count));
            }

            (long record, long version, int word, long value) = EditIn(batch, file.Count);
            KillRecord.View view = file[record];
            view.Version = version;
            MappedValueArray<long> words = view.Words;
            words[word] = value;
            file.Flush();
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flushed {batch} {file.Count}"));
            Console.Out.Flush();
        }

        file.Dispose();
    }
}

/// <summary>The header of the process-crash test's file.</summary>
[MappedLayout]
public partial struct KillHeader
{
    public long Created;
}
