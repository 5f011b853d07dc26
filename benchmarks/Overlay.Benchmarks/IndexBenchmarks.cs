using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using LightningDB;
using Microsoft.Data.Sqlite;
using Overlay.Indexes;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>A 32-byte value: issue 10's benchmark shape (ulong → 32 bytes).</summary>
[MappedLayout]
public partial struct Value32
{
    public long A;
    public long B;
    public long C;
    public long D;
}

/// <summary>
/// Issue 10: 1M keys (ulong → 32-byte value), warm page cache, one thread. Each invocation does
/// 1,000 lookups, the next batch of all 1M keys in a seeded random order (<see cref="LookupKeys"/>: never the
/// same small batch again, which the caches and the branch predictor would learn), so the reported
/// time is per lookup of a key that is not in the CPU caches. Run with
/// <c>--filter '*IndexBenchmarks*'</c> (docs/benchmarks.md).
/// </summary>
public unsafe class IndexBenchmarks
{
    private const int Keys = 1_000_000;
    private const int Batch = 1000;

    private string _directory = "";
    private LookupKeys _hits = null!;
    private LookupKeys _misses = null!;
    private MappedHashIndex<ulong, Value32.ReadOnlyView> _hash = null!;

    // The same keys in a file recording hash function 1 (as files made before function 2 do):
    // the two functions side by side in one run (docs/indexes.md, "Why function 2").
    private MappedHashIndex<ulong, Value32.ReadOnlyView> _hashFunction1 = null!;
    private HandProbe _handProbeFunction1 = null!;
    private MappedSortedIndex<ulong, Value32.ReadOnlyView> _sorted = null!;

    // The same keys in a format version 2 file (no radix table): the search before version 3, in the same run.
    private MappedSortedIndex<ulong, Value32.ReadOnlyView> _sortedVersion2 = null!;
    private RawHash _raw = null!;
    private HandProbe _handProbe = null!;
    private Dictionary<ulong, Value32> _dictionary = null!;
    private LightningEnvironment _lmdb = null!;
    private LightningDatabase _lmdbDatabase = null!;
    private LightningTransaction _lmdbRead = null!;
    private SqliteConnection _sqlite = null!;
    private SqliteCommand _sqliteGet = null!;
    private SqliteCommand _sqliteRange = null!;
    private LookupKeys _rangeStarts = null!;

    public static ulong KeyOf(long i) => unchecked(((ulong)i * 0x9E3779B97F4A7C15UL) | 1);

