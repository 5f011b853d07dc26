using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using LightningDB;
using Microsoft.Data.Sqlite;
using Overlay.Formats;
using Overlay.Indexes;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 10: a durable build of 1M keys (ulong → 32 bytes) into a new file, each store's way to
/// "on disk when it returns": the raw-pointer hash (<see cref="RawHash"/>, pre-sized, one
/// <c>msync</c>), Overlay's hash index pre-sized (<c>InitialCapacity</c> = 1M, one <c>Flush</c>)
/// and growing from 16 slots (each doubling a flush and a relayout through the rescue area), LMDB
/// (one transaction, synced commit), Overlay's bulk builder (sorted by home, written in slot order;
/// into a file of its own, and into a container section) and SQLite (one transaction, the default rollback journal with
/// synchronous FULL). One build per invocation, the files deleted between. Run with
/// <c>--filter '*IndexBuildBenchmarks*'</c>; <c>OVERLAY_INDEX_BUILD_KEYS</c> changes the key count
/// (<c>benchmarks/index-50m.sh</c> runs 50M, Overlay and raw only).
/// </summary>
public class IndexBuildBenchmarks
{
    private static readonly int Keys =
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_INDEX_BUILD_KEYS"), out int n) && n > 0 ? n : 1_000_000;

    private string _directory = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"overlay-index-build-{Environment.ProcessId}");
        Directory.CreateDirectory(_directory);
    }

    [IterationSetup]
    public void Clean()
    {
        foreach (string entry in Directory.GetFileSystemEntries(_directory))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true)]
    public void RawDurableBuild()
    {
        using RawHash raw = RawHash.Build(Path.Combine(_directory, "raw.bin"), Keys);
    }

    [Benchmark]
    public long OverlayDurableBuild() => Build(Path.Combine(_directory, "hash.idx"), Keys);

    /// <summary>
    /// The bulk builder (<see cref="HashIndexBuilder{TKey, TValue}"/>): the entries given, sorted by
    /// home and written front to back with large writes and one <c>fsync</c>, then linked into place.
    /// Its spill and partition files (past the 64 MiB budget) go to the benchmark's directory.
    /// </summary>
    [Benchmark]
    public long OverlayBulkDurableBuild()
    {
        using var builder = new HashIndexBuilder<ulong, Value32.View>(runDirectory: _directory);
        for (long i = 0; i < Keys; i++)
        {
            builder.Add(IndexBenchmarks.KeyOf(i), new Value32 { A = i });
        }

        return builder.Build(Path.Combine(_directory, "bulk.idx"));
    }

    [Benchmark]
    public long OverlayDurableBuildGrowing() => Build(Path.Combine(_directory, "growing.idx"), 0);

    /// <summary>The same build in a section of a container (kind 4), durable at the container's <c>Commit</c>.</summary>
    [Benchmark]
    public long OverlaySectionDurableBuild() => BuildSection(Path.Combine(_directory, "section.ovc"), Keys);

    /// <summary>
    /// The bulk builder's section form (<see cref="MappedContainer.BuildHashIndex{TKey, TValue}"/>):
    /// the entries given, the table written front to back into a new extent of a container (through
    /// its file handle), durable at the container's <c>Commit</c>. Beside <see cref="OverlaySectionDurableBuild"/>
    /// (the pre-sized section's inserts), the same keys and the same durable point.
    /// </summary>
    [Benchmark]
    public long OverlaySectionBulkDurableBuild()
    {
        using MappedContainer container = MappedContainer.Create(Path.Combine(_directory, "section-bulk.ovc"), 0x4255_494C_44);
        using var builder = new HashIndexBuilder<ulong, Value32.View>(runDirectory: _directory);
        for (long i = 0; i < Keys; i++)
        {
            builder.Add(IndexBenchmarks.KeyOf(i), new Value32 { A = i });
        }

        using MappedHashIndex<ulong, Value32.View> index = container.BuildHashIndex("index", builder);
        container.Commit();
        return index.Capacity;
    }

    /// <summary>Growing from 16 slots in a section: the first growth relocates (the section was committed empty), later ones grow in place.</summary>
    [Benchmark]
    public long OverlaySectionDurableBuildGrowing() => BuildSection(Path.Combine(_directory, "section-growing.ovc"), 0);

    [Benchmark]
    public void LmdbDurableBuild()
    {
        if (Keys > 1_000_000)
        {
            return;
        }

        (LightningEnvironment env, LightningDatabase db) = IndexBenchmarks.BuildLmdb(Path.Combine(_directory, "lmdb"));
        db.Dispose();
        env.Dispose();
    }

    [Benchmark]
    public void SqliteDurableBuild()
    {
        if (Keys > 1_000_000)
        {
            return;
        }

        using SqliteConnection connection = IndexBenchmarks.BuildSqlite(Path.Combine(_directory, "sqlite.db"));
        connection.Close();
        SqliteConnection.ClearAllPools();
    }

    private static long Build(string path, long initialCapacity)
    {
        using var index = MappedHashIndex<ulong, Value32.View>.Create(path, new HashIndexOptions { InitialCapacity = initialCapacity });
        for (long i = 0; i < Keys; i++)
        {
            index.GetOrAdd(IndexBenchmarks.KeyOf(i)).A = i;
        }

        index.Flush();
        return index.Capacity;
    }

    private static long BuildSection(string path, long initialCapacity)
    {
        using MappedContainer container = MappedContainer.Create(path, 0x4255_494C_44);
        using MappedHashIndex<ulong, Value32.View> index = container.AddHashIndex<ulong, Value32.View>("index", new HashIndexOptions { InitialCapacity = initialCapacity });
        container.Commit();
        for (long i = 0; i < Keys; i++)
        {
            index.GetOrAdd(IndexBenchmarks.KeyOf(i)).A = i;
        }

        container.Commit();
        return index.Capacity;
    }
}
