using System;
using System.Linq;
using System.Text.Json;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary><c>inspect</c> and <c>verify</c> of a container holding hash and sorted index sections (kind 4, issue 10; sorted of format version 1 or 2): listed with their kind and their header's format version (and a hash index's function), not refused.</summary>
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
        Assert.Contains("section 'seen': hash index, format version 1, hash function 2", inspect.Output, StringComparison.Ordinal);
        JsonElement header = Section(ToolRun.Of("inspect", file, "--json"), "seen");
        Assert.Equal("hash index", header.GetProperty("index").GetString());
        Assert.Equal(2u, header.GetProperty("header").GetProperty("hash function").GetUInt32());

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
            Assert.Contains($"section 'ordered': sorted index, format version {version}{Environment.NewLine}", inspect.Output, StringComparison.Ordinal);
            JsonElement section = Section(ToolRun.Of("inspect", file, "--json"), "ordered");
            Assert.Equal("sorted index", section.GetProperty("index").GetString());
            Assert.Equal(version, section.GetProperty("header").GetProperty("format version").GetUInt32());
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

    private static JsonElement Section(ToolRun inspect, string name)
    {
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        return JsonDocument.Parse(inspect.Output).RootElement.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
    }
}
