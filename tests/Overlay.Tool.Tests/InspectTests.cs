using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Overlay.Tool.Tests;

public sealed class InspectTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AContainerShowsItsSectionsAndRecordsDecodedByTheEmbeddedSchema()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("inspect", file);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Overlay container, tag 0x5F4C4F4F545F5654", run.Output, StringComparison.Ordinal);
        Assert.Contains("Overlay.Tool.Tests.PlayerV1", run.Output, StringComparison.Ordinal);
        Assert.Contains($"section 'players': Overlay.Tool.Tests.PlayerV1 ({PlayerV1.SizeInBytes}-byte records); records 0..19 of 50", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ 7 +│ 7 +│ 10\.5 +│ player-7 +│ \{X=7, Y=-7\} +│ 1 +│", run.Output);
        Assert.Contains("line 2: héllo", run.Output, StringComparison.Ordinal); // a [VarString] read from the heap
    }

    [Fact]
    public void JsonHasEverySectionAndTheRecordsAsTypedValues()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("inspect", file, "--json", "--section", "players", "--offset", "3", "--count", "2");
        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal("container", root.GetProperty("kind").GetString());
        JsonElement section = Assert.Single(root.GetProperty("sections").EnumerateArray());
        Assert.Equal("players", section.GetProperty("name").GetString());
        Assert.Equal(50, section.GetProperty("count").GetInt64());
        JsonElement[] records = section.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(2, records.Length);
        Assert.Equal(3, records[0].GetProperty("#").GetInt64());
        Assert.Equal(3, records[0].GetProperty("Id").GetInt64());
        Assert.Equal(4.5, records[0].GetProperty("Score").GetDouble());
        Assert.Equal("player-4", records[1].GetProperty("Name").GetString());
        Assert.Equal(-4, records[1].GetProperty("Position").GetProperty("Y").GetDouble());
        Assert.Equal(200, records[0].GetProperty("Rank").GetInt64()); // an enum by its underlying value
    }

    [Fact]
    public void WhereFiltersByNumbersStringsAndNestedFieldsAndPagesThroughTheMatches()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("inspect", file, "--json", "--section", "players", "--where", "Rank=200", "--offset", "1", "--count", "3");
        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement section = JsonDocument.Parse(run.Output).RootElement.GetProperty("sections")[0];
        Assert.Equal(17, section.GetProperty("matched").GetInt64()); // 0, 3, ..., 48
        Assert.Equal(new long[] { 3, 6, 9 }, section.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetInt64()));

        run = ToolRun.Of("inspect", file, "--json", "--section", "players", "--where", "Name=player-12", "--where", "Position.X=12");
        Assert.Equal(12, JsonDocument.Parse(run.Output).RootElement.GetProperty("sections")[0].GetProperty("records")[0].GetProperty("Id").GetInt64());

        run = ToolRun.Of("inspect", file, "--section", "players", "--where", "Score=1.5");
        Assert.Contains("records 0..0 of 1 matching (of 50)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArgumentsAreUsageErrors()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("inspect", file, "--section", "nope");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no section 'nope'; its sections are 'players'", run.Error, StringComparison.Ordinal);

        run = ToolRun.Of("inspect", file, "--section", "players", "--where", "Gold=1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--where Gold: section 'players' (Overlay.Tool.Tests.PlayerV1) has no such field", run.Error, StringComparison.Ordinal);

        Assert.Equal(2, ToolRun.Of("inspect", file, "--where", "Id").ExitCode);
        Assert.Equal(2, ToolRun.Of("inspect", file, "--count", "-1").ExitCode);
        Assert.Equal(2, ToolRun.Of("inspect").ExitCode);
        Assert.Equal(2, ToolRun.Of("frobnicate", file).ExitCode);
    }

    [Fact]
    public void AMissingFileIsAnIOFailure()
    {
        ToolRun run = ToolRun.Of("inspect", _temp.File("missing.ovl"));
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("missing.ovl", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordFileShowsItsPrefixAndRecordsAsStoredBytes()
    {
        string file = Files.RecordFile(_temp.File("prices.rec"), 5);
        ToolRun run = ToolRun.Of("inspect", file, "--json", "--offset", "1", "--count", "2");
        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement root = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("record file", root.GetProperty("kind").GetString());
        Assert.Equal(5, root.GetProperty("header").GetProperty("live count").GetInt64());
        Assert.Equal(12, root.GetProperty("header").GetProperty("record size").GetInt64());
        Assert.Equal(5, root.GetProperty("total").GetInt64());
        JsonElement[] entries = root.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(2, entries.Length);
        byte[] expected = new byte[Price.SizeInBytes];
        Price.Store(expected, new Price { Amount = 1.5, Stock = 1 });
        Assert.Equal(Convert.ToHexString(expected), entries[0].GetProperty("bytes").GetString());
        Assert.Equal("Amount=1.5, Stock=1", entries[0].GetProperty("fields").GetString());
        Assert.StartsWith("header ", root.GetProperty("header").GetProperty("schema").GetString());

        run = ToolRun.Of("inspect", file);
        Assert.Contains("Overlay record file", run.Output, StringComparison.Ordinal);
        Assert.Contains("records 0..4 of 5", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void IndexesShowTheirHeadersAndEntries()
    {
        string hash = Files.HashIndex(_temp.File("prices.idx"), 40);
        ToolRun run = ToolRun.Of("inspect", hash, "--json", "--count", "100");
        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement root = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("hash index", root.GetProperty("kind").GetString());
        Assert.Equal(40, root.GetProperty("header").GetProperty("count").GetInt64());
        Assert.Equal("clean", root.GetProperty("header").GetProperty("state").GetString());
        Assert.Equal(40, root.GetProperty("entries").GetArrayLength());
        Assert.Empty(root.GetProperty("problems").EnumerateArray());
        Assert.Contains(root.GetProperty("entries").EnumerateArray(), e => e.GetProperty("key").GetString() == Convert.ToHexString(BitConverter.GetBytes(7UL * 39)));

        string sorted = Files.SortedIndex(_temp.File("prices.sorted"), 100);
        run = ToolRun.Of("inspect", sorted, "--json", "--offset", "10", "--count", "5");
        root = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("sorted index", root.GetProperty("kind").GetString());
        Assert.Equal(100, root.GetProperty("total").GetInt64());
        Assert.Equal(Convert.ToHexString(BitConverter.GetBytes(30UL)), root.GetProperty("entries")[0].GetProperty("key").GetString());
        Assert.Contains("Overlay sorted index", ToolRun.Of("inspect", sorted).Output, StringComparison.Ordinal);
    }
}
