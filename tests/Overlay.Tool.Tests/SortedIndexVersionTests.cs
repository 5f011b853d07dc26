using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Overlay.Formats;
using Overlay.Indexes;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary>
/// A version 1 sorted index (the Eytzinger summary, which the runtime still opens) through every
/// command that takes one: <c>inspect</c> and <c>verify</c> say of it what they say of a version 2
/// file of the same entries, but for the version and where its regions lie; <c>schema</c> and
/// <c>diff</c> refuse both alike; a container section of either version is listed and verifies.
/// Version 1 files are written by the runtime's own builder (its internal version switch).
/// </summary>
public sealed class SortedIndexVersionTests : IDisposable
{
    /// <summary>The header fields whose values depend on the format version: the rest must be equal.</summary>
    private static readonly string[] VersionFields = ["format version", "summary count", "values offset", "summary offset", "radix min", "radix shift", "radix buckets"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // Around a block (16 keys), a version 2 tree node (17 blocks: 272 keys) and past a two-level tree.
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(273)]
    [InlineData(4625)]
    public void InspectJsonOfVersionOneIsVersionTwosButForTheVersionAndItsRegions(int entries)
    {
        string one = Files.SortedIndex(_temp.File("one.sorted"), entries, SortedIndexHeader.Version1);
        string two = Files.SortedIndex(_temp.File("two.sorted"), entries, SortedIndexHeader.Version2);
        foreach ((long offset, long count) in new[] { (0L, 100_000L), (0L, 20L), (entries / 2L, 7L), (entries - 1L, 5L), (entries + 3L, 5L) })
        {
            JsonElement a = InspectJson(one, offset, count), b = InspectJson(two, offset, count);
            Assert.Equal("sorted index", a.GetProperty("kind").GetString());
            Assert.Empty(a.GetProperty("problems").EnumerateArray());
            Assert.Empty(b.GetProperty("problems").EnumerateArray());
            Assert.Equal(entries, a.GetProperty("total").GetInt64());
            Assert.Equal(b.GetProperty("total").GetInt64(), a.GetProperty("total").GetInt64());
            Assert.Equal(b.GetProperty("entries").GetRawText(), a.GetProperty("entries").GetRawText());
            Assert.Equal(Math.Clamp(entries - offset, 0, count), a.GetProperty("entries").GetArrayLength());

            Dictionary<string, string> headerOne = Header(a), headerTwo = Header(b);
            Assert.Equal(headerTwo.Keys, headerOne.Keys);
            Assert.Equal("1", headerOne["format version"]);
            Assert.Equal("2", headerTwo["format version"]);
            foreach (string field in headerOne.Keys.Except(VersionFields))
            {
                Assert.True(headerTwo[field] == headerOne[field], $"{field}: version 1 {headerOne[field]}, version 2 {headerTwo[field]}");
            }

            // Version 1's regions: keys, values and the summary on 8-byte boundaries, one summary key a block.
            long blocks = (entries + 15) / 16;
            long values = 128 + Align8(entries * 8L);
            Assert.Equal(blocks.ToString(), headerOne["summary count"]);
            Assert.Equal(values.ToString(), headerOne["values offset"]);
            Assert.Equal((values + Align8(entries * (long)Price.SizeInBytes)).ToString(), headerOne["summary offset"]);
        }
    }

    [Fact]
    public void InspectTextNamesVersionOneAndShowsTheSameEntries()
    {
        string one = Files.SortedIndex(_temp.File("one.sorted"), 300, SortedIndexHeader.Version1);
        string two = Files.SortedIndex(_temp.File("two.sorted"), 300, SortedIndexHeader.Version2);
        foreach (string[] window in new[] { Array.Empty<string>(), ["--offset", "280", "--count", "50"] })
        {
            ToolRun a = ToolRun.Of(["inspect", one, .. window]), b = ToolRun.Of(["inspect", two, .. window]);
            Assert.True(a.ExitCode == 0, a.ToString());
            Assert.True(b.ExitCode == 0, b.ToString());
            Assert.Contains($"{one}: Overlay sorted index", a.Output, StringComparison.Ordinal);
            Assert.Matches(@"│ format version +│ 1 +│", a.Output);
            Assert.Matches(@"│ format version +│ 2 +│", b.Output);
            Assert.Equal(Text(b, two), Text(a, one));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4625)]
    public void VerifySaysTheSameOfBothVersions(int entries)
    {
        string one = Files.SortedIndex(_temp.File("one.sorted"), entries, SortedIndexHeader.Version1);
        string two = Files.SortedIndex(_temp.File("two.sorted"), entries, SortedIndexHeader.Version2);
        ToolRun a = ToolRun.Of("verify", one);
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.Equal($"{one}: OK (sorted index: {entries} entries)", a.Output.TrimEnd());
        Assert.Equal(ToolRun.Of("verify", two).Output.Replace(two, one, StringComparison.Ordinal), a.Output);
        Assert.Equal(
            ToolRun.Of("verify", two, "--json").Output.Replace(two, one, StringComparison.Ordinal),
            ToolRun.Of("verify", one, "--json").Output);
    }

