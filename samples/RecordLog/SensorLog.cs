using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Overlay.Layouts;

namespace Overlay.Samples.RecordLog;

using LogReader = RecordFile<LogHeader.ReadOnlyView, SensorReading.ReadOnlyView>;
using LogWriter = RecordFile<LogHeader.View, SensorReading.View>;

/// <summary>The writer, the follower and the crash check of the sensor log.</summary>
public static class SensorLog
{
    /// <summary>The log's magic number ("SENSORS1").</summary>
    public const ulong Magic = 0x3153_524F_534E_4553UL;

    /// <summary>How many sensors the demo's readings cycle through.</summary>
    public const int Sensors = 8;

    /// <summary>
    /// Reading number <paramref name="index"/> of a log that started at <paramref name="start"/>:
    /// made from its number alone, so that a checker in another process knows every byte of it.
    /// </summary>
    /// <param name="start">The log's start time, Unix milliseconds.</param>
    /// <param name="index">The reading's number.</param>
    /// <returns>The reading, flags and check set.</returns>
    public static SensorReading Reading(long start, long index)
    {
        var reading = new SensorReading
        {
            Timestamp = start + (index * 10),
            SensorId = (int)(index % Sensors),
            Value = Math.Round(20 + (5 * Math.Sin(index / 10.0)), 3),
        };
        reading.Flags = 1 | (SensorReading.Check(reading) << 16);
        return reading;
    }

    /// <summary>
    /// Appends <paramref name="batches"/> batches of <paramref name="batchSize"/> readings (0 batches:
    /// until killed), flushing after each batch and then printing <c>flushed COUNT</c>: once that line
    /// is out, the readings it counts survive a crash of this process and a power loss.
    /// </summary>
    /// <param name="path">The log (created if missing).</param>
    /// <param name="batches">How many batches; 0 for no end.</param>
    /// <param name="batchSize">Readings per batch.</param>
    /// <param name="pause">A pause between two readings (so that a follower sees the log grow).</param>
    /// <param name="output">Where the <c>flushed</c> lines go.</param>
    /// <returns>The count of the log at the end.</returns>
    public static long Write(string path, int batches, int batchSize, TimeSpan pause, TextWriter output)
    {
        using LogWriter log = File.Exists(path) ? LogWriter.Open(path, Magic) : LogWriter.Create(path, Magic);
        LogHeader.View header = log.Header;
        if (header.CreatedAt == 0)
        {
            header.CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            header.Sensors = Sensors;
            log.Flush();
        }

        long start = header.CreatedAt;
        for (int batch = 0; batches == 0 || batch < batches; batch++)
        {
            for (int i = 0; i < batchSize; i++)
            {
                log.Append(Reading(start, log.Count));
                if (pause > TimeSpan.Zero)
                {
                    Thread.Sleep(pause);
                }
            }

            // Records first, then the count that claims them (RecordFile.Flush: docs/durability.md).
            log.Flush();
            output.WriteLine($"flushed {log.Count}");
            output.Flush();
        }

        return log.Count;
    }

    /// <summary>
    /// Follows the log read-only, as a second process: reopens it every <paramref name="poll"/> (a
    /// reader's count is a snapshot taken when it opens) and prints the readings that appeared
    /// since, until it holds <paramref name="until"/> readings or <paramref name="timeout"/> passes.
    /// </summary>
    /// <param name="path">The log.</param>
    /// <param name="until">The count to stop at.</param>
    /// <param name="poll">How often to look.</param>
    /// <param name="timeout">When to give up.</param>
    /// <param name="output">Where to print.</param>
    /// <returns>0 when every reading up to <paramref name="until"/> was seen and whole, 1 otherwise.</returns>
    public static int Follow(string path, long until, TimeSpan poll, TimeSpan timeout, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        long seen = 0;
        int broken = 0;
        while (seen < until && clock.Elapsed < timeout)
        {
            if (File.Exists(path) && new FileInfo(path).Length > 0)
            {
                using LogReader log = LogReader.Open(path, Magic, MapAccess.Read);
                long count = log.Count;
                if (count > seen)
                {
                    for (long i = seen; i < count; i++)
                    {
                        broken += SensorReading.IsWhole(log[i].Load()) ? 0 : 1;
                    }

                    SensorReading newest = log[count - 1].Load();
                    output.WriteLine($"follower: {count} readings (+{count - seen}); newest: sensor {newest.SensorId} = {newest.Value:0.000} at +{newest.Timestamp - log.Header.CreatedAt} ms");
                    seen = count;
                }
            }

            Thread.Sleep(poll);
        }

        output.WriteLine(seen >= until && broken == 0
            ? $"follower: saw all {seen} readings as the count grew, every one whole"
            : $"follower: saw {seen} of {until} readings, {broken} not whole");
        return seen >= until && broken == 0 ? 0 : 1;
    }

