using System;
using System.IO;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>The TypedIndex sample's whole run (both indexes, updates, a second reading process) with 20,000 products.</summary>
public class TypedIndexSampleTests
{
    [Fact]
    public void TheCatalogueSampleRunsAndItsSecondProcessFindsEveryUpdate()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"overlay-typedindex-test-{Guid.NewGuid():N}");
        var log = new StringWriter();
        try
        {
            int exitCode = TypedIndex.Catalogue.Run(directory, 20_000, log);
            Assert.True(exitCode == 0, log.ToString());
            Assert.Contains("checked 20,000 products in both, 0 wrong", log.ToString());
            Assert.Contains("sorted index: built 20,000 products", log.ToString());
            Assert.Contains("hash index: the same lookups, pinned (sum of prices", log.ToString());
            Assert.Contains(", the same)", log.ToString());
            Assert.Contains("the container's records through its index, 20,000 checked, 0 wrong", log.ToString());
            Assert.Contains("sorted index scanned, 20,000 of 20,000 rows in SKU order", log.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
