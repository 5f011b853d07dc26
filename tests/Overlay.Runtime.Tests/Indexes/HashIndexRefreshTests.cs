using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// A reader's <c>Refresh</c> (issue 10): a read-only index opened beside a writer (two opens in
/// one process) takes up each flushed state — growths that remap the file, removals, values — and
/// checks the header as <c>Open</c> does. The two-process test refreshes across processes.
/// </summary>
public class HashIndexRefreshTests
{
    [Fact]
    public void AReaderTakesUpEachFlushedStateIncludingGrowth()
    {
        using var temp = new TempPath();
        using var writer = MappedHashIndex<ulong, TwinValue>.Create(temp.Path, new HashIndexOptions { InitialCapacity = 8, Seed = 5 });
        var model = new Dictionary<ulong, ulong>();
        void Set(ulong key, ulong value)
        {
            TwinValue slot = writer.GetOrAdd(key);
            slot.Map.WriteAt(slot.Offset, value);
            model[key] = value;
        }

        for (ulong key = 0; key < 10; key++)
        {
            Set(key, key + 1);
        }

        writer.Flush();
        using var reader = MappedHashIndex<ulong, ReadOnlyTwinValue>.Open(temp.Path, MapAccess.Read);
        Check(reader, model, "opened");
        Assert.False(reader.Refresh());
        Assert.True(reader.TryGetValue(3, out ReadOnlyTwinValue before));

        var random = new Random(17);
        for (int round = 0; round < 6; round++)
        {
            long capacity = reader.Capacity;
            for (int i = 0; i < 3000; i++)
            {
                ulong key = (ulong)random.Next(20_000);
                if (random.Next(4) == 0)
                {
                    writer.Remove(key);
                    model.Remove(key);
                }
                else
                {
                    Set(key, ((ulong)(uint)round << 32) | (uint)i);
                }
            }

            writer.Flush();
            Assert.True(reader.Refresh());
            Assert.Equal(writer.Capacity, reader.Capacity);
            Check(reader, model, $"round {round} (capacity {capacity} to {reader.Capacity})");
        }

        // The first rounds grew the file: the view taken before reads a closed mapping.
        Assert.Throws<ObjectDisposedException>(() => before.Value);
        Assert.False(reader.Refresh());

        // Unflushed changes beside a live writer: the refresh accepts the dirty header.
        Set(1_000_000, 42);
        reader.Refresh();
        Assert.True(reader.TryGetValue(1_000_000, out ReadOnlyTwinValue added));
        Assert.Equal(42UL, added.Value);

        // A writer's Refresh does nothing: its state is its own.
        Assert.False(writer.Refresh());
        writer.Dispose();
        reader.Refresh();
        Check(reader, model, "after the writer closed");
    }

    [Fact]
    public void ARefreshRefusesAFileReplacedOrDamagedAndKeepsItsState()
    {
        using var temp = new TempPath();
        using (var writer = MappedHashIndex<ulong, TwinValue>.Create(temp.Path, new HashIndexOptions { Seed = 5 }))
        {
            writer.GetOrAdd(7);
        }

        using var reader = MappedHashIndex<ulong, ReadOnlyTwinValue>.Open(temp.Path, MapAccess.Read);

        // Another seed under the same name (the bytes rewritten in place, as a replacement would read).
        using (var other = new TempPath())
        {
            using (var replacement = MappedHashIndex<ulong, TwinValue>.Create(other.Path, new HashIndexOptions { Seed = 6 }))
            {
                replacement.GetOrAdd(7);
            }

            byte[] header = File.ReadAllBytes(other.Path)[..128];
            using var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Write(header);
            stream.Flush();
            InvalidDataException replaced = Assert.Throws<InvalidDataException>(() => reader.Refresh());
            Assert.Contains("replaced by another index", replaced.Message);

            // A damaged header: the checksum check, as Open's.
            header[72] ^= 0xFF;
            stream.Position = 0;
            stream.Write(header);
            stream.Flush();
            InvalidDataException damaged = Assert.Throws<InvalidDataException>(() => reader.Refresh());
            Assert.Contains("checksum", damaged.Message);
        }

        // The reader still answers from the state it had.
        Assert.Equal(1, reader.Count);
        Assert.True(reader.ContainsKey(7));
    }

    private static void Check(MappedHashIndex<ulong, ReadOnlyTwinValue> reader, Dictionary<ulong, ulong> model, string context)
    {
        Assert.True(model.Count == reader.Count, $"{context}: the reader counts {reader.Count}, the writer flushed {model.Count}");
        foreach ((ulong key, ulong value) in model)
        {
            Assert.True(reader.TryGetValue(key, out ReadOnlyTwinValue found), $"{context}: key {key} missing");
            Assert.Equal(value, found.Value);
        }

        long seen = 0;
        foreach (KeyValuePair<ulong, ReadOnlyTwinValue> entry in reader)
        {
            Assert.True(model.TryGetValue(entry.Key, out ulong value) && value == entry.Value.Value, $"{context}: the reader enumerates key {entry.Key}, which the writer does not hold");
            seen++;
        }

        Assert.Equal(model.Count, seen);
    }
}
