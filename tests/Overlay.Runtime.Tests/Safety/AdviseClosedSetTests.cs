using System;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>Issue 14, hole 3: only advice that <see cref="MapAdvice"/> names reaches the kernel.</summary>
public class AdviseClosedSetTests
{
    /// <summary>102 is MADV_GUARD_INSTALL on Linux 6.13+: passed through, the next read of the page is fatal.</summary>
    [Theory]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(5)]
    [InlineData(26)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void UnnamedAdviceIsRefusedAndTheMapStaysReadable(int value)
    {
        using var map = MemoryMap.Anonymous(MemoryMap.PageSize * 2);
        map[0] = 42;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => map.Advise((MapAdvice)value));
        Assert.Equal("advice", error.ParamName);
        Assert.Equal(42, map[0]);
    }

    [Fact]
    public void EveryNamedAdviceIsPassedOnOrRefusedByName()
    {
        foreach (MapAdvice advice in Enum.GetValues<MapAdvice>())
        {
            using var map = MemoryMap.Anonymous(MemoryMap.PageSize * 2, MapFlags.Private);
            try
            {
                map.Advise(advice);
            }
            catch (NotSupportedException)
            {
                Assert.True(advice is MapAdvice.HardwarePoison or MapAdvice.SoftOffline, $"{advice} was refused as unsupported");
            }
            catch (Exception e) when (e is MapIOException or UnauthorizedAccessException)
            {
                // The kernel may not know it (EINVAL) or allow it (EPERM); it got the named value.
            }

            // No advice Advise accepts makes the next access fault.
            map[0] = 1;
            Assert.Equal(1, map[0]);
        }
    }
}