    /// <summary>
    /// Reopens a log a killed writer left and checks it against what the writer reported: every
    /// reading it reported flushed is there byte for byte, and every reading past that is whole
    /// and the one the writer would have written (a crash of the process keeps what it appended),
    /// never half of one.
    /// </summary>
    /// <param name="path">The log.</param>
    /// <param name="flushed">The last count the writer reported flushed.</param>
    /// <param name="output">Where to print.</param>
    /// <returns>Whether the log passed.</returns>
    public static bool Check(string path, long flushed, TextWriter output)
    {
        using LogReader log = LogReader.Open(path, Magic, MapAccess.Read);
        long start = log.Header.CreatedAt;
        long count = log.Count;
        output.WriteLine($"reopened: {count} readings; the writer had reported {flushed} flushed");
        bool ok = count >= flushed;
        if (!ok)
        {
            output.WriteLine($"LOST: {flushed - count} flushed readings are missing");
        }

        long different = 0;
        long notWhole = 0;
        for (long i = 0; i < count; i++)
        {
            SensorReading stored = log[i].Load();
            notWhole += SensorReading.IsWhole(stored) ? 0 : 1;
            SensorReading expected = Reading(start, i);
            different += stored.Timestamp == expected.Timestamp && stored.SensorId == expected.SensorId && stored.Flags == expected.Flags && BitConverter.DoubleToInt64Bits(stored.Value) == BitConverter.DoubleToInt64Bits(expected.Value) ? 0 : 1;
        }

        ok &= different == 0 && notWhole == 0;
        output.WriteLine(different == 0 && notWhole == 0
            ? $"checked all {count}: each of the {flushed} flushed readings byte for byte, and the {count - flushed} appended after the last flush are whole too (the kernel kept them): nothing half-written"
            : $"BROKEN: {different} readings differ from what was written, {notWhole} are not whole");
        return ok;
    }

    /// <summary>
    /// Starts a writer in a child process (batches of <paramref name="batchSize"/>, flushed after
    /// each), kills it with SIGKILL after it has reported between 3 and 8 flushes and a little more
    /// work (so the kill lands mid-batch), then checks the log with <see cref="Check"/>.
    /// </summary>
    /// <param name="path">The log (replaced).</param>
    /// <param name="self">How to start this program again: the executable and the arguments before ours.</param>
    /// <param name="batchSize">Readings per batch.</param>
    /// <param name="seed">Chooses when to kill.</param>
    /// <param name="output">Where to print.</param>
    /// <returns>0 if the log passed the check.</returns>
    public static async Task<int> CrashDemoAsync(string path, (string File, string[] Arguments) self, int batchSize, int seed, TextWriter output)
    {
        File.Delete(path);
        var random = new Random(seed);
        int killAfter = random.Next(3, 9);
        var start = new ProcessStartInfo(self.File) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in self.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in new[] { "--write", path, "--batches", "0", "--batch-size", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pause-us", "200" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process writer = Process.Start(start) ?? throw new InvalidOperationException("the writer did not start");
        output.WriteLine($"crash demo: writer pid {writer.Id} appends batches of {batchSize} readings to {path}, flushing after each");
        long flushed = 0;
        for (int reports = 0; reports < killAfter;)
        {
            string? line = await writer.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the writer ended before it was killed");
            if (line.StartsWith("flushed ", StringComparison.Ordinal))
            {
                flushed = long.Parse(line.AsSpan(8), System.Globalization.CultureInfo.InvariantCulture);
                output.WriteLine($"writer: {line}");
                reports++;
            }
        }

        await Task.Delay(random.Next(1, 15));
        writer.Kill(); // SIGKILL: no flush, no Dispose, no seal
        await writer.WaitForExitAsync();
        output.WriteLine($"killed the writer with SIGKILL after it reported {flushed} flushed readings (it went on appending)");
        return Check(path, flushed, output) ? 0 : 1;
    }
}
