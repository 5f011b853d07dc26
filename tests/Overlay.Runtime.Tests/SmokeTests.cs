using System.IO;
using Xunit;

namespace Overlay.Tests;

public class SmokeTests
{
    [Fact]
    public void MapsAFileAndWritesThrough()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, "abc\ndef\nghi"u8.ToArray());
            using (var map = MemoryMap.Open(path))
            {
                Assert.Equal(11, map.Length);
                map[0] = (byte)'X';
                Assert.Equal((byte)'i', map[-1]);
            }

            Assert.Equal("Xbc\ndef\nghi"u8.ToArray(), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
