using System;
using Xunit;

namespace Overlay.Tests;

public class NewlineSearchTests
{
    [Fact]
    public void AgreesWithSpanIndexOf_ForEveryLengthAndNewlinePosition()
    {
        // Covers the vector body, its seams (31/32/33, 63/64/65, ...) and the scalar tail.
        var random = new Random(1234);
        for (int length = 0; length <= 200; length++)
        {
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++)
            {
                data[i] = (byte)random.Next('a', 'z' + 1);
            }

            Assert.Equal(-1, NewlineSearch.IndexOf(data));
            for (int at = 0; at < length; at++)
            {
                data[at] = (byte)'\n';
                Assert.Equal(data.AsSpan().IndexOf((byte)'\n'), NewlineSearch.IndexOf(data));
                if (at + 7 < length)
                {
                    data[at + 7] = (byte)'\n';
                    Assert.Equal(at, NewlineSearch.IndexOf(data));
                    data[at + 7] = (byte)'x';
                }

                data[at] = (byte)'x';
            }
        }
    }
}
