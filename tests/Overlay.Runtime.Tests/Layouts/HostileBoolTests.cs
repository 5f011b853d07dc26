using System.Runtime.CompilerServices;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>Hole 11c: a bool read from a byte other than 0 or 1 must still be the one true.</summary>
public class HostileBoolTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(0x80, 1)]
    [InlineData(0xFF, 1)]
    public void ReadAtNormalisesEveryByte(byte stored, byte expected)
    {
        using MemoryMap map = MemoryMap.Anonymous(16);
        map[5] = stored;
        bool value = map.ReadAt<bool>(5);

        // The raw byte: `value == true` can compile to a test of the byte against zero and pass anyway.
        Assert.Equal(expected, Unsafe.As<bool, byte>(ref value));
        Assert.Equal(stored != 0, value);
        Assert.True(value == (stored != 0));
    }

    [Fact]
    public void ReadAtStillChecksTheRange()
    {
        using MemoryMap map = MemoryMap.Anonymous(16);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => map.ReadAt<bool>(map.Length));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => map.ReadAt<bool>(-1));
    }
}
