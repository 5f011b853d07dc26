using System;
using System.Linq;
using System.Text;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>The hash and checksum are part of the file format: their outputs are pinned here.</summary>
public class StableHashTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Overlay.Formats.Crc32C.Compute("123456789"u8, default));

    [Fact]
    public void HashEightMatchesTheByteHashForEveryEightByteKey()
    {
        var random = new Random(12345);
        Span<byte> bytes = stackalloc byte[8];
        for (int i = 0; i < 10_000; i++)
        {
            ulong key = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            ulong seed = StableHash.PrepareSeed((ulong)random.NextInt64());
            BitConverter.TryWriteBytes(bytes, key);
            Assert.Equal(StableHash.Hash(bytes, seed), StableHash.Hash8(key, seed));
        }
    }

    // Up to 48 bytes the function is wyhash final 4 with its default secret: these are wyhash's
    // own reference vectors (its test_vector.cpp), so a second implementation agrees.
    [Theory]
    [InlineData("", 0UL, 0x0409638EE2BDE459UL)]
    [InlineData("a", 1UL, 0xA8412D091B5FE0A9UL)]
    [InlineData("abc", 2UL, 0x32DD92E4B2915153UL)]
    [InlineData("message digest", 3UL, 0x8619124089A3A16BUL)]
    [InlineData("abcdefghijklmnopqrstuvwxyz", 4UL, 0x7A43AFB61D7F5F40UL)]
    public void MatchesWyhashReferenceVectors(string text, ulong seed, ulong expected) =>
        Assert.Equal(expected, StableHash.Hash(Encoding.UTF8.GetBytes(text), StableHash.PrepareSeed(seed)));

    // Past 48 bytes it hashes in one lane (wyhash uses three): pinned, as computed by a Python
    // transcription of docs/indexes.md's description.
    [Theory]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 5UL, 0xC332594BAD868BB0UL)]
    [InlineData("0123456789abcdefg", 7UL, 0xBF334092C51C12C0UL)]
    [InlineData("12345678", 0UL, 0x493E74FE7F93F7E9UL)]
    public void OutputsArePinned(string text, ulong seed, ulong expected) =>
        Assert.Equal(expected, StableHash.Hash(Encoding.UTF8.GetBytes(text), StableHash.PrepareSeed(seed)));

    [Theory]
    [InlineData(StableHash.Function1)]
    [InlineData(StableHash.Function2)]
    public void TheSeedChangesEveryOutput(uint function)
    {
        for (ulong key = 0; key < 1000; key++)
        {
            Assert.NotEqual(Hash8(function, key, StableHash.PrepareSeed(1)), Hash8(function, key, StableHash.PrepareSeed(2)));
        }
    }

    [Theory]
    [InlineData(StableHash.Function1, 0)]
    [InlineData(StableHash.Function2, 0)]
    [InlineData(StableHash.Function1, 12)]
    [InlineData(StableHash.Function2, 12)]
    [InlineData(StableHash.Function1, 20)]
    [InlineData(StableHash.Function2, 20)]
    [InlineData(StableHash.Function1, 32)]
    [InlineData(StableHash.Function2, 32)]
    public void LowBitsSpreadSequentialKeys(uint function, int shift)
    {
        // The home slot is the hash's low bits: sequential keys, keys in steps of 4,096 or 2^20, and
        // keys counting in their high word must fill a table evenly. Function 2 without its last
        // shift (f ^ f >> 32) left 3 of 1,024 buckets empty for keys i << 32 under this seed:
        // docs/indexes.md, "What function 2 gives up".
        var buckets = new int[1024];
        ulong seed = StableHash.PrepareSeed(99);
        for (ulong key = 0; key < 1024 * 64; key++)
        {
            buckets[Hash8(function, key << shift, seed) & 1023]++;
        }

        Assert.InRange(buckets.Min(), 30, 64);
        Assert.InRange(buckets.Max(), 64, 110);
    }

    [Fact]
    public void FunctionTwoIsFunctionOnesProductBeforeItsFinalMix()
    {
        var random = new Random(2026);
        for (int i = 0; i < 10_000; i++)
        {
            ulong key = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            ulong seed = StableHash.PrepareSeed((ulong)random.NextInt64());

            // Hash8 hands Finish a = the key's halves swapped, b = the key; Finish's product is this.
            ulong high = StableHash.Product(ulong.RotateLeft(key, 32), key, seed, out ulong low);
            ulong folded = high ^ low;
            Assert.Equal(folded ^ (folded >> 32), StableHash.Hash8Fold(key, seed));
        }
    }

    [Fact]
    public void FunctionTwoIsFunctionOneForEveryOtherKeySize()
    {
        // Through the index's own hashing (what slots store): only 8-byte keys differ.
        var random = new Random(7);
        ulong seed = StableHash.PrepareSeed(11);
        for (int length = 1; length <= 40; length++)
        {
            byte[] key = new byte[length];
            random.NextBytes(key);
            ulong one = MappedHashIndex<ulong, NoValue>.HashOf(key, seed, StableHash.Function1);
            ulong two = MappedHashIndex<ulong, NoValue>.HashOf(key, seed, StableHash.Function2);
            if (length == 8)
            {
                Assert.NotEqual(one, two);
            }
            else
            {
                Assert.Equal(one, two);
            }
        }
    }

    // The stored hashes (0 and 1 remapped to 2 and 3) of a few keys under a fixed seed, as slots
    // hold them: part of the file format, computed once by a Python transcription of
    // docs/indexes.md's definitions; they must never change. The last two keys make function 2's
    // product zero (key = the prepared seed 0x7B36DFE2199E09BB; rot32(key) = S1), so it stores 2.
    [Theory]
    [InlineData(0x0000000000000000UL, 0xEDE99EE2862A9FCEUL, 0x2DDAADF8F2F3DD00UL)]
    [InlineData(0x0000000000000001UL, 0x803AC82601AF90DEUL, 0x2D79240C8FE25C0CUL)]
    [InlineData(0x0000000000000002UL, 0x602B8F3D73648E29UL, 0xC72F87AE546C072EUL)]
    [InlineData(0x8000000000000000UL, 0xA02570F56D6AC76DUL, 0x54AA687659407CF2UL)]
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 0x22D3221DD8330C6FUL, 0xA9D12E00759C54FAUL)]
    [InlineData(0x000000000000002AUL, 0x485C5DABD7341A60UL, 0xFF755077C9CA338FUL)]
    [InlineData(0xDEADBEEFCAFEF00DUL, 0x980A9842B5A1DAF8UL, 0x3248EB78A143BB79UL)]
    [InlineData(0x7B36DFE2199E09BBUL, 0xC7D1D40F25D6444FUL, 0x0000000000000002UL)]
    [InlineData(0xA0B428DBE7037ED1UL, 0xC7D1D40F25D6444FUL, 0x0000000000000002UL)]
    public void StoredHashesOfEightByteKeysArePinned(ulong key, ulong functionOne, ulong functionTwo)
    {
        ulong seed = StableHash.PrepareSeed(0x0123456789ABCDEF);
        Assert.Equal(0x7B36DFE2199E09BBUL, seed);
        byte[] bytes = BitConverter.GetBytes(key);
        Assert.Equal(functionOne, MappedHashIndex<ulong, NoValue>.HashOf(bytes, seed, StableHash.Function1));
        Assert.Equal(functionTwo, MappedHashIndex<ulong, NoValue>.HashOf(bytes, seed, StableHash.Function2));
    }

    private static ulong Hash8(uint function, ulong key, ulong preparedSeed) =>
        function == StableHash.Function2 ? StableHash.Hash8Fold(key, preparedSeed) : StableHash.Hash8(key, preparedSeed);
}
