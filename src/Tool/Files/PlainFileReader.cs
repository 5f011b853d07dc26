using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Layouts;
using Overlay.Tool.Records;

namespace Overlay.Tool.Files;

/// <summary>
/// Reads record files and index files by their documented headers (docs/durability.md,
/// docs/indexes.md), checking every number before it is used to reach other bytes: a window of
/// entries is only read inside what the checked header and the file's length allow.
/// </summary>
internal static class PlainFileReader
{
    private const int HeaderSize = 128;

    public static PlainFile Read(string path, FileKind kind, long offset, long count)
    {
        using FileStream stream = File.OpenRead(path);
        long length = stream.Length;
        byte[] header = new byte[HeaderSize];
        int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        var fields = new List<KeyValuePair<string, object>>();
        var problems = new List<string>();
        var entries = new List<PlainEntry>();
        if (got < HeaderSize)
        {
            problems.Add($"the file is {length} bytes long, shorter than its {HeaderSize}-byte header");
            return new PlainFile(kind, fields, problems, entries, 0);
        }

        long total = kind switch
        {
            FileKind.RecordFile => ReadRecordFile(stream, header, length, fields, problems, entries, offset, count),
            FileKind.HashIndex => ReadHashIndex(stream, header, length, fields, problems, entries, offset, count),
            _ => ReadSortedIndex(stream, header, length, fields, problems, entries, offset, count),
        };
        return new PlainFile(kind, fields, problems, entries, total);
    }

    private static long ReadRecordFile(FileStream stream, byte[] h, long length, List<KeyValuePair<string, object>> fields, List<string> problems, List<PlainEntry> entries, long offset, long count)
    {
        RecordFilePrefix prefix = RecordFilePrefix.Read(h);
        Add(fields, "magic", Hex(prefix.Magic));
        Add(fields, "format version", prefix.FormatVersion);
        Add(fields, "prefix size", prefix.PrefixSize);
        Add(fields, "header size", prefix.HeaderSize);
        Add(fields, "record size", prefix.RecordSize);
        Add(fields, "header fingerprint", Hex(prefix.HeaderFingerprint));
        Add(fields, "record fingerprint", Hex(prefix.RecordFingerprint));
        Add(fields, "live count", prefix.RecordCount);
        if (prefix.FormatVersion != RecordFileFormat.Version)
        {
            problems.Add($"format version {prefix.FormatVersion}: this runtime reads version {RecordFileFormat.Version} only (version 1 files must be copied into a new file)");
            return 0;
        }

        if (prefix.PrefixSize < RecordFileFormat.PrefixSize || prefix.RecordSize == 0 || prefix.HeaderSize == 0 || prefix.RecordSize > int.MaxValue / 2 || prefix.HeaderSize > int.MaxValue / 2)
        {
            problems.Add($"prefix size {prefix.PrefixSize}, header size {prefix.HeaderSize} and record size {prefix.RecordSize} are not a record file's (at least {RecordFileFormat.PrefixSize}, and 1 to 2^30 each)");
            return 0;
        }

        RecordFileSchemas? schemas;
        try
        {
            schemas = ReadSchemas(stream, prefix);
        }
        catch (InvalidDataException e)
        {
            Add(fields, "schema", "invalid");
            problems.Add(e.Message);
            return 0;
        }

        Add(fields, "schema", schemas is null ? "none (written before record files embedded schemas)" : $"header {schemas.Header.Name}, records {schemas.Record.Name}");
        var decoder = schemas is null ? null : new RecordDecoder(schemas.Record);
        long recordsOffset = RecordFileFormat.RecordsOffset(prefix.PrefixSize, prefix.HeaderSize);
        long holds = length < recordsOffset ? 0 : (length - recordsOffset) / prefix.RecordSize;
        if (length < recordsOffset)
        {
            problems.Add($"the file ({length} bytes) does not hold its {prefix.HeaderSize}-byte header");
        }

        // The live count is trusted by the runtime only in the boot that wrote it; here it is what
        // the file claims, checked against what it holds (docs/durability.md).
        if (prefix.RecordCount > (ulong)holds)
        {
            problems.Add($"the live count claims {prefix.RecordCount} records, the file holds {holds}");
        }

        long total = (long)Math.Min(prefix.RecordCount, (ulong)holds);
        byte[] record = new byte[prefix.RecordSize];
        for (long i = offset; i < total && entries.Count < count; i++)
        {
            stream.Position = recordsOffset + (i * prefix.RecordSize);
            stream.ReadExactly(record);
            string? decoded = decoder is null
                ? null
                : string.Join(", ", decoder.Decode(i, record).Fields.Select(f => $"{f.Key}={ValueText.Format(f.Value)}"));
            entries.Add(new PlainEntry(i, null, Convert.ToHexString(record), decoded));
        }

        return total;
    }

