using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Overlay.Tool.Tests;

public sealed class SchemaAndDiffTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SchemaPrintsEveryFieldAndNestedLayoutFromTheFileAlone()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        ToolRun run = ToolRun.Of("schema", file);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("section 'players' (schema in 'schema.0'):", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Overlay.Tool.Tests.PlayerV1: {PlayerV1.SizeInBytes} bytes, fingerprint 0x{PlayerV1.LayoutFingerprint:X16}, version 0", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ 8 +│ 12 +│ Name +│ UTF-8 string\[12\] +│ little-endian", run.Output);
        Assert.Contains("enum Overlay.Tool.Tests.Rank : byte", run.Output, StringComparison.Ordinal);
        Assert.Contains("Overlay.Tool.Tests.Vec2: 8 bytes", run.Output, StringComparison.Ordinal);
        Assert.Contains("[VarString] heap reference", run.Output, StringComparison.Ordinal);

        run = ToolRun.Of("schema", file, "--json", "--section", "players");
        JsonElement layout = Assert.Single(JsonDocument.Parse(run.Output).RootElement.GetProperty("schemas").EnumerateArray()).GetProperty("layout");
        Assert.Equal("Overlay.Tool.Tests.PlayerV1", layout.GetProperty("name").GetString());
        Assert.Equal(new[] { "Id", "Score", "Name", "Position", "Rank" }, layout.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        JsonElement position = layout.GetProperty("fields")[3];
        Assert.Equal("Layout", position.GetProperty("kind").GetString());
        Assert.Equal(4, position.GetProperty("layout").GetProperty("fields")[1].GetProperty("offset").GetInt32());
    }

    [Fact]
    public void SchemaOfARecordFileShowsItsHeaderAndRecordLayouts()
    {
        ToolRun run = ToolRun.Of("schema", Files.RecordFile(_temp.File("p.rec"), 1), "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement[] schemas = JsonDocument.Parse(run.Output).RootElement.GetProperty("schemas").EnumerateArray().ToArray();
        Assert.Equal(new[] { "header", "records" }, schemas.Select(s => s.GetProperty("section").GetString()));
        Assert.Equal(new[] { "X", "Y" }, schemas[0].GetProperty("layout").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(new[] { "Amount", "Stock" }, schemas[1].GetProperty("layout").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
    }

    [Fact]
    public void SchemaOfAnIndexSaysOnlyContainersAndRecordFilesEmbedThem()
    {
        ToolRun run = ToolRun.Of("schema", Files.HashIndex(_temp.File("p.idx"), 1));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("is a hash index: only containers and record files embed schemas", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAppendedFieldIsCompatible()
    {
        string v1 = Files.Version1(_temp.File("v1.ovl"));
        string appended = Files.Appended(_temp.File("appended.ovl"));
        ToolRun run = ToolRun.Of("diff", v1, appended);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("compatible (append-only", run.Output, StringComparison.Ordinal);
        Assert.Contains("Gold (long at 29) is new, appended past the file's 29-byte record", run.Output, StringComparison.Ordinal);

        // Old code reading the newer file: it sees the prefix.
        Assert.Equal(0, ToolRun.Of("diff", appended, v1).ExitCode);

        // A section the newer file lacks is a difference a reader of it would trip on.
        run = ToolRun.Of("diff", Files.Container(_temp.File("full.ovl")), appended);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("section 'log': only in", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncompatibleChangeListsEveryDifferenceByFieldName()
    {
        string v1 = Files.Appended(_temp.File("v1.ovl"));
        string v2 = Files.Version2(_temp.File("v2.ovl"));
        ToolRun run = ToolRun.Of("diff", v1, v2, "--json");
        Assert.Equal(1, run.ExitCode);
        JsonElement root = JsonDocument.Parse(run.Output).RootElement;
        Assert.False(root.GetProperty("compatible").GetBoolean());
        JsonElement section = root.GetProperty("sections")[0];
        string[] fields = section.GetProperty("differences").EnumerateArray().Select(d => d.GetProperty("field").GetString()!).Distinct().ToArray();
        Assert.Contains("Id", fields);
        Assert.Contains("Score", fields);   // removed (renamed: [FormerName] is for Upgrade, not for reading in place)
        Assert.Contains("Points", fields);
        Assert.Contains("Gold", fields);
        Assert.Contains(section.GetProperty("differences").EnumerateArray(), d => d.GetProperty("change").GetString() == "TypeChanged" && d.GetProperty("field").GetString() == "Id");

        run = ToolRun.Of("diff", v1, v2);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("INCOMPATIBLE (needs overlay upgrade)", run.Output, StringComparison.Ordinal);
        Assert.Contains("Id was int, is long", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void IdenticalFilesAreIdentical()
    {
        string a = Files.Container(_temp.File("a.ovl"));
        string b = Files.Container(_temp.File("b.ovl"), players: 3);
        ToolRun run = ToolRun.Of("diff", a, b);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("section 'players': Overlay.Tool.Tests.PlayerV1 -> Overlay.Tool.Tests.PlayerV1: identical", run.Output, StringComparison.Ordinal);
    }
}
