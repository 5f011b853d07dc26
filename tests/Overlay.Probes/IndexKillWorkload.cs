using System;
using System.Collections.Generic;
using System.Globalization;
using Overlay.Formats;
using Overlay.Indexes;

namespace Overlay.Probes;

/// <summary>
/// The hash index's process-crash workload (issue 10), shared by the child that runs it (scenario
/// <c>hash-index-writer</c>) and the test that kills it: batch after batch, a deterministic mix of
/// <c>Set</c> and <c>Remove</c> over a key space that widens, so the table grows again and again
/// (the test creates the file with a tail of 2 slots and a 90% load, which make runs reach the end, so doublings carry entries into the
/// next one); then <c>Flush</c> and print <c>flushed BATCH</c>. Every few batches the writer closes
/// and reopens the file. The test replays the batches to know the flushed state.
/// </summary>
public static class IndexKillWorkload
{
    /// <summary>Batches between a close and a reopen.</summary>
    public const int ReopenEvery = 16;

    /// <summary>Batch <paramref name="batch"/>'s changes, in order: a key and its new value, or a removal (value null).</summary>
    public static List<(ulong Key, ulong? Value)> Batch(long batch)
    {
        var random = new Random((int)(batch * 7919 % int.MaxValue) + 1);
        int keySpace = (int)Math.Min(64 + (batch * 24), 30_000);
        int changes = 20 + random.Next(60);
        var list = new List<(ulong, ulong?)>(changes);
        for (int i = 0; i < changes; i++)
        {
            ulong key = (ulong)random.Next(keySpace);
            list.Add(random.Next(100) < 62 ? (key, (ulong)KillWorkload.Mix((long)key, (batch * 100) + i)) : (key, null));
        }

        return list;
    }

    /// <summary>The index after batches 0 to <paramref name="lastBatch"/>.</summary>
    public static Dictionary<ulong, ulong> Replay(long lastBatch)
    {
        var state = new Dictionary<ulong, ulong>();
        for (long batch = 0; batch <= lastBatch; batch++)
        {
            foreach ((ulong key, ulong? value) in Batch(batch))
            {
                if (value is { } v)
                {
                    state[key] = v;
                }
                else
                {
                    state.Remove(key);
                }
            }
        }

        return state;
    }

    /// <summary>The child: runs on the index named by <c>OVERLAY_PROBE_INDEX</c> (created by the test) until killed, or for <c>OVERLAY_PROBE_BATCHES</c> batches.</summary>
    public static void RunFromEnvironment()
    {
        string path = Environment.GetEnvironmentVariable("OVERLAY_PROBE_INDEX") ?? throw new InvalidOperationException("OVERLAY_PROBE_INDEX is not set");
        long batches = long.TryParse(Environment.GetEnvironmentVariable("OVERLAY_PROBE_BATCHES"), CultureInfo.InvariantCulture, out long n) ? n : long.MaxValue;
        var index = MappedHashIndex<ulong, ProbeValue>.Open(path);
        for (long batch = 0; batch < batches; batch++)
        {
            if (batch > 0 && batch % ReopenEvery == 0)
            {
                index.Dispose();
                index = MappedHashIndex<ulong, ProbeValue>.Open(path);
            }

            foreach ((ulong key, ulong? value) in Batch(batch))
            {
                if (value is { } v)
                {
                    index.GetOrAdd(key).Value = v;
                }
                else
                {
                    index.Remove(key);
                }
            }

            index.Flush();
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flushed {batch} {index.Count} {index.Capacity}"));
            Console.Out.Flush();
        }

        index.Dispose();
    }

    /// <summary>The container's tag in the section form of the workload.</summary>
    public const ulong ContainerTag = 0x4B49_4C4C_5345_4354UL;

    /// <summary>
    /// The same batches on an index in a container section (scenario <c>hash-index-section-writer</c>,
    /// the container named by <c>OVERLAY_PROBE_CONTAINER</c>, sections <c>index</c> and <c>other</c>,
    /// made by the test): each batch also appends to <c>other</c>, so the index's section is not
    /// the last extent and relocates to grow, and the map moves under it; then the container's
    /// <c>Commit</c> (every other batch through the index's <c>Flush</c>) and <c>flushed BATCH</c>.
    /// </summary>
    public static void RunInContainerFromEnvironment()
    {
        string path = Environment.GetEnvironmentVariable("OVERLAY_PROBE_CONTAINER") ?? throw new InvalidOperationException("OVERLAY_PROBE_CONTAINER is not set");
        var container = MappedContainer.Open(path, ContainerTag);
        var index = container.HashIndex<ulong, ProbeValue>("index");
        RawSection other = container.Raw("other");
        byte[] filler = new byte[3000];
        for (long batch = 0; ; batch++)
        {
            if (batch > 0 && batch % ReopenEvery == 0)
            {
                index.Dispose();
                container.Commit();
                container.Dispose();
                container = MappedContainer.Open(path, ContainerTag);
                index = container.HashIndex<ulong, ProbeValue>("index");
                other = container.Raw("other");
            }

            foreach ((ulong key, ulong? value) in Batch(batch))
            {
                if (value is { } v)
                {
                    index.GetOrAdd(key).Value = v;
                }
                else
                {
                    index.Remove(key);
                }
            }

            filler.AsSpan().Fill((byte)batch);
            other.Append(filler);
            if (batch % 2 == 0)
            {
                container.Commit();
            }
            else
            {
                index.Flush();
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flushed {batch} {index.Count} {index.Capacity}"));
            Console.Out.Flush();
        }
    }
}