    static IndexBenchmarks()
    {
        // benchmarks/build-lmdb.sh builds LMDB from the package's own sources where the package's
        // binary needs a newer glibc than the machine has.
        string built = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../native/liblmdb.so"));
        System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(LightningEnvironment).Assembly, (name, _, _) =>
            name == "lmdb" && File.Exists(built) ? System.Runtime.InteropServices.NativeLibrary.Load(built) : IntPtr.Zero);
    }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"overlay-index-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(_directory);
        var random = new Random(42);
        _hits = new LookupKeys(Keys, Batch, KeyOf, seed: 42);
        _misses = new LookupKeys(Keys, Batch, i => KeyOf(Keys + i) & ~1UL, seed: 43); // even: never a key
        _rangeStarts = new LookupKeys(Keys / 1000 * 16, 16, _ => (ulong)random.NextInt64(), seed: 44);

        BuildHash(Path.Combine(_directory, "hash.idx"));
        _hash = MappedHashIndex<ulong, Value32.ReadOnlyView>.Open(Path.Combine(_directory, "hash.idx"), MapAccess.Read);
        _handProbe = new HandProbe(Path.Combine(_directory, "hash.idx"));
        BuildHash(Path.Combine(_directory, "hash1.idx"), hashFunction: 1);
        _hashFunction1 = MappedHashIndex<ulong, Value32.ReadOnlyView>.Open(Path.Combine(_directory, "hash1.idx"), MapAccess.Read);
        _handProbeFunction1 = new HandProbe(Path.Combine(_directory, "hash1.idx"));
        using (var builder = new SortedIndexBuilder<ulong, Value32.ReadOnlyView>(runDirectory: _directory))
        {
            for (long i = 0; i < Keys; i++)
            {
                builder.Add(KeyOf(i), new Value32 { A = i });
            }

            builder.Build(Path.Combine(_directory, "sorted.idx"));
        }

        _sorted = MappedSortedIndex<ulong, Value32.ReadOnlyView>.Open(Path.Combine(_directory, "sorted.idx"));
        using (var builder = new SortedIndexBuilder<ulong, Value32.ReadOnlyView>(runDirectory: _directory) { FormatVersion = 2 })
        {
            for (long i = 0; i < Keys; i++)
            {
                builder.Add(KeyOf(i), new Value32 { A = i });
            }

            builder.Build(Path.Combine(_directory, "sorted2.idx"));
        }

        _sortedVersion2 = MappedSortedIndex<ulong, Value32.ReadOnlyView>.Open(Path.Combine(_directory, "sorted2.idx"));
        _raw = RawHash.Build(Path.Combine(_directory, "raw.bin"), Keys);
        _dictionary = new Dictionary<ulong, Value32>();
        for (long i = 0; i < Keys; i++)
        {
            _dictionary[KeyOf(i)] = new Value32 { A = i };
        }

        (_lmdb, _lmdbDatabase) = BuildLmdb(Path.Combine(_directory, "lmdb"));
        _lmdbRead = _lmdb.BeginTransaction(TransactionBeginFlags.ReadOnly);
        _sqlite = BuildSqlite(Path.Combine(_directory, "sqlite.db"));
        _sqliteGet = _sqlite.CreateCommand();
        _sqliteGet.CommandText = "SELECT v FROM kv WHERE k = $k";
        _sqliteGet.Parameters.Add("$k", SqliteType.Integer);
        _sqliteGet.Prepare();
        _sqliteRange = _sqlite.CreateCommand();
        _sqliteRange.CommandText = "SELECT k, v FROM kv WHERE k >= $k ORDER BY k LIMIT 1000";
        _sqliteRange.Parameters.Add("$k", SqliteType.Integer);
        _sqliteRange.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // After the runs: how much of each map (the indexes', LMDB's data.mdb) the kernel held in
        // 2 MiB entries, which moves a store's random lookups by several times in this VM
        // (docs/benchmarks/indexes.md, "The cliff at 50M keys").
        if (OperatingSystem.IsLinux())
        {
            HashCliff.Mappings(_directory);
        }

        _hash.Dispose();
        _sorted.Dispose();
        _sortedVersion2.Dispose();
        _raw.Dispose();
        _handProbe.Dispose();
        _hashFunction1.Dispose();
        _handProbeFunction1.Dispose();
        _lmdbRead.Dispose();
        _lmdbDatabase.Dispose();
        _lmdb.Dispose();
        _sqliteGet.Dispose();
        _sqliteRange.Dispose();
        _sqlite.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public long RawPointerHashHits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            sum += _raw.Get(key);
        }

        return sum;
    }

    /// <summary>Overlay's file probed by hand (<see cref="HandProbe"/>): the table's cost without the library's code path.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long HandProbeOverOverlayFileHits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            sum += _handProbe.Get(key);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long OverlayHashHits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            if (_hash.TryGetValue(key, out Value32.ReadOnlyView value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    /// <summary><see cref="OverlayHashHits"/> inside <c>PinReadOnly</c>: the checks made once per batch of 1,000, values as <c>ReadOnlyRef</c>s.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long OverlayHashPinnedHits() => _hash.PinReadOnly<Value32.ReadOnlyRef, LookupKeys, long>(_hits, static (pin, hits) =>
    {
        long sum = 0;
        foreach (ulong key in hits.Next())
        {
            if (pin.TryGetValue(key, out Value32.ReadOnlyRef value))
            {
                sum += value.A;
            }
        }

        return sum;
    });

    /// <summary><see cref="OverlayHashMisses"/> inside <c>PinReadOnly</c>.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int OverlayHashPinnedMisses() => _hash.PinReadOnly<Value32.ReadOnlyRef, LookupKeys, int>(_misses, static (pin, misses) =>
    {
        int found = 0;
        foreach (ulong key in misses.Next())
        {
            found += pin.ContainsKey(key) ? 1 : 0;
        }

        return found;
    });

    [Benchmark(OperationsPerInvoke = Batch)]
    public int OverlayHashMisses()
    {
        int found = 0;
        foreach (ulong key in _misses.Next())
        {
            found += _hash.ContainsKey(key) ? 1 : 0;
        }

        return found;
    }

    /// <summary><see cref="HandProbeOverOverlayFileHits"/> over the file recording hash function 1.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long HandProbeOverFunction1FileHits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            sum += _handProbeFunction1.Get(key);
        }

        return sum;
    }

    /// <summary><see cref="OverlayHashHits"/> over the file recording hash function 1.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long OverlayHashFunction1Hits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            if (_hashFunction1.TryGetValue(key, out Value32.ReadOnlyView value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    /// <summary><see cref="OverlayHashMisses"/> over the file recording hash function 1.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int OverlayHashFunction1Misses()
    {
        int found = 0;
        foreach (ulong key in _misses.Next())
        {
            found += _hashFunction1.ContainsKey(key) ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long DictionaryHits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            if (_dictionary.TryGetValue(key, out Value32 value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long OverlaySortedHits()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            if (_sorted.TryGetValue(key, out Value32.ReadOnlyView value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    /// <summary><see cref="OverlaySortedHits"/> over the format version 2 file (the summary tree alone): before version 3's radix table.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long OverlaySortedHitsVersion2()
    {
        long sum = 0;
        foreach (ulong key in _hits.Next())
        {
            if (_sortedVersion2.TryGetValue(key, out Value32.ReadOnlyView value))
            {
                sum += value.A;
            }
        }

        return sum;
    }

    /// <summary><see cref="OverlaySortedHits"/> inside <c>PinReadOnly</c>: the checks made once per batch of 1,000, values as <c>ReadOnlyRef</c>s.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long OverlaySortedHitsPinned() => _sorted.PinReadOnly<Value32.ReadOnlyRef, LookupKeys, long>(_hits, static (pin, hits) =>
    {
        long sum = 0;
        foreach (ulong key in hits.Next())
        {
            if (pin.TryGetValue(key, out Value32.ReadOnlyRef value))
            {
                sum += value.A;
            }
        }

        return sum;
    });

    [Benchmark(OperationsPerInvoke = Batch)]
    public long LmdbHits()
    {
        long sum = 0;
        Span<byte> key = stackalloc byte[8];
        foreach (ulong k in _hits.Next())
        {
            BitConverter.TryWriteBytes(key, k);
            var (code, _, value) = _lmdbRead.Get(_lmdbDatabase, key);
            if (code == MDBResultCode.Success)
            {
                sum += BitConverter.ToInt64(value.AsSpan());
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long SqliteHits()
    {
        long sum = 0;
        byte[] buffer = new byte[32];
        foreach (ulong k in _hits.Next())
        {
            _sqliteGet.Parameters[0].Value = unchecked((long)k);
            using SqliteDataReader reader = _sqliteGet.ExecuteReader();
            if (reader.Read())
            {
                reader.GetBytes(0, 0, buffer, 0, 32);
                sum += BitConverter.ToInt64(buffer);
            }
        }

        return sum;
    }

    /// <summary>16 scans of 1,000 keys each: the time per key.</summary>
    [Benchmark(OperationsPerInvoke = 16 * 1000)]
    public long OverlaySortedScan1000()
    {
        long sum = 0;
        foreach (ulong from in _rangeStarts.Next())
        {
            int n = 0;
            foreach (var entry in _sorted.Range(from, ulong.MaxValue))
            {
                sum += entry.Value.A;
                if (++n == 1000)
                {
                    break;
                }
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = 16 * 1000)]
    public long LmdbCursorScan1000()
    {
        long sum = 0;
        Span<byte> key = stackalloc byte[8];
        using LightningCursor cursor = _lmdbRead.CreateCursor(_lmdbDatabase);
        foreach (ulong from in _rangeStarts.Next())
        {
            BitConverter.TryWriteBytes(key, from);
            MDBResultCode code = cursor.SetRange(key);
            for (int n = 0; n < 1000 && code == MDBResultCode.Success; n++)
            {
                var (_, _, value) = cursor.GetCurrent();
                sum += BitConverter.ToInt64(value.AsSpan());
                (code, _, _) = cursor.Next();
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = 16 * 1000)]
    public long SqliteBetweenScan1000()
    {
        long sum = 0;
        byte[] buffer = new byte[32];
        foreach (ulong from in _rangeStarts.Next())
        {
            // SQLite integers are signed: the scan covers the signed order, which is what matters for cost.
            _sqliteRange.Parameters[0].Value = unchecked((long)from);
            using SqliteDataReader reader = _sqliteRange.ExecuteReader();
            while (reader.Read())
            {
                reader.GetBytes(1, 0, buffer, 0, 32);
                sum += BitConverter.ToInt64(buffer);
            }
        }

        return sum;
    }

    /// <summary>Builds the Overlay hash index of 1M keys, durably (one Flush at the end).</summary>
    public static void BuildHash(string path, uint hashFunction = 2)
    {
        File.Delete(path);
        using var index = MappedHashIndex<ulong, Value32.View>.Create(path, new HashIndexOptions { InitialCapacity = Keys, HashFunction = hashFunction });
        for (long i = 0; i < Keys; i++)
        {
            index.GetOrAdd(KeyOf(i)).A = i;
        }

        index.Flush();
    }

    public static (LightningEnvironment, LightningDatabase) BuildLmdb(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        var env = new LightningEnvironment(path) { MapSize = 1L << 30 };
        env.Open();
        using var tx = env.BeginTransaction();
        LightningDatabase db = tx.OpenDatabase(configuration: new DatabaseConfiguration { Flags = DatabaseOpenFlags.Create });
        byte[] key = new byte[8];
        byte[] value = new byte[32];
        for (long i = 0; i < Keys; i++)
        {
            BitConverter.TryWriteBytes(key, KeyOf(i));
            BitConverter.TryWriteBytes(value, i);
            tx.Put(db, key, value);
        }

        tx.Commit();
        return (env, db);
    }

    public static SqliteConnection BuildSqlite(string path)
    {
        File.Delete(path);
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (SqliteCommand create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE kv(k INTEGER PRIMARY KEY, v BLOB NOT NULL)";
            create.ExecuteNonQuery();
        }

        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO kv(k, v) VALUES ($k, $v)";
        var k = insert.Parameters.Add("$k", SqliteType.Integer);
        var v = insert.Parameters.Add("$v", SqliteType.Blob);
        insert.Prepare();
        byte[] value = new byte[32];
        for (long i = 0; i < Keys; i++)
        {
            BitConverter.TryWriteBytes(value, i);
            k.Value = unchecked((long)KeyOf(i));
            v.Value = value;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return connection;
    }
}

/// <summary>
/// The baseline: the simplest raw-pointer hash over a mapped file, as a user would write it with
/// the BCL's <see cref="System.IO.MemoryMappedFiles.MemoryMappedFile"/> and a view pointer (no
/// 2 GiB window, so the 50M build maps its 5.4 GB table whole): 40-byte slots (key + 1, 0 = empty;
/// 32-byte value), multiplicative hash, linear probing, no checks.
/// </summary>
public sealed unsafe class RawHash : IDisposable
{
    private readonly System.IO.MemoryMappedFiles.MemoryMappedFile _file;
    private readonly System.IO.MemoryMappedFiles.MemoryMappedViewAccessor _view;
    private readonly byte* _slots;
    private readonly ulong _mask;
    private readonly int _shift;

    private RawHash(string path, int bits)
    {
        _file = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(path, FileMode.Open);
        _view = _file.CreateViewAccessor();
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _slots = pointer + _view.PointerOffset;
        _mask = (1UL << bits) - 1;
        _shift = 64 - bits;
    }

    public static RawHash Build(string path, int keys)
    {
        int bits = BitsFor(keys);
        File.Delete(path);
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength((1L << bits) * 40);
        }

        var raw = new RawHash(path, bits);
        for (long i = 0; i < keys; i++)
        {
            raw.Put(IndexBenchmarks.KeyOf(i), i);
        }

        raw._view.Flush();
        return raw;
    }

    /// <summary>
    /// The same table for lookups, built cheaply and not synced (IndexScaleBenchmarks' 50M baseline,
    /// whose build is not measured): the keys sorted by home and written front to back through a
    /// <see cref="FileStream"/>, each at its home or after the previous one, as the bulk builder
    /// places them. Inserting the keys one by one through the map (<see cref="Build"/>) takes a write
    /// fault per page of a table larger than the dirty-page limits, over 20 minutes at 50M. Linear
    /// probing's total displacement does not depend on the insertion order, so lookups cost what
    /// they cost in the inserted table; the few keys whose run passes the end (it wraps) are put
    /// through the map afterwards.
    /// </summary>
    public static RawHash BuildInSlotOrder(string path, int keys)
    {
        int bits = BitsFor(keys);
        int shift = 64 - bits;
        long slots = 1L << bits;
        var hashes = new ulong[keys];
        var indexes = new int[keys];
        for (int i = 0; i < keys; i++)
        {
            hashes[i] = IndexBenchmarks.KeyOf(i) * 0x9E3779B97F4A7C15UL;
            indexes[i] = i;
        }

        Array.Sort(hashes, indexes);
        var wrapped = new List<int>();
        File.Delete(path);
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            // 10 MiB, five 2 MiB folios: every write ends on a 2 MiB boundary of the file, as the
            // bulk builder's do, so that the page cache can hold both tables in folios the kernel
            // maps with one TLB entry each (docs/benchmarks/indexes.md, "The cliff at 50M keys").
            byte[] chunk = new byte[40 << 18];
            int filled = 0;
            long next = 0;
            void Empty(long count)
            {
                while (count > 0)
                {
                    if (filled == chunk.Length)
                    {
                        stream.Write(chunk, 0, filled);
                        filled = 0;
                    }

                    int part = (int)Math.Min((chunk.Length - filled) / 40, count);
                    chunk.AsSpan(filled, part * 40).Clear();
                    filled += part * 40;
                    count -= part;
                }
            }

            for (int k = 0; k < keys; k++)
            {
                long slot = Math.Max((long)(hashes[k] >> shift), next);
                if (slot >= slots)
                {
                    wrapped.Add(indexes[k]);
                    continue;
                }

                Empty(slot - next);
                if (filled == chunk.Length)
                {
                    stream.Write(chunk, 0, filled);
                    filled = 0;
                }

                Span<byte> entry = chunk.AsSpan(filled, 40);
                entry.Clear();
                BitConverter.TryWriteBytes(entry, IndexBenchmarks.KeyOf(indexes[k]) + 1);
                BitConverter.TryWriteBytes(entry[8..], (long)indexes[k]);
                filled += 40;
                next = slot + 1;
            }

            Empty(slots - next);
            stream.Write(chunk, 0, filled);
        }

        var raw = new RawHash(path, bits);
        foreach (int i in wrapped)
        {
            raw.Put(IndexBenchmarks.KeyOf(i), i);
        }

        return raw;
    }

    /// <summary>A table built earlier for <paramref name="keys"/> keys (<c>--hash-cliff</c> builds it once and times it in later runs).</summary>
    public static RawHash Open(string path, int keys) => new(path, BitsFor(keys));

    public void Put(ulong key, long a)
    {
        ulong i = (key * 0x9E3779B97F4A7C15UL) >> _shift;
        while (true)
        {
            byte* slot = _slots + (i * 40);
            ulong stored = *(ulong*)slot;
            if (stored == 0 || stored == key + 1)
            {
                *(ulong*)slot = key + 1;
                *(long*)(slot + 8) = a;
                return;
            }

            i = (i + 1) & _mask;
        }
    }

    public long Get(ulong key)
    {
        ulong i = (key * 0x9E3779B97F4A7C15UL) >> _shift;
        while (true)
        {
            byte* slot = _slots + (i * 40);
            ulong stored = *(ulong*)slot;
            if (stored == key + 1)
            {
                return *(long*)(slot + 8);
            }

            if (stored == 0)
            {
                return 0;
            }

            i = (i + 1) & _mask;
        }
    }

    /// <summary>Every slot read once (a warm cache for lookups); returns a checksum.</summary>
    public long Touch()
    {
        long sum = 0;
        for (ulong i = 0; i <= _mask; i++)
        {
            sum += *(long*)(_slots + (i * 40) + 8);
        }

        return sum;
    }

    // 21 bits (2M slots) for 1M keys, as always; more for larger key counts (about half full).
    private static int BitsFor(int keys) => Math.Max(21, 64 - System.Numerics.BitOperations.LeadingZeroCount(((ulong)keys * 2) - 1));

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
