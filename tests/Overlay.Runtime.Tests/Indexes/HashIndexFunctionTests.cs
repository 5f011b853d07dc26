using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Indexes;

using CounterIndex = MappedHashIndex<ulong, Counter.View>;
using ReadOnlyCounterIndex = MappedHashIndex<ulong, Counter.ReadOnlyView>;

/// <summary>
/// The header's hash function (offset 40, docs/indexes.md): new files record 2; files that record
/// 1, as every file made before function 2 does, keep opening and working, read-only and
/// read-write, through growth, removals, recovery and bulk builds, and keep saying 1; any other
/// value is refused.
/// </summary>
public class HashIndexFunctionTests
{
    private const int HeaderSize = 128;
    private const ulong Seed = 0x0123456789ABCDEF;

    private static readonly HashIndexOptions FunctionOne = new() { Seed = Seed, HashFunction = StableHash.Function1 };

    private static uint FunctionOf(string path) => BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(path).AsSpan(40));

    private static ulong KeyOf(int i) => unchecked((ulong)i * 0x9E3779B97F4A7C15UL);

    [Fact]
    public void NewFilesRecordFunctionTwoAndStoreItsHashes()
    {
        using var temp = new TempPath();
        using (CounterIndex index = CounterIndex.Create(temp.Path, new HashIndexOptions { Seed = Seed }))
        {
            index.GetOrAdd(42).Value = 1;
        }

        Assert.Equal(StableHash.Function2, FunctionOf(temp.Path));

        // Key 42's slot holds function 2's stored hash under this seed (StableHashTests pins it).
        byte[] bytes = File.ReadAllBytes(temp.Path);
        int stride = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(56));
        int found = 0;
        for (int at = HeaderSize; at + stride <= bytes.Length; at += stride)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 8)) == 42 && BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)) > 1)
            {
                Assert.Equal(0xFF755077C9CA338FUL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)));
                found++;
            }
        }

        Assert.Equal(1, found);

        using var built = new TempPath();
        using (var builder = new HashIndexBuilder<ulong, Counter.View>())
        {
            builder.Add(42UL, new Counter { Value = 1 });
            builder.Build(built.Path);
        }

        Assert.Equal(StableHash.Function2, FunctionOf(built.Path));
    }

    [Fact]
    public void AFunctionOneFileOpensGrowsAndReopensReadOnly()
    {
        using var temp = new TempPath();
        using (CounterIndex index = CounterIndex.Create(temp.Path, FunctionOne))
        {
            for (int i = 0; i < 500; i++)
            {
                index.GetOrAdd(KeyOf(i)).Value = i;
            }
        }

        Assert.Equal(StableHash.Function1, FunctionOf(temp.Path));
        AssertSlotsHashedBy(temp.Path, StableHash.Function1);

        long capacity;
        using (CounterIndex index = CounterIndex.Open(temp.Path))
        {
            capacity = index.Capacity;
            for (int i = 0; i < 500; i++)
            {
                Assert.Equal(i, index.GetValue(KeyOf(i)).Value);
            }

            // Inserts that grow the table several times, then removals and a flush (which compacts).
            for (int i = 500; i < 5000; i++)
            {
                index.Set(KeyOf(i), new Counter { Value = i });
            }

            Assert.True(index.Capacity >= capacity * 8, $"capacity {index.Capacity} after growing from {capacity}");
            for (int i = 0; i < 5000; i += 3)
            {
                Assert.True(index.Remove(KeyOf(i)));
            }

            index.Flush();
            Assert.False(index.ContainsKey(KeyOf(3)));
            Assert.Equal(4, index.GetValue(KeyOf(4)).Value);
        }

        Assert.Equal(StableHash.Function1, FunctionOf(temp.Path));
        AssertSlotsHashedBy(temp.Path, StableHash.Function1);
        using (ReadOnlyCounterIndex reader = ReadOnlyCounterIndex.Open(temp.Path, MapAccess.Read))
        {
            Assert.True(reader.Capacity >= capacity * 8);
            Assert.Equal(5000 - 1667, reader.Count);
            for (int i = 0; i < 5000; i++)
            {
                Assert.Equal(i % 3 != 0, reader.TryGetValue(KeyOf(i), out Counter.ReadOnlyView value));
                Assert.Equal(i % 3 != 0 ? i : 0, i % 3 != 0 ? value.Value : 0);
            }

            Assert.False(reader.ContainsKey(1));
        }
    }

    [Fact]
    public void AFunctionOneFileLeftDirtyIsRecoveredByItsOwnFunction()
    {
        // Recovery keeps the slots whose stored hash is their key's: under the wrong function it
        // would keep none.
        using var temp = new TempPath();
        string crashed = temp.Path + ".crashed";
        try
        {
            using (CounterIndex index = CounterIndex.Create(temp.Path, FunctionOne))
            {
                for (int i = 0; i < 300; i++)
                {
                    index.GetOrAdd(KeyOf(i)).Value = i;
                }

                index.Flush();
                index.GetOrAdd(KeyOf(300)).Value = 300;
                File.Copy(temp.Path, crashed);
            }

            Assert.Throws<InvalidDataException>(() => CounterIndex.Open(crashed));
            using (CounterIndex recovered = CounterIndex.Open(crashed, recover: true))
            {
                Assert.Equal(301, recovered.Count);
                for (int i = 0; i <= 300; i++)
                {
                    Assert.Equal(i, recovered.GetValue(KeyOf(i)).Value);
                }
            }

            Assert.Equal(StableHash.Function1, FunctionOf(crashed));
        }
        finally
        {
            File.Delete(crashed);
        }
    }

    [Fact]
    public void TheBulkBuilderPlacesByTheFunctionItRecords()
    {
        using var temp = new TempPath();
        using (var builder = new HashIndexBuilder<ulong, Counter.View>(memoryBudget: 24 * 100))
        {
            for (int i = 0; i < 2000; i++)
            {
                builder.Add(KeyOf(i), new Counter { Value = i });
            }

            Assert.True(builder.Spilled > 0);
            Assert.Equal(2000, builder.Build(temp.Path, FunctionOne));
        }

        Assert.Equal(StableHash.Function1, FunctionOf(temp.Path));
        AssertSlotsHashedBy(temp.Path, StableHash.Function1);
        using ReadOnlyCounterIndex reader = ReadOnlyCounterIndex.Open(temp.Path, MapAccess.Read);
        for (int i = 0; i < 2000; i++)
        {
            Assert.Equal(i, reader.GetValue(KeyOf(i)).Value);
        }
    }

    [Fact]
    public void AFunctionOneSectionOpensGrowsAndReopensReadOnly()
    {
        using TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using CounterIndex index = container.AddHashIndex<ulong, Counter.View>("counters", FunctionOne);
            for (int i = 0; i < 100; i++)
            {
                index.GetOrAdd(KeyOf(i)).Value = i;
            }

            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using CounterIndex index = container.HashIndex<ulong, Counter.View>("counters");
            long capacity = index.Capacity;
            for (int i = 100; i < 3000; i++)
            {
                index.GetOrAdd(KeyOf(i)).Value = i;
            }

            Assert.True(index.Capacity > capacity);
            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            SectionInfo section = System.Linq.Enumerable.Single(container.Sections, s => s.Name == "counters");
            Assert.Equal(StableHash.Function1, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(temp.Path).AsSpan((int)section.Offset + 40)));
            using ReadOnlyCounterIndex index = container.HashIndex<ulong, Counter.ReadOnlyView>("counters");
            Assert.Equal(3000, index.Count);
            for (int i = 0; i < 3000; i++)
            {
                Assert.Equal(i, index.GetValue(KeyOf(i)).Value);
            }
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(3u)]
    [InlineData(uint.MaxValue)]
    public void AnUnknownFunctionIsRefusedNamingTheKnownOnes(uint function)
    {
        using var temp = new TempPath();
        using (CounterIndex index = CounterIndex.Create(temp.Path, new HashIndexOptions { Seed = Seed }))
        {
            index.GetOrAdd(1).Value = 1;
        }

        byte[] bytes = File.ReadAllBytes(temp.Path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), function);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(124), Crc32C.Compute(bytes.AsSpan(0, 124), default));
        File.WriteAllBytes(temp.Path, bytes);

        string expected = $"its hash function is {function}, expected 1 or 2";
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => CounterIndex.Open(temp.Path)).Message);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => ReadOnlyCounterIndex.Open(temp.Path, MapAccess.Read)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterIndex.Create(temp.Path + ".new", new HashIndexOptions { HashFunction = function }));
        Assert.False(File.Exists(temp.Path + ".new"));
    }

    /// <summary>Every occupied slot's stored hash is its key's under <paramref name="function"/>, and not under the other function.</summary>
    private static void AssertSlotsHashedBy(string path, uint function)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int stride = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(56));
        long slots = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(64)) + BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(60));
        ulong seed = StableHash.PrepareSeed(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(48)));
        uint other = function == StableHash.Function1 ? StableHash.Function2 : StableHash.Function1;
        int occupied = 0;
        for (long slot = 0; slot < slots; slot++)
        {
            ReadOnlySpan<byte> bytesOfSlot = bytes.AsSpan(HeaderSize + (int)(slot * stride), stride);
            ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(bytesOfSlot);
            if (stored > 1)
            {
                ReadOnlySpan<byte> key = bytesOfSlot.Slice(8, 8);
                Assert.Equal(CounterIndex.HashOf(key, seed, function), stored);
                Assert.NotEqual(CounterIndex.HashOf(key, seed, other), stored);
                occupied++;
            }
        }

        Assert.True(occupied > 0);
    }
}
