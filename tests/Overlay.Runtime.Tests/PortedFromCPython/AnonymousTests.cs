using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>test_anonymous, test_trackfd_neg1 and the anonymous rows of §1 and §3.</summary>
public class AnonymousTests
{
    private static readonly long P = MemoryMap.PageSize;

    [Fact]
    public void OnePage_StartsZeroed_EveryByteWritable()
    {
        using var m = MemoryMap.Anonymous(P);
        for (long x = 0; x < P; x++)
        {
            Assert.Equal(0, m[x]);
        }

        for (long x = 0; x < P; x++)
        {
            m[x] = (byte)(x & 255);
            Assert.Equal((byte)(x & 255), m[x]);
        }
    }

    [Fact]
    public void Sixteen_LengthZeroedCursorAtZero()
    {
        using var m = MemoryMap.Anonymous(16);
        Assert.Equal(16, m.Length);
        Assert.Equal(new byte[16], m[..]);
        Assert.Equal(0, m.Tell());
        Assert.True(m.IsAnonymous);
        Assert.Equal(0, m.Offset);
        Assert.Equal(MapFlags.Shared | MapFlags.Anonymous, m.Flags);
        Assert.Equal(MapAccess.Default, m.Access);
    }

    [Fact]
    public void Size_IsTheLength()
    {
        // gh-87595 ([3.15/main]): CPython up to 3.14 raises EBADF here.
        using var m = MemoryMap.Anonymous(16);
        Assert.Equal(16, m.Size());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void NonPositiveLength_IsOutOfRange(long length)
    {
        // Python: OE EINVAL for 0, OvE for negative.
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryMap.Anonymous(length));
    }

    [Fact]
    public void HugeLength_IsEnomem()
    {
        var error = Assert.Throws<MapIOException>(() => MemoryMap.Anonymous(1L << 62));
        Assert.Equal(12, error.ErrorNumber);
    }

    [Fact]
    public void Private_IsWritableAndSeparateFromOthers()
    {
        using var a = MemoryMap.Anonymous(16, flags: MapFlags.Private);
        using var b = MemoryMap.Anonymous(16, flags: MapFlags.Private);
        a.Write("hello"u8);
        Assert.Equal(new byte[16], b[..]);
        Assert.Equal("hello"u8.ToArray(), a[..5]);
        Assert.Equal(MapFlags.Private | MapFlags.Anonymous, a.Flags);
    }

    [Fact]
    public void CursorOperations_Work()
    {
        using var m = MemoryMap.Anonymous(8);
        Assert.Equal(8, m.Write("ab\ncd\nef"u8));
        Assert.Throws<ArgumentException>(() => m.Write("x"u8));
        m.Seek(0);
        Assert.Equal("ab\n"u8.ToArray(), m.ReadLine());
        Assert.Equal((byte)'c', m.ReadByte());
        Assert.Equal(7, m.Seek(-1, SeekOrigin.End));
        Assert.Equal("f"u8.ToArray(), m.Read());
    }

    [Fact]
    public void Flush_IsAllowed()
    {
        using (var shared = MemoryMap.Anonymous(2 * P))
        {
            shared.Flush();
            shared.Flush(0, 2 * P);
        }

        using var priv = MemoryMap.Anonymous(2 * P, flags: MapFlags.Private);
        priv.Flush();
    }

    [Fact]
    public void Protection_WriteOnly_IsAccessWrite()
    {
        using var m = MemoryMap.Anonymous(16, protection: MapProtection.Write);
        Assert.Equal(MapAccess.Write, m.Access);
        m[3] = 3;
        Assert.Equal(3, m[3]);
    }

    [Fact]
    public void Protection_ReadOnly_RefusesWrites()
    {
        using var m = MemoryMap.Anonymous(16, protection: MapProtection.Read);
        Assert.Equal(MapAccess.Read, m.Access);
#pragma warning disable OVL001 // the write proves the run-time check; the analyzer reports it at compile time
        Assert.Throws<NotSupportedException>(() => m[0] = 1);
        Assert.Throws<NotSupportedException>(() => m.Write("x"u8));
#pragma warning restore OVL001
        Assert.Equal(new byte[16], m[..]);
    }
}