    [Fact]
    public void ByteOrderedKeysOfVersionOneAreReadAndCheckedInOrder()
    {
        string one = Files.SortedGuidIndex(_temp.File("one.sorted"), 1000, SortedIndexHeader.Version1);
        string two = Files.SortedGuidIndex(_temp.File("two.sorted"), 1000, SortedIndexHeader.Version2);
        JsonElement a = InspectJson(one, 0, 100_000), b = InspectJson(two, 0, 100_000);
        Assert.Equal("bytes", Header(a)["key order"]);
        Assert.Equal(b.GetProperty("entries").GetRawText(), a.GetProperty("entries").GetRawText());
        Assert.Equal(0, ToolRun.Of("verify", one).ExitCode);

        // Keys 10 and 11 swapped (the header's checksum does not cover them): the same one problem in both.
        foreach (string file in new[] { one, two })
        {
            byte[] bytes = File.ReadAllBytes(file);
            Span<byte> ten = bytes.AsSpan(128 + (10 * 16), 16), eleven = bytes.AsSpan(128 + (11 * 16), 16);
            byte[] keep = ten.ToArray();
            eleven.CopyTo(ten);
            keep.CopyTo(eleven);
            File.WriteAllBytes(file, bytes);
        }

        ToolRun damaged = ToolRun.Of("verify", one);
        Assert.Equal(1, damaged.ExitCode);
        Assert.Contains("key 11 is not greater than key 10: the keys are not sorted", damaged.Output, StringComparison.Ordinal);
        Assert.Equal(ToolRun.Of("verify", two).Output.Replace(two, one, StringComparison.Ordinal), damaged.Output);
    }

    [Fact]
    public void AVersionOneFileCutShortOfItsSummaryIsAProblem()
    {
        string one = Files.SortedIndex(_temp.File("one.sorted"), 100, SortedIndexHeader.Version1);
        byte[] bytes = File.ReadAllBytes(one);

        // 100 keys: 7 blocks, so the summary is 7 keys (56 bytes) and 7 block numbers past the values.
        long end = 128 + 800 + Align8(100L * Price.SizeInBytes) + 56 + 56;
        Assert.Equal(end, bytes.Length);
        File.WriteAllBytes(one, bytes[..^8]);
        ToolRun run = ToolRun.Of("verify", one);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"it needs {end} bytes for 100 keys but is {end - 8} bytes long", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaAndDiffRefuseBothVersionsAlike()
    {
        string one = Files.SortedIndex(_temp.File("one.sorted"), 10, SortedIndexHeader.Version1);
        string two = Files.SortedIndex(_temp.File("two.sorted"), 10, SortedIndexHeader.Version2);
        string container = Files.Container(_temp.File("game.ovl"), players: 2);
        foreach (string[] args in new[] { new[] { "schema", "{0}" }, ["schema", "{0}", "--json"], ["diff", "{0}", container], ["diff", container, "{0}"] })
        {
            ToolRun a = ToolRun.Of(args.Select(x => x.Replace("{0}", one, StringComparison.Ordinal)).ToArray());
            ToolRun b = ToolRun.Of(args.Select(x => x.Replace("{0}", two, StringComparison.Ordinal)).ToArray());
            Assert.True(a.ExitCode == ExitCodes.InvalidFile, $"{string.Join(' ', args)}: {a}");
            Assert.Contains("is a sorted index: only containers and record files embed schemas", a.Error, StringComparison.Ordinal);
            Assert.Equal(b.ExitCode, a.ExitCode);
            Assert.Equal(b.Error.Replace(two, one, StringComparison.Ordinal), a.Error);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4625)]
    public void VersionThreeShowsItsRadixTableAndTheSameEntriesAsVersionTwo(int entries)
    {
        string two = Files.SortedIndex(_temp.File("two.sorted"), entries, SortedIndexHeader.Version2);
        string three = Files.SortedIndex(_temp.File("three.sorted"), entries, SortedIndexHeader.Version);
        JsonElement a = InspectJson(two, 0, 100_000), b = InspectJson(three, 0, 100_000);
        Assert.Empty(b.GetProperty("problems").EnumerateArray());
        Assert.Equal(a.GetProperty("entries").GetRawText(), b.GetProperty("entries").GetRawText());
        Dictionary<string, string> header = Header(b);
        Assert.Equal("3", header["format version"]);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(three).AsSpan(108)).ToString(), header["radix buckets"]);
        Assert.Equal(entries < 16, header["radix buckets"] == "0");
        Assert.Equal("0", Header(a)["radix buckets"]);
        Assert.Equal($"{three}: OK (sorted index: {entries} entries)", ToolRun.Of("verify", three).Output.TrimEnd());
        if (entries >= 16)
        {
            Assert.NotEqual("0", header["radix buckets"]);

            // The table cut short, and a bucket count past the limit (the checksum redone): each a problem.
            byte[] bytes = File.ReadAllBytes(three);
            File.WriteAllBytes(three, bytes[..^4]);
            ToolRun shortRun = ToolRun.Of("verify", three);
            Assert.Equal(1, shortRun.ExitCode);
            Assert.Contains("bytes long", shortRun.Output, StringComparison.Ordinal);

            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(108), (uint)(entries / 4) + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(124), Overlay.Tool.Files.Crc32C.Compute(bytes.AsSpan(0, 124)));
            File.WriteAllBytes(three, bytes);
            ToolRun wide = ToolRun.Of("verify", three);
            Assert.Equal(1, wide.ExitCode);
            Assert.Contains("radix table", wide.Output, StringComparison.Ordinal);
        }
    }

    private static JsonElement InspectJson(string file, long offset, long count)
    {
        ToolRun run = ToolRun.Of("inspect", file, "--json", "--offset", offset.ToString(), "--count", count.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    private static Dictionary<string, string> Header(JsonElement inspected) =>
        inspected.GetProperty("header").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());

    /// <summary>The text output without its path and the rows of the fields that depend on the version.</summary>
    private static string[] Text(ToolRun run, string file) =>
        run.Output.Replace(file, "FILE", StringComparison.Ordinal).Split('\n')
            .Where(line => !VersionFields.Any(field => line.Contains($"│ {field} ", StringComparison.Ordinal)))
            .ToArray();

    private static long Align8(long value) => (value + 7) & ~7L;
}
