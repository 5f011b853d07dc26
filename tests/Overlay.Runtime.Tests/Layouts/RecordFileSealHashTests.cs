using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// The seal's check is part of the file format: a file sealed by one version must verify in the
/// next, or a cleanly closed file falls back to its durable count after a reboot. These values were
/// taken from the hash as it is (issue 8 measured it at memory speed and tried a vector loop, which
/// gained nothing): any faster way of computing it must give them, over chunks of every alignment
/// and with a tail, through the owner's path and the reader's.
/// </summary>
public class RecordFileSealHashTests
{
    [Theory]
    [InlineData(0UL, 0UL, 0x7DB086E7F8DCAC25UL)]
    [InlineData(0UL, 1UL, 0x6248EA939097C75AUL)]
    [InlineData(3UL, 4UL, 0x3E44504AE2041A09UL)]
    [InlineData(0UL, 5UL, 0x243A29ABEECFDFCFUL)]
    [InlineData(7UL, 1_000UL, 0xE53E482C545BB7C4UL)]
    [InlineData(0UL, 87_381UL, 0x10CC53E681E4E861UL)] // 2 MiB less a little: many stripes and a tail
    public void TheSealCheckIsTheFormatsOver24ByteRecords(ulong durable, ulong sealedCount, ulong expected)
    {
        using MemoryMap map = Filled(8 + (87_381L * 24) + 64);
        var basis = new DurableSlot(5, durable);
        Assert.Equal(expected, RecordFileDurableState.SealCheckAsOwner(map, 8, 24, sealedCount, basis));
        Assert.Equal(expected, RecordFileDurableState.SealCheck(map, 8, 24, sealedCount, basis));
    }

    [Theory]
    [InlineData(0UL, 65_536UL, 0x4996D0A4ED74CAEDUL)] // 2 MiB exactly: stripes only
    [InlineData(1UL, 40_000UL, 0xBE2F2127B8F4401CUL)] // starting 32 bytes in
    public void TheSealCheckIsTheFormatsOver32ByteRecords(ulong durable, ulong sealedCount, ulong expected)
    {
        using MemoryMap map = Filled(24 + (65_536L * 32));
        var basis = new DurableSlot(2, durable);
        Assert.Equal(expected, RecordFileDurableState.SealCheckAsOwner(map, 24, 32, sealedCount, basis));
        Assert.Equal(expected, RecordFileDurableState.SealCheck(map, 24, 32, sealedCount, basis));
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
