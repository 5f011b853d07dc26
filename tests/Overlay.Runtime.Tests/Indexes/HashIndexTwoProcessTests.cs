using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Overlay.Indexes;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// Two processes: this one keeps a read-only index open (and looks keys up on a second thread the
/// whole time) while a child process (tests/Overlay.Probes, scenario hash-index-batch) reopens the
/// index for writing, applies a batch, flushes and closes, four times (the fourth doubles the table). What docs/indexes.md promises
/// readers: lookups never fault and always end; a reader sees the writer's in-place changes through
/// the shared pages while the table keeps the capacity it had when the reader opened; a reader
/// opened after the writer's flush sees exactly what it flushed, and so does the long-lived reader
/// after a <c>Refresh</c>.
/// </summary>
public class HashIndexTwoProcessTests
{
    private const int BatchSize = 500;

    private const int Batches = 4;

    [Fact]
    public void AReaderBesideAWriterInAnotherProcess()
    {
        using var temp = new TempPath();

        // 2,048 slots at 75%: batches 0 to 2 fit, batch 3 doubles the table.
        using (var created = MappedHashIndex<ulong, TwinValue>.Create(temp.Path, new HashIndexOptions { InitialCapacity = 1500 }))
        {
            Assert.Equal(2048, created.Capacity);
        }

        using var reader = MappedHashIndex<ulong, ReadOnlyTwinValue>.Open(temp.Path, MapAccess.Read);
        Exception? failure = null;
        long lookups = 0;
        using var stop = new CancellationTokenSource();
        var background = new Thread(() =>
        {
            try
            {
                ulong key = 0;
                while (!stop.IsCancellationRequested)
                {
                    if (reader.TryGetValue(key, out ReadOnlyTwinValue value))
                    {
                        _ = value.Value;
                    }

                    key = (key + 1) % (Batches * BatchSize);
                    if (lookups % 4096 == 0)
                    {
                        Thread.Yield();
                    }

                    lookups++;
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        background.Start();

        for (int batch = 0; batch < Batches; batch++)
        {
            RunWriterBatch(temp.Path, batch);
            int keys = (batch + 1) * BatchSize;
            using (var fresh = MappedHashIndex<ulong, ReadOnlyTwinValue>.Open(temp.Path, MapAccess.Read))
            {
                Assert.Equal(keys, fresh.Count);
                for (ulong key = 0; key < (ulong)keys; key++)
                {
                    Assert.True(fresh.TryGetValue(key, out ReadOnlyTwinValue value), $"batch {batch}: key {key} missing after the writer's flush");
                    Assert.Equal(Expected(key, batch), value.Value);
                }
            }

            if (batch <= 2)
            {
                // The table has not grown: the long-lived reader sees every change in place.
                for (ulong key = 0; key < (ulong)keys; key++)
                {
                    Assert.True(reader.TryGetValue(key, out ReadOnlyTwinValue value), $"batch {batch}: key {key} missing in the long-lived reader");
                    Assert.Equal(Expected(key, batch), value.Value);
                }
            }
        }

        stop.Cancel();
        background.Join();
        Assert.Null(failure);
        Assert.True(lookups > 0);

        // The long-lived reader's table is now stale (the writer doubled it): its lookups still end.
        Assert.Equal(2048, reader.Capacity);
        for (ulong key = 0; key < Batches * BatchSize; key++)
        {
            if (reader.TryGetValue(key, out ReadOnlyTwinValue value))
            {
                Assert.Equal(Expected(key, Batches - 1), value.Value);
            }
        }

        // Refresh takes up the writer's flushed state, growth included (the file grew: a new mapping).
        Assert.True(reader.Refresh());
        Assert.Equal(4096, reader.Capacity);
        Assert.Equal(Batches * BatchSize, reader.Count);
        for (ulong key = 0; key < Batches * BatchSize; key++)
        {
            Assert.True(reader.TryGetValue(key, out ReadOnlyTwinValue value), $"key {key} missing after the refresh");
            Assert.Equal(Expected(key, Batches - 1), value.Value);
        }
    }

    private static ulong Expected(ulong key, int batch) => key < 100 ? (key * 7) + (ulong)batch + 1 : key * 7;

    private static void RunWriterBatch(string path, int batch)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add("hash-index-batch");
        start.Environment["OVERLAY_PROBE_INDEX"] = path;
        start.Environment["OVERLAY_PROBE_BATCH"] = batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using Process process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"batch {batch}: the writer did not finish");
        }

        Assert.True(process.ExitCode == 0 && output.Result.Trim() == "ok", $"batch {batch}: the writer exited {process.ExitCode}\n{output.Result}\n{error.Result}");
    }
}

/// <summary>The twin of the probe's hand-written 8-byte value view (same size and fingerprint).</summary>
internal readonly struct TwinValue : IMappedView<TwinValue>
{
    private TwinValue(MemoryMap map, long offset)
    {
        Map = map;
        Offset = offset;
    }

    public static int SizeInBytes => 8;

    public static ulong LayoutFingerprint => 0x50524F4245563031;

    public static bool IsReadOnly => false;

    public MemoryMap Map { get; }

    public long Offset { get; }

    public static TwinValue Create(MemoryMap map, long offset) => new(map, offset);
}

/// <summary>The read-only twin.</summary>
internal readonly struct ReadOnlyTwinValue : IMappedView<ReadOnlyTwinValue>
{
    private ReadOnlyTwinValue(MemoryMap map, long offset)
    {
        Map = map;
        Offset = offset;
    }

    public static int SizeInBytes => 8;

    public static ulong LayoutFingerprint => 0x50524F4245563031;

    public static bool IsReadOnly => true;

    public MemoryMap Map { get; }

    public long Offset { get; }

    public ulong Value => Map.ReadAt<ulong>(Offset);

    public static ReadOnlyTwinValue Create(MemoryMap map, long offset) => new(map, offset);
}
