using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;

namespace Overlay.Fuzz;

using GuidSet = MappedSortedIndex<Guid, NoValue>;
using RecordIndex = MappedSortedIndex<long, FuzzRecord.ReadOnlyView>;
using RecordIndexWriter = MappedSortedIndex<long, FuzzRecord.View>;

/// <summary>
/// <see cref="MappedSortedIndex{TKey, TValue}"/> files (<c>docs/indexes.md</c>): signed <c>long</c>
/// keys (numeric order) with <see cref="FuzzRecord"/> values, and a set of <c>Guid</c>s (byte
/// order). The walk enumerates, takes <c>First</c>/<c>Last</c>, looks keys up and reads ranges; the
/// writer's path edits a value in place and rebuilds the index with a builder that merges it.
/// </summary>
public sealed class SortedIndexTarget : FuzzTarget
{
    /// <inheritdoc/>
    public override string Name => "sorted-index";

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, byte[] Bytes)> Seeds(string scratch)
    {
        var seeds = new List<(string, byte[])>();
        string path = Path.Combine(scratch, "seed.sorted");
        foreach (int count in new[] { 0, 1, 17, 70 })
        {
            File.Delete(path);
            using (var builder = new SortedIndexBuilder<long, FuzzRecord.View>(runDirectory: scratch))
            {
                for (int i = 0; i < count; i++)
                {
                    builder.Add((i * 7919L % 101) - 50, ContainerTarget.Record(i));
                }

                builder.Build(path, tag: Tag);
            }

            seeds.Add(($"records-{count}", File.ReadAllBytes(path)));
        }

        File.Delete(path);
        using (var builder = new SortedIndexBuilder<Guid, NoValue>(runDirectory: scratch))
        {
            for (int i = 0; i < 20; i++)
            {
                builder.Add(new Guid(i * 31, (short)i, 0, 1, 2, 3, 4, 5, 6, 7, (byte)i));
            }

            builder.Build(path, tag: Tag);
        }

        seeds.Add(("guids", File.ReadAllBytes(path)));
        File.Delete(path);
        return seeds;
    }

    /// <inheritdoc/>
    protected override void FixChecksums(Span<byte> bytes)
    {
        // The header's CRC-32C of bytes [0, 124), at 124.
        if (bytes.Length >= 128)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes[124..], Crc32C(bytes[..124], default));
        }
    }

    /// <inheritdoc/>
    public override FuzzOutcome Walk(string path, bool write)
    {
        bool opened = false;
        try
        {
            using RecordIndex index = RecordIndex.Open(path, MapAccess.Read, tag: Tag);
            WalkRecords(index);
            opened = true;
        }
        catch (InvalidDataException)
        {
            // Documented: not a valid sorted index of these types.
        }

        try
        {
            using GuidSet set = GuidSet.Open(path, MapAccess.Read, tag: Tag);
            long sum = set.Count;
            foreach (KeyValuePair<Guid, NoValue> entry in set)
            {
                sum += set.ContainsKey(entry.Key) ? 1 : 0;
            }

            if (set.Count > 0)
            {
                foreach (KeyValuePair<Guid, NoValue> entry in set.Range(set.First().Key, set.Last().Key))
                {
                    sum += entry.Key.GetHashCode() & 1;
                }
            }

            GC.KeepAlive(sum);
            opened = true;
        }
        catch (InvalidDataException)
        {
            // Documented.
        }

        if (write && opened)
        {
            WriteAndRebuild(path);
        }

        return opened ? FuzzOutcome.Opened : FuzzOutcome.Refused;
    }

    private static void WalkRecords(RecordIndex index)
    {
        long sum = index.Count;
        var keys = new List<long>();
        foreach (KeyValuePair<long, FuzzRecord.ReadOnlyView> entry in index)
        {
            keys.Add(entry.Key);
            sum += entry.Value.Id + entry.Value.Flags;
        }

        if (index.Count == 0)
        {
            try
            {
                index.First();
                throw new InvalidOperationException("First() of an empty index did not throw");
            }
            catch (InvalidOperationException e) when (!e.Message.Contains("did not throw", StringComparison.Ordinal))
            {
                // Documented: the index is empty.
            }
        }
        else
        {
            sum += index.First().Key + index.Last().Key;
        }

        foreach (long key in keys.Count > 64 ? keys.GetRange(0, 64) : keys)
        {
            sum += index.TryGetValue(key, out FuzzRecord.ReadOnlyView value) ? value.Id : 0;
        }

        foreach ((long from, long to) in new[] { (long.MinValue, long.MaxValue), (-10L, 10L), (10L, -10L), (0L, 0L) })
        {
            int steps = 0;
            foreach (KeyValuePair<long, FuzzRecord.ReadOnlyView> entry in index.Range(from, to))
            {
                sum += entry.Key;
                if (++steps > index.Count)
                {
                    throw new InvalidOperationException($"Range({from}, {to}) returned more than the {index.Count} entries");
                }
            }
        }

        for (long key = -60; key < 60; key += 3)
        {
            sum += index.ContainsKey(key) ? 1 : 0;
        }

        GC.KeepAlive(sum);
    }

    private static void WriteAndRebuild(string path)
    {
        RecordIndexWriter index;
        try
        {
            index = RecordIndexWriter.Open(path, MapAccess.Write, tag: Tag);
        }
        catch (InvalidDataException)
        {
            return; // a set of Guids, not of records
        }

        string rebuilt = path + ".rebuilt";
        using (index)
        {
            if (index.Count > 0)
            {
                FuzzRecord.View first = index.First().Value;
                first.Flags = 99;
            }

            using var builder = new SortedIndexBuilder<long, FuzzRecord.View>(runDirectory: Path.GetDirectoryName(path));
            builder.Add(12345L, ContainerTarget.Record(12345));
            try
            {
                builder.Build(rebuilt, index, Tag);
            }
            catch (InvalidDataException)
            {
                // Documented: the existing index's keys are not in order (damaged); nothing is written.
                if (File.Exists(rebuilt))
                {
                    throw new InvalidOperationException("a refused rebuild left a file behind");
                }

                return;
            }
        }

        using (RecordIndex again = RecordIndex.Open(rebuilt, MapAccess.Read, tag: Tag))
        {
            if (!again.TryGetValue(12345L, out FuzzRecord.ReadOnlyView value) || value.Id != 12345)
            {
                throw new InvalidOperationException("the rebuilt index lost the added key");
            }

            foreach (KeyValuePair<long, FuzzRecord.ReadOnlyView> entry in again)
            {
                GC.KeepAlive(entry.Value.Id);
            }
        }

        File.Delete(rebuilt);
    }
}
