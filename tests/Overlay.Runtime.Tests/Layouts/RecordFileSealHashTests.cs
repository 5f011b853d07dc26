using System;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// The seal's check is part of the file format: a file sealed by one version must verify in the
/// next, or a cleanly closed file falls back to its durable count after a reboot. These values were
/// taken from the hash as it is (issue 8 measured it at memory speed and tried a vector loop, which
/// gained nothing): any faster way of computing it must give them, over chunks of every alignment
/// and with a tail, through the owner's path and the reader's. Version 1 (the counts first) is
/// still read; version 2 (the records' bytes first, the counts last) is what writers write, and the
/// stream that hashes the records as <c>AppendRange</c> writes them must give the same values
/// however the bytes are cut.
/// </summary>
public class RecordFileSealHashTests
{
    [Theory]
    [InlineData(0UL, 0UL, 0x7DB086E7F8DCAC25UL, 0xB919906ECA7881F5UL)]
    [InlineData(0UL, 1UL, 0x6248EA939097C75AUL, 0x2DD2FE16113D8135UL)]
    [InlineData(3UL, 4UL, 0x3E44504AE2041A09UL, 0x7DCBDE5C02478884UL)]
    [InlineData(0UL, 5UL, 0x243A29ABEECFDFCFUL, 0x6FA37AB418004EF3UL)]
    [InlineData(7UL, 1_000UL, 0xE53E482C545BB7C4UL, 0xC4C435A50AAEF815UL)]
    [InlineData(0UL, 87_381UL, 0x10CC53E681E4E861UL, 0xF9B7892F84F537EAUL)] // 2 MiB less a little: many stripes and a tail
    public void TheSealCheckIsTheFormatsOver24ByteRecords(ulong durable, ulong sealedCount, ulong version1, ulong version2)
    {
        using MemoryMap map = Filled(8 + (87_381L * 24) + 64);
        var basis = new DurableSlot(5, durable);
        Assert.Equal(version1, RecordFileDurableState.SealCheck(map, 8, 24, sealedCount, basis));
        AssertVersion2(map, 8, 24, sealedCount, basis, version2);
    }

    [Theory]
    [InlineData(0UL, 65_536UL, 0x4996D0A4ED74CAEDUL, 0xB513A826A702014CUL)] // 2 MiB exactly: stripes only
    [InlineData(1UL, 40_000UL, 0xBE2F2127B8F4401CUL, 0x72D4FE9059C31352UL)] // starting 32 bytes in
    public void TheSealCheckIsTheFormatsOver32ByteRecords(ulong durable, ulong sealedCount, ulong version1, ulong version2)
    {
        using MemoryMap map = Filled(24 + (65_536L * 32));
        var basis = new DurableSlot(2, durable);
        Assert.Equal(version1, RecordFileDurableState.SealCheck(map, 24, 32, sealedCount, basis));
        AssertVersion2(map, 24, 32, sealedCount, basis, version2);
    }

    [Fact]
    public void TheVersion2FlagIsTheTopBitOfTheStoredCount()
    {
        Span<byte> seal = stackalloc byte[16];
        RecordFileDurableState.WriteSealV2(seal, 5, 0x0123_4567_89AB_CDEFUL);
        Assert.Equal(new byte[] { 5, 0, 0, 0, 0, 0, 0, 0x80, 0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01 }, seal.ToArray());
    }

    private static void AssertVersion2(MemoryMap map, long recordsOffset, int recordSize, ulong sealedCount, DurableSlot basis, ulong expected)
    {
        Assert.Equal(expected, RecordFileDurableState.SealCheckV2(map, recordsOffset, recordSize, sealedCount, basis));
        Assert.Equal(expected, RecordFileDurableState.SealCheckAsOwner(map, recordsOffset, recordSize, sealedCount, basis));

        // Fed as AppendRange feeds it: in pieces of any length, the last piece of one call and the
        // first of the next sharing a stripe.
        byte[] bytes = new byte[(sealedCount - basis.Count) * (ulong)recordSize];
        map.ReadAt(recordsOffset + ((long)basis.Count * recordSize), bytes);
        foreach (int[] cuts in new[] { new[] { 1 }, new[] { 7, 31, 33 }, new[] { 32 }, new[] { 24 * 100 }, new[] { 1 << 20 }, new[] { 5, 1 << 18, 3 } })
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