    /// <summary>The schemas a record file embeds, or null for one without; <see cref="InvalidDataException"/> for a damaged region.</summary>
    public static RecordFileSchemas? ReadRecordFileSchemas(string path)
    {
        using FileStream stream = File.OpenRead(path);
        byte[] header = new byte[HeaderSize];
        if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
        {
            throw new InvalidDataException($"{path} is {stream.Length} bytes long, shorter than a record file's {HeaderSize}-byte prefix.");
        }

        return ReadSchemas(stream, RecordFilePrefix.Read(header));
    }

    private static RecordFileSchemas? ReadSchemas(FileStream stream, RecordFilePrefix prefix)
    {
        // The region is read only as far as the runtime would load it (16 MiB and the file's length);
        // the runtime's decoder checks everything else.
        long size = Math.Min(Math.Min(prefix.PrefixSize, stream.Length), RecordFileFormat.PrefixSizeWithSchemas(RecordFileFormat.MaximumSchemaBytes) + 8);
        byte[] bytes = new byte[Math.Max(size, HeaderSize)];
        stream.Position = 0;
        stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        return RecordFileSchemas.Decode(bytes);
    }

    private static long ReadHashIndex(FileStream stream, byte[] h, long length, List<KeyValuePair<string, object>> fields, List<string> problems, List<PlainEntry> entries, long offset, long count)
    {
        uint keySize = U32(h, 16), valueSize = U32(h, 20), stride = U32(h, 56), tail = U32(h, 60), state = U32(h, 80);
        ulong capacity = U64(h, 64), stored = U64(h, 72);
        Add(fields, "format version", U32(h, 8));
        Add(fields, "header size", U32(h, 12));
        Add(fields, "key size", keySize);
        Add(fields, "value size", valueSize);
        Add(fields, "key fingerprint", Hex(U64(h, 24)));
        Add(fields, "value fingerprint", Hex(U64(h, 32)));
        Add(fields, "hash function", U32(h, 40));
        Add(fields, "max load %", U32(h, 44));
        Add(fields, "seed", Hex(U64(h, 48)));
        Add(fields, "slot stride", stride);
        Add(fields, "tail slots", tail);
        Add(fields, "capacity", capacity);
        Add(fields, "count", stored);
        Add(fields, "state", state == 0 ? "clean" : state == 1 ? "dirty" : state.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(fields, "tag", Hex(U64(h, 88)));
        CheckCommon(h, problems);
        if (U32(h, 40) is not (1 or 2))
        {
            problems.Add($"hash function {U32(h, 40)}: only 1 (StableHash) and 2 (StableHash, 8-byte keys folded once) exist");
        }

        if (U32(h, 44) is < 25 or > 90)
        {
            problems.Add($"max load {U32(h, 44)}% is outside 25 to 90");
        }

        if (state == 1)
        {
            problems.Add("its state is dirty: a writer changed it after its last Flush and did not close it (open it with recover: true)");
        }
        else if (state != 0)
        {
            problems.Add($"its state {state} is neither clean (0) nor dirty (1)");
        }

        if (U32(h, 84) != 0)
        {
            problems.Add($"its flags 0x{U32(h, 84):X8} are not 0");
        }

        if (keySize is < 1 or > 1024 || valueSize > int.MaxValue / 4 || stride != ((8 + keySize + valueSize + 7) & ~7u))
        {
            problems.Add($"key size {keySize}, value size {valueSize} and slot stride {stride} do not agree (stride = 8 + key + value, rounded up to 8; keys 1 to 1024 bytes)");
            return 0;
        }

        if (capacity < 16 || capacity > (1UL << 40) || (capacity & (capacity - 1)) != 0 || tail is < 1 or > 65536)
        {
            problems.Add($"capacity {capacity} (a power of two, 16 to 2^40) or tail {tail} (1 to 65536) is out of range");
            return 0;
        }

        ulong slots = capacity + tail;
        if (slots > (ulong)(length - HeaderSize) / stride)
        {
            problems.Add($"{slots} slots of {stride} bytes do not fit in the file's {length} bytes");
            return 0;
        }

        if (stored > slots)
        {
            problems.Add($"count {stored} is more than its {slots} slots");
        }

        // A walk of every slot: the count must be the occupied slots.
        byte[] slot = new byte[stride];
        long occupied = 0;
        stream.Position = HeaderSize;
        for (ulong i = 0; i < slots; i++)
        {
            stream.ReadExactly(slot);
            if (BinaryPrimitives.ReadUInt64LittleEndian(slot) == 0)
            {
                continue;
            }

            if (occupied >= offset && entries.Count < count)
            {
                entries.Add(new PlainEntry((long)i, Convert.ToHexString(slot, 8, (int)keySize), Convert.ToHexString(slot, 8 + (int)keySize, (int)valueSize)));
            }

            occupied++;
        }

        if ((ulong)occupied != stored && state == 0)
        {
            problems.Add($"the header counts {stored} entries, {occupied} slots are occupied");
        }

        return occupied;
    }

    private static long ReadSortedIndex(FileStream stream, byte[] h, long length, List<KeyValuePair<string, object>> fields, List<string> problems, List<PlainEntry> entries, long offset, long count)
    {
        uint keySize = U32(h, 16), valueSize = U32(h, 20), blockSize = U32(h, 48), order = U32(h, 52);
        ulong stored = U64(h, 40);
        Add(fields, "format version", U32(h, 8));
        Add(fields, "header size", U32(h, 12));
        Add(fields, "key size", keySize);
        Add(fields, "value size", valueSize);
        Add(fields, "key fingerprint", Hex(U64(h, 24)));
        Add(fields, "value fingerprint", Hex(U64(h, 32)));
        Add(fields, "count", stored);
        Add(fields, "block size", blockSize);
        Add(fields, "key order", order == 1 ? "numeric" : order == 2 ? "bytes" : order.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(fields, "summary count", U64(h, 56));
        Add(fields, "keys offset", U64(h, 64));
        Add(fields, "values offset", U64(h, 72));
        Add(fields, "summary offset", U64(h, 80));
        Add(fields, "tag", Hex(U64(h, 88)));
        uint version = U32(h, 8);

        // Version 3's radix table (docs/indexes.md, "The radix table"); reserved bytes before it.
        ulong radixMin = U64(h, 96);
        uint radixShift = U32(h, 104), radixBuckets = U32(h, 108);
        Add(fields, "radix min", Hex(radixMin));
        Add(fields, "radix shift", radixShift);
        Add(fields, "radix buckets", radixBuckets);
        CheckCommon(h, problems, latestVersion: 3, reservedFrom: version == 3 ? 112 : 96);
        if (order is not (1 or 2))
        {
            problems.Add($"key order {order} is neither 1 (numeric) nor 2 (bytes)");
        }

        if (keySize is < 1 or > 1024 || valueSize > int.MaxValue / 4 || blockSize is < 1 or > 4096 || stored > (ulong)length)
        {
            problems.Add($"key size {keySize}, value size {valueSize}, block size {blockSize} or count {stored} is out of range for a {length}-byte file");
            return 0;
        }

        if (version >= 2 && blockSize != 16)
        {
            problems.Add($"block size {blockSize}: a version {version} summary tree needs 16");
            return 0;
        }

        // The runtime's limit: a quarter of the keys (at least 2, at most 2^28) from 16 keys up, none below or past a u32 position.
        long radixLimit = stored is >= 16 and <= uint.MaxValue ? Math.Clamp((long)stored / 4, 2, 1L << 28) : 0;
        if (radixBuckets > radixLimit || radixShift > 63)
        {
            problems.Add($"its radix table has {radixBuckets} buckets of shift {radixShift}, but {stored} keys allow at most {radixLimit} and shifts up to 63");
            return 0;
        }

        // Version 1: the block summary in Eytzinger order, then block numbers. Versions 2 and 3: values and
        // the summary tree (16-key nodes, 17 children a node, over the blocks) on 64-byte boundaries;
        // version 3 puts the tree first, then the radix table (a u32 start a bucket and the count), then the values.
        long n = (long)stored;
        long blocks = (n + blockSize - 1) / blockSize;
        long values, summary, summaryCount, end;
        if (version >= 2)
        {
            summaryCount = 0;
            for (long level = blocks; level > 1;)
            {
                level = (level + 16) / 17;
                summaryCount += level;
            }

            if (version == 2)
            {
                values = Align64(HeaderSize + (n * keySize));
                summary = Align64(values + (n * valueSize));
                end = summary + (summaryCount * 16 * keySize);
            }
            else
            {
                // Version 3: the tree and the table after the keys, the values last.
                summary = Align64(HeaderSize + (n * keySize));
                long radix = Align64(summary + (summaryCount * 16 * keySize));
                values = Align64(radix + (radixBuckets == 0 ? 0 : (radixBuckets + 1L) * 4));
                end = values + (n * valueSize);
            }
        }
        else
        {
            values = HeaderSize + Align8(n * keySize);
            summary = values + Align8(n * valueSize);
            summaryCount = blocks;
            end = summary + Align8(blocks * keySize) + (blocks * 8);
        }

        if (U64(h, 64) != HeaderSize || U64(h, 72) != (ulong)values || U64(h, 80) != (ulong)summary || U64(h, 56) != (ulong)summaryCount)
        {
            problems.Add($"its regions (keys at {U64(h, 64)}, values at {U64(h, 72)}, summary of {U64(h, 56)} at {U64(h, 80)}) are not where {n} keys put them ({HeaderSize}, {values}, {summaryCount} at {summary})");
            return 0;
        }

        if (end > length)
        {
            problems.Add($"it needs {end} bytes for {n} keys but is {length} bytes long");
            return 0;
        }

        byte[] key = new byte[keySize], previous = new byte[keySize], value = new byte[valueSize];
        for (long i = 0; i < n; i++)
        {
            stream.Position = HeaderSize + (i * keySize);
            stream.ReadExactly(key);

            // Byte-ordered keys can be checked without their type; numeric ones need to know their sign.
            if (order == 2 && i > 0 && key.AsSpan().SequenceCompareTo(previous) <= 0)
            {
                problems.Add($"key {i} is not greater than key {i - 1}: the keys are not sorted");
            }

            if (i >= offset && entries.Count < count)
            {
                stream.Position = values + (i * valueSize);
                stream.ReadExactly(value);
                entries.Add(new PlainEntry(i, Convert.ToHexString(key), Convert.ToHexString(value)));
            }

            (key, previous) = (previous, key);
        }

        return n;
    }

    private static void CheckCommon(byte[] h, List<string> problems, uint latestVersion = 1, int reservedFrom = 96)
    {
        if (U32(h, 8) is 0 || U32(h, 8) > latestVersion || U32(h, 12) != HeaderSize)
        {
            string versions = latestVersion == 1 ? "1" : $"1 to {latestVersion}";
            problems.Add($"format version {U32(h, 8)} and header size {U32(h, 12)}: expected {versions} and {HeaderSize}");
        }

        if (h.AsSpan(reservedFrom, 124 - reservedFrom).ContainsAnyExcept((byte)0))
        {
            problems.Add("its reserved header bytes are not zero");
        }

        uint computed = Crc32C.Compute(h.AsSpan(0, 124));
        if (U32(h, 124) != computed)
        {
            problems.Add($"its header checksum is 0x{U32(h, 124):X8} but its bytes give 0x{computed:X8}: the header is damaged");
        }
    }

    private static long Align8(long value) => (value + 7) & ~7L;

    private static long Align64(long value) => (value + 63) & ~63L;

    private static void Add(List<KeyValuePair<string, object>> fields, string name, object value) => fields.Add(new(name, value));

    private static string Hex(ulong value) => "0x" + value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    private static uint U32(byte[] b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset));

    private static ulong U64(byte[] b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(offset));
}
