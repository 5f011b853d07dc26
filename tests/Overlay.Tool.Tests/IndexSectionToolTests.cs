using System;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary><c>inspect</c> and <c>verify</c> of a container holding a hash index section (kind 4, issue 10): listed with its kind, not refused.</summary>
public sealed class IndexSectionToolTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnIndexSectionIsListedWithItsKindAndVerifies()
    {
        string file = _temp.File("indexed.ovl");
        using (MappedContainer container = MappedContainer.Create(file, 0x5844_4E49))
        {
            using MappedHashIndex<ulong, NoValue> set = container.AddHashIndex<ulong, NoValue>("seen");
            for (ulong key = 0; key < 1000; key++)
            {
                set.TryAdd(key * 3);
            }

            container.Commit();
        }

        ToolRun inspect = ToolRun.Of("inspect", file);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Matches(@"seen +│ index +│ 1000 ", inspect.Output);

        ToolRun verify = ToolRun.Of("verify", file);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
