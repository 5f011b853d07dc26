using System;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// The seal's check is part of the file format: a file sealed by one version must verify in the
/// next, or a cleanly closed file falls back to its durable count after a reboot. These values were
/// taken from the hashes as they are: any faster way of computing them must give them, over chunks
/// of every alignment and with a tail, through the owner's path and the reader's. Versions 1 (the
/// counts first) and 2 (the records' bytes first, the counts last) are still read; version 3 (the
/// bytes through <see cref="SealStripeHash"/>, issue 8) is what writers write, and the stream that
/// hashes the records as <c>AppendRange</c> writes them must give the same values however the bytes
/// are cut, with the vector loop and without.
/// </summary>
public class RecordFileSealHashTests
{
    [Theory]
    [InlineData(0UL, 0UL, 0x7DB086E7F8DCAC25UL, 0xB919906ECA7881F5UL, 0xC3DBB13D1A3B72BEUL)]
    [InlineData(0UL, 1UL, 0x6248EA939097C75AUL, 0x2DD2FE16113D8135UL, 0xD43BD2E0F7324DB0UL)]
    [InlineData(3UL, 4UL, 0x3E44504AE2041A09UL, 0x7DCBDE5C02478884UL, 0x4E1479FAD2B59D45UL)]
    [InlineData(0UL, 5UL, 0x243A29ABEECFDFCFUL, 0x6FA37AB418004EF3UL, 0x4671224AE52B8D25UL)]
    [InlineData(7UL, 1_000UL, 0xE53E482C545BB7C4UL, 0xC4C435A50AAEF815UL, 0xDB39C13E6F219C9CUL)]
    [InlineData(0UL, 87_381UL, 0x10CC53E681E4E861UL, 0xF9B7892F84F537EAUL, 0x2A5C4C749B73E556UL)] // 2 MiB less a little: many stripes and a tail
    public void TheSealCheckIsTheFormatsOver24ByteRecords(ulong durable, ulong sealedCount, ulong version1, ulong version2, ulong version3)
    {
        using MemoryMap map = Filled(8 + (87_381L * 24) + 64);
        var basis = new DurableSlot(5, durable);
        Assert.Equal(version1, RecordFileDurableState.SealCheck(map, 8, 24, sealedCount, basis));
        Assert.Equal(version2, RecordFileDurableState.SealCheckV2(map, 8, 24, sealedCount, basis));
        AssertVersion3(map, 8, 24, sealedCount, basis, version3);
    }

    [Theory]
    [InlineData(0UL, 65_536UL, 0x4996D0A4ED74CAEDUL, 0xB513A826A702014CUL, 0xA9BC2A0FC3EDE2BFUL)] // 2 MiB exactly: stripes only
    [InlineData(1UL, 40_000UL, 0xBE2F2127B8F4401CUL, 0x72D4FE9059C31352UL, 0x798E77F5EC5C8991UL)] // starting 32 bytes in
    public void TheSealCheckIsTheFormatsOver32ByteRecords(ulong durable, ulong sealedCount, ulong version1, ulong version2, ulong version3)
    {
        using MemoryMap map = Filled(24 + (65_536L * 32));
        var basis = new DurableSlot(2, durable);
        Assert.Equal(version1, RecordFileDurableState.SealCheck(map, 24, 32, sealedCount, basis));
        Assert.Equal(version2, RecordFileDurableState.SealCheckV2(map, 24, 32, sealedCount, basis));
        AssertVersion3(map, 24, 32, sealedCount, basis, version3);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(1088)] // a block and a stripe: the scramble, then a stripe after it
    [InlineData(1 << 20)]
    public void TheVectorLoopGivesTheScalarLoopsLanes(int length)
    {
        byte[] bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var vector = new SealStripeHash(RecordFileDurableState.SealSalt3);
        var scalar = new SealStripeHash(RecordFileDurableState.SealSalt3);

        // In two calls, the second starting mid-block.
        int cut = Math.Min(length, 3 * SealStripeHash.StripeLength);
        vector.Add(bytes.AsSpan(0, cut), allowVectors: true);
        vector.Add(bytes.AsSpan(cut), allowVectors: true);
        scalar.Add(bytes.AsSpan(0, cut), allowVectors: false);
        scalar.Add(bytes.AsSpan(cut), allowVectors: false);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(scalar.Lane(i), vector.Lane(i));
        }
    }

    [Fact]
    public void TheVersion3CheckDependsOnTheOrderOfTheBlocks()
    {
        // The accumulate step only adds: without the scramble after each 1 KiB block, two blocks
        // swapped would give the same lanes.
        byte[] bytes = new byte[2048];
        new Random(3).NextBytes(bytes);
        byte[] swapped = [.. bytes.AsSpan(1024), .. bytes.AsSpan(0, 1024)];
        SealStream first = SealStream.Start();
        first.Add(bytes);
        SealStream second = SealStream.Start();
        second.Add(swapped);
        var basis = new DurableSlot(1, 0);
        Assert.NotEqual(first.Finish(64, basis), second.Finish(64, basis));
    }

    [Fact]
    public void TheVersion2FlagIsTheTopBitOfTheStoredCount()
    {
        Span<byte> seal = stackalloc byte[16];
        RecordFileDurableState.WriteSealV2(seal, 5, 0x0123_4567_89AB_CDEFUL);
        Assert.Equal(new byte[] { 5, 0, 0, 0, 0, 0, 0, 0x80, 0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01 }, seal.ToArray());
    }

    [Fact]
    public void TheVersion3FlagsAreTheTopTwoBitsOfTheStoredCount()
    {
        Span<byte> seal = stackalloc byte[16];
        RecordFileDurableState.WriteSealV3(seal, 5, 0x0123_4567_89AB_CDEFUL);
        Assert.Equal(new byte[] { 5, 0, 0, 0, 0, 0, 0, 0xC0, 0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01 }, seal.ToArray());
    }

    private static void AssertVersion3(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis, ulong expected)
    {
        Assert.Equal(expected, RecordFileDurableState.SealCheckV3(map, recordsOffset, recordSize, sealedCount, basis));
        Assert.Equal(expected, RecordFileDurableState.SealCheckAsOwner(map, recordsOffset, recordSize, sealedCount, basis));

        // Fed as AppendRange feeds it: in pieces of any length, the last piece of one call and the
        // first of the next sharing a stripe.
        byte[] bytes = new byte[(sealedCount - basis.Count) * (ulong)recordSize];
        map.ReadAt(recordsOffset + ((long)basis.Count * recordSize), bytes);
        foreach (int[] cuts in new[] { new[] { 1 }, new[] { 7, 31, 33 }, new[] { 32 }, new[] { 63, 65 }, new[] { 24 * 100 }, new[] { 1 << 20 }, new[] { 5, 1 << 18, 3 } })
        {
            SealStream stream = SealStream.Start();
            for (int at = 0, i = 0; at < bytes.Length; i++)
            {
                int length = Math.Min(cuts[i % cuts.Length], bytes.Length - at);
                stream.Add(bytes.AsSpan(at, length));
                at += length;
            }

            Assert.Equal(expected, stream.Finish(sealedCount, basis));
        }
    }

    private static MemoryMap Filled(long length)
    {
        var map = MemoryMap.Anonymous(length);
        var bytes = new byte[length];
        ulong state = 0x0123_4567_89AB_CDEFUL;
        for (long i = 0; i < length; i++)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            bytes[i] = (byte)(state >> 56);
        }

        map.WriteAt(0, bytes);
        return map;
    }
}
