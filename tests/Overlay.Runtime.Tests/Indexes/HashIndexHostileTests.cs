using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

using CounterIndex = MappedHashIndex<ulong, Counter.View>;

/// <summary>
/// Hostile and damaged index files: every one opens with <see cref="InvalidDataException"/> or is
/// walked without a fault, and every probe ends.
/// </summary>
public class HashIndexHostileTests
{
    private const int HeaderSize = 128;

    private static void MakeIndex(string path, int count, HashIndexOptions? options = null)
    {
        using CounterIndex index = CounterIndex.Create(path, options ?? new HashIndexOptions { Seed = 3 });
        for (int i = 0; i < count; i++)
        {
            index.GetOrAdd((ulong)i).Value = i;
        }
    }

    private static void EditHeader(string path, Action<byte[]> edit, bool fixChecksum = true)
    {
        byte[] bytes = File.ReadAllBytes(path);
        edit(bytes);
        if (fixChecksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(124), Overlay.Formats.Crc32C.Compute(bytes.AsSpan(0, 124), default));
        }

        File.WriteAllBytes(path, bytes);
    }

    [Theory]
    [InlineData(0, 8, 1UL, "magic number")]
    [InlineData(8, 4, 2UL, "format version")]
    [InlineData(12, 4, 64UL, "header size")]
    [InlineData(40, 4, 9UL, "hash function")]
    [InlineData(16, 4, 4UL, "its keys are 4 bytes")]
    [InlineData(24, 8, 5UL, "another key type")]
    [InlineData(20, 4, 32UL, "another value layout")]
    [InlineData(32, 8, 5UL, "another value layout")]
    [InlineData(44, 4, 99UL, "load factor")]
    [InlineData(56, 4, 16UL, "slot stride")]
    [InlineData(60, 4, 0UL, "tail")]
    [InlineData(60, 4, 1_000_000UL, "tail")]
    [InlineData(64, 8, 48UL, "not a power of two")]
    [InlineData(64, 8, 8UL, "not a power of two")]
    [InlineData(64, 8, 1UL << 62, "not a power of two")]
    [InlineData(64, 8, 1UL << 20, "slots of 24 bytes but its")]
    [InlineData(72, 8, 1UL << 40, "entries in")]
    [InlineData(80, 4, 7UL, "its state is 7")]
    [InlineData(84, 4, 1UL, "flags")]
    [InlineData(100, 4, 1UL, "reserved header bytes")]
    public void EachHeaderFieldIsChecked(int offset, int size, ulong value, string expected)
    {
        using var temp = new TempPath();
        MakeIndex(temp.Path, 10);
        EditHeader(temp.Path, bytes =>
        {
            if (size == 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)value);
            }
        });
        var error = Assert.Throws<InvalidDataException>(() => CounterIndex.Open(temp.Path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ADamagedHeaderFailsItsChecksum()
    {
        using var temp = new TempPath();
        MakeIndex(temp.Path, 10);
        EditHeader(temp.Path, bytes => bytes[72] ^= 1, fixChecksum: false);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => CounterIndex.Open(temp.Path)).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(127)]
    [InlineData(1000)]
    public void ATruncatedFileIsRefused(int length)
    {
        using var temp = new TempPath();
        MakeIndex(temp.Path, 10);
        using (var stream = new FileStream(temp.Path, FileMode.Open))
        {
            stream.SetLength(length);
        }

        Assert.Throws<InvalidDataException>(() => CounterIndex.Open(temp.Path));
    }

    [Fact]
    public void AFullTableWithNoEmptySlotEndsEveryProbe()
    {
        using var temp = new TempPath();
        MakeIndex(temp.Path, 0, new HashIndexOptions { Seed = 3, TailSlots = 4 });

        // Every slot full of garbage: a probe can only end at the end of the table.
        byte[] bytes = File.ReadAllBytes(temp.Path);
        new Random(1).NextBytes(bytes.AsSpan(HeaderSize));
        for (int slot = HeaderSize; slot + 8 <= bytes.Length; slot += 24)
        {
            bytes[slot] |= 1;
        }

        File.WriteAllBytes(temp.Path, bytes);
        using CounterIndex index = CounterIndex.Open(temp.Path);
        for (ulong key = 0; key < 100; key++)
        {
            Assert.False(index.ContainsKey(key));
            Assert.False(index.Remove(key));
        }

        int seen = 0;
        foreach (var entry in index)
        {
            _ = entry.Value.Value;
            seen++;
        }

        Assert.Equal(20, seen);

        // An insertion finds no empty slot, so the table grows, and then works.
        Assert.True(index.TryAdd(5));
        Assert.True(index.ContainsKey(5));
        Assert.True(index.Capacity >= 32);
    }

    [Fact]
    public void RandomDamageIsRefusedOrWalkedSafely()
    {
        var random = new Random(20261204);
        using var temp = new TempPath();
        for (int round = 0; round < 300; round++)
        {
            File.Delete(temp.Path);
            MakeIndex(temp.Path, random.Next(0, 60), new HashIndexOptions { Seed = (ulong)round, TailSlots = random.Next(1, 8) });
            EditHeader(temp.Path, bytes =>
            {
                int flips = random.Next(1, 40);
                for (int i = 0; i < flips; i++)
                {
                    // Mostly the slots; sometimes the header (its checksum is then fixed, to reach the field checks).
                    int at = random.Next(4) == 0 ? random.Next(0, 124) : random.Next(HeaderSize, bytes.Length);
                    bytes[at] = (byte)random.Next(256);
                }
            }, fixChecksum: random.Next(2) == 0);

            CounterIndex index;
            try
            {
                index = CounterIndex.Open(temp.Path, recover: random.Next(3) == 0);
            }
            catch (InvalidDataException)
            {
                continue;
            }

            using (index)
            {
                for (int i = 0; i < 50; i++)
                {
                    ulong key = (ulong)random.Next(0, 80);
                    switch (random.Next(4))
                    {
                        case 0:
                            index.TryGetValue(key, out Counter.View view);
                            break;
                        case 1:
                            index.GetOrAdd(key).Value = i;
                            Assert.True(index.ContainsKey(key));
                            break;
                        case 2:
                            index.Remove(key);
                            break;
                        default:
                            foreach (var entry in index)
                            {
                                _ = entry.Value.Value;
                            }

                            break;
                    }
                }
            }
        }
    }
}
