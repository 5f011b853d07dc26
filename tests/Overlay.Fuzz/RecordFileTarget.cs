using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;

namespace Overlay.Fuzz;

using Reader = RecordFile<FuzzPoint.ReadOnlyView, FuzzRecord.ReadOnlyView>;
using Writer = RecordFile<FuzzPoint.View, FuzzRecord.View>;

/// <summary>
/// Record files (<c>docs/durability.md</c>): flushed, sealed only, and flushed then appended to.
/// The walk reads the header and every record through views, <c>Load</c> and <c>PinReadOnly</c>;
/// the writer's path appends, flushes and reads the record back. (The CI test of this format with
/// mutations aimed at its prefix is <c>HostileFileFuzzTests</c>.)
/// </summary>
public sealed class RecordFileTarget : FuzzTarget
{
    /// <inheritdoc/>
    public override string Name => "record-file";

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, byte[] Bytes)> Seeds(string scratch)
    {
        var seeds = new List<(string, byte[])>();
        string path = Path.Combine(scratch, "seed.rec");
        foreach ((string name, int records, bool flush) in new[] { ("empty", 0, true), ("flushed", 6, true), ("sealed", 6, false) })
        {
            File.Delete(path);
            using (Writer file = Writer.Create(path, Tag))
            {
                FuzzPoint.View header = file.Header;
                header.X = 7;
                for (int i = 0; i < records; i++)
                {
                    file.Append(ContainerTarget.Record(i));
                }

                if (flush)
                {
                    file.Flush();
                }
            }

            seeds.Add((name, File.ReadAllBytes(path)));
        }

        File.Delete(path);
        return seeds;
    }

    /// <inheritdoc/>
    public override FuzzOutcome Walk(string path, bool write)
    {
        long count;
        try
        {
            using Reader file = Reader.Open(path, Tag, MapAccess.Read);
            count = file.Count;
            long sum = file.Header.X + file.Header.Load().Y;
            for (long i = 0; i < Math.Min(count, 64); i++)
            {
                FuzzRecord.ReadOnlyView record = file[i];
                sum += record.Id + record.Flags + (long)record.Value;
                try
                {
                    sum += record.Tag.Length + record.Load().Tag.Length;
                }
                catch (InvalidDataException)
                {
                    // Documented by fixed strings: invalid UTF-8.
                }
            }

            sum += file.Records.PinReadOnly(static (ReadOnlyMappedSpan<FuzzRecord.ReadOnlyRef> span) =>
            {
                long total = 0;
                foreach (FuzzRecord.ReadOnlyRef record in span)
                {
                    total += record.Id + record.Flags;
                }

                return total;
            });
            GC.KeepAlive(sum);
        }
        catch (InvalidDataException)
        {
            return FuzzOutcome.Refused;
        }

        if (write)
        {
            using (Writer file = Writer.Open(path, Tag))
            {
                file.Append(ContainerTarget.Record(count));
                file.Flush();
            }

            using Reader again = Reader.Open(path, Tag, MapAccess.Read);
            if (again.Count != count + 1 || again[count].Id != count)
            {
                throw new InvalidOperationException($"the appended record did not come back: count {again.Count}, expected {count + 1}");
            }
        }

        return FuzzOutcome.Opened;
    }
}
