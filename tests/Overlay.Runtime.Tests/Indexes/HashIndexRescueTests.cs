using System.IO;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// The rescue area of growth and compaction (docs/indexes.md, "Durability") is placed right after
/// the table unless a live one is there: flushes after removals, again and again, do not grow the
/// file, and a removal is a tombstone until the flush compacts it.
/// </summary>
public class HashIndexRescueTests
{
    [Fact]
    public void CompactionsAtEveryFlushDoNotGrowTheFile()
    {
        using var temp = new TempPath();
        using var index = MappedHashIndex<ulong, TwinValue>.Create(temp.Path, new HashIndexOptions { InitialCapacity = 3000, Seed = 9 });
        for (ulong key = 0; key < 2000; key++)
        {
            index.GetOrAdd(key);
        }

        index.Flush();
        long capacity = index.Capacity;

        // The table (page-aligned), then at most one rescue of every entry: what a compaction may
        // add, once, whatever the number of rounds (a rescue placed after the file's end would
        // add its size at every flush).
        long bound = ((128 + ((capacity + 256) * 24) + 4095) / 4096 * 4096) + (2000 * 24);
        for (int round = 0; round < 50; round++)
        {
            for (ulong key = 0; key + 2 < 2000; key += 3)
            {
                Assert.True(index.Remove(key + (ulong)(round % 3)));
                index.GetOrAdd(key + (ulong)(round % 3));
            }

            index.Flush();
            long length = new FileInfo(temp.Path).Length;
            Assert.True(length <= bound, $"round {round}: the file is {length} bytes, more than the table and one rescue of every entry ({bound})");
        }

        Assert.Equal(capacity, index.Capacity);
        Assert.Equal(2000, index.Count);
        for (ulong key = 0; key < 2000; key++)
        {
            Assert.True(index.ContainsKey(key), $"key {key} lost");
        }
    }

    [Fact]
    public void ARemovedKeyIsGoneAtOnceAndTheFlushCompactsItsTombstone()
    {
        using var temp = new TempPath();
        long slots;
        using (var index = MappedHashIndex<ulong, TwinValue>.Create(temp.Path, new HashIndexOptions { Seed = 9 }))
        {
            slots = index.Capacity + 256; // the default tail
            for (ulong key = 0; key < 10; key++)
            {
                index.GetOrAdd(key);
            }

            index.Flush();
            Assert.True(index.Remove(4));
            Assert.False(index.ContainsKey(4));
            Assert.False(index.Remove(4));
            Assert.Equal(9, index.Count);
        }

        // After the flush no slot (24 bytes: hash, key, value) holds the tombstone's hash (1) any more.
        byte[] bytes = File.ReadAllBytes(temp.Path);
        for (long slot = 0; slot < slots; slot++)
        {
            Assert.NotEqual(1UL, System.BitConverter.ToUInt64(bytes, (int)(128 + (slot * 24))));
        }
    }
}
