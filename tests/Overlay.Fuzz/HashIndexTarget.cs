using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;

namespace Overlay.Fuzz;

using KeySet = MappedHashIndex<FuzzKey, NoValue>;
using RecordIndex = MappedHashIndex<ulong, FuzzRecord.ReadOnlyView>;
using RecordIndexWriter = MappedHashIndex<ulong, FuzzRecord.View>;

/// <summary>
/// <see cref="MappedHashIndex{TKey, TValue}"/> files (<c>docs/indexes.md</c>): <c>ulong</c> keys with
/// <see cref="FuzzRecord"/> values, and a set of <see cref="FuzzKey"/> layout keys; flushed, and
/// left dirty by a writer that did not close. The walk opens read-only with both type pairs,
/// enumerates, looks every enumerated key and a few others up; the writer's path opens with
/// <c>recover: true</c>, adds, removes, flushes and reads the change back.
/// </summary>
public sealed class HashIndexTarget : FuzzTarget
{
    // Not a static field: under afl-fuzz nothing may call the instrumented runtime before
    // Fuzzer.Run has set up the coverage map, and a type's static initializer may run early.
    private static IndexKeyFormat<FuzzKey> KeyFormat => IndexKeyFormat.ForLayout<FuzzKey>();

    /// <inheritdoc/>
    public override string Name => "hash-index";

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, byte[] Bytes)> Seeds(string scratch)
    {
        var seeds = new List<(string, byte[])>();
        string path = Path.Combine(scratch, "seed.idx");
        foreach (int count in new[] { 0, 5, 40 })
        {
            File.Delete(path);
            using (RecordIndexWriter index = RecordIndexWriter.Create(path, new HashIndexOptions { Seed = 7, Tag = Tag, InitialCapacity = 16 }))
            {
                for (int i = 0; i < count; i++)
                {
                    index.Set((ulong)(i * 977), ContainerTarget.Record(i));
                }

                index.Remove(977);
            }

            seeds.Add(($"records-{count}", File.ReadAllBytes(path)));
        }

        File.Delete(path);
        using (KeySet set = KeySet.Create(path, new HashIndexOptions { Seed = 9, Tag = Tag, InitialCapacity = 16 }, KeyFormat))
        {
            for (int i = 0; i < 12; i++)
            {
                set.TryAdd(new FuzzKey { Code = $"k{i}", Shelf = i });
            }
        }

        seeds.Add(("keys", File.ReadAllBytes(path)));

        // Left dirty: the bytes as a writer that crashed after changes would leave them.
        File.Delete(path);
        using (RecordIndexWriter index = RecordIndexWriter.Create(path, new HashIndexOptions { Seed = 11, Tag = Tag, InitialCapacity = 16 }))
        {
            index.Set(1UL, ContainerTarget.Record(1));
            index.Flush();
            index.Set(2UL, ContainerTarget.Record(2));
            seeds.Add(("dirty", ReadBesideTheWriter(path)));
        }

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
            // Documented: not a valid index of these types, or left dirty.
        }

        try
        {
            using KeySet set = KeySet.Open(path, MapAccess.Read, KeyFormat, Tag);
            WalkKeys(set);
            opened = true;
        }
        catch (InvalidDataException)
        {
            // Documented.
        }

        if (write)
        {
            opened |= WriteAndReadBack(path);
        }

        return opened ? FuzzOutcome.Opened : FuzzOutcome.Refused;
    }

    private static void WalkRecords(RecordIndex index)
    {
        long sum = index.Count + index.Capacity + index.MaxLoadPercent + (long)index.Seed;
        var keys = new List<ulong>();
        foreach (KeyValuePair<ulong, FuzzRecord.ReadOnlyView> entry in index)
        {
            keys.Add(entry.Key);
            sum += entry.Value.Id + entry.Value.Flags;
            sum += ReadString(() => entry.Value.Tag.Length);
        }

        foreach (ulong key in keys.Count > 64 ? keys.GetRange(0, 64) : keys)
        {
            sum += index.TryGetValue(key, out FuzzRecord.ReadOnlyView value) ? value.Id : 0;
        }

        for (ulong key = 0; key < 48; key++)
        {
            sum += index.ContainsKey(key * 977) ? 1 : 0;
            try
            {
                sum += index.GetValue(key).Flags;
            }
            catch (KeyNotFoundException)
            {
                // Documented: absent.
            }
        }

        GC.KeepAlive(sum);
    }

    private static void WalkKeys(KeySet set)
    {
        long sum = set.Count + set.Capacity;
        int walked = 0;
        foreach (KeyValuePair<FuzzKey, NoValue> entry in set)
        {
            sum += entry.Key.Shelf + (set.ContainsKey(entry.Key) ? 1 : 0);
            walked++;
        }

        for (int i = 0; i < 16; i++)
        {
            sum += set.ContainsKey(new FuzzKey { Code = $"k{i}", Shelf = i }) ? 1 : 0;
        }

        GC.KeepAlive(sum + walked);
    }

    private static long ReadString(Func<long> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException)
        {
            // Documented by fixed strings: invalid UTF-8.
            return 0;
        }
    }

    private static bool WriteAndReadBack(string path)
    {
        RecordIndexWriter index;
        try
        {
            index = RecordIndexWriter.Open(path, MapAccess.Write, tag: Tag, recover: true);
        }
        catch (InvalidDataException)
        {
            return false;
        }

        const ulong Key = 0xF022_F022UL;
        long count;
        using (index)
        {
            index.Set(Key, ContainerTarget.Record(42));
            index.Remove(0);
            index.GetOrAdd(Key + 1).Id = 43;
            count = index.Count;
            index.Flush();
        }

        using RecordIndex again = RecordIndex.Open(path, MapAccess.Read, tag: Tag);
        if (again.Count != count || !again.TryGetValue(Key, out FuzzRecord.ReadOnlyView value) || value.Id != 42 || again.GetValue(Key + 1).Id != 43)
        {
            throw new InvalidOperationException($"the recovered index lost what was written and flushed: count {again.Count}, expected {count}");
        }

        return true;
    }

    /// <summary>The file's bytes while a writer has it open: Windows refuses <see cref="File.ReadAllBytes"/>
    /// there (it asks others not to write), so share writing as the index's own readers do.</summary>
    private static byte[] ReadBesideTheWriter(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
