using System;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary><c>inspect</c> and <c>verify</c> of a container holding hash and sorted index sections (kind 4, issue 10; sorted of format version 1 or 2): listed with their kind, not refused.</summary>
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

    [Theory]
    [InlineData(1u)] // the Eytzinger summary, still read
    [InlineData(2u)]
    public void ASortedIndexSectionIsListedAndVerifiesBeforeAndAfterCompaction(uint version)
    {
        string file = _temp.File("sorted.ovl");
        using (MappedContainer container = MappedContainer.Create(file, 0x5844_4E49))
        {
            using var builder = new SortedIndexBuilder<ulong, NoValue>() { FormatVersion = version };
            for (ulong key = 0; key < 700; key++)
            {
                builder.Add(key * 5);
            }

            container.AddSortedIndex("ordered", builder).Dispose();
            container.Commit();
        }

        for (int pass = 0; pass < 2; pass++)
        {
            ToolRun inspect = ToolRun.Of("inspect", file);
            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            Assert.Matches(@"ordered +│ index +│ 700 ", inspect.Output);
            ToolRun verify = ToolRun.Of("verify", file);
            Assert.True(verify.ExitCode == 0, verify.ToString());
            MappedContainer.Compact(file, 0x5844_4E49);
        }

        using MappedContainer reopened = MappedContainer.Open(file, 0x5844_4E49, MapAccess.Read);
        using MappedSortedIndex<ulong, NoValue> index = reopened.SortedIndex<ulong, NoValue>("ordered");
        Assert.Equal(700, index.Count);
        Assert.Equal(699UL * 5, index.Last().Key);
        Assert.True(index.ContainsKey(350UL * 5));
    }
}
