using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text.Json;
using Overlay.Formats;
using Xunit;

namespace Overlay.Tool.Tests;

public sealed class VerifyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SoundFilesOfEveryKindVerify()
    {
        ToolRun run = ToolRun.Of("verify", Files.Container(_temp.File("game.ovl")));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("OK (container: 6 sections, 53 records, 4 heap blocks, 3 heap references)", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, ToolRun.Of("verify", Files.RecordFile(_temp.File("p.rec"), 10)).ExitCode);
        Assert.Equal(0, ToolRun.Of("verify", Files.HashIndex(_temp.File("p.idx"), 100)).ExitCode);
        Assert.Equal(0, ToolRun.Of("verify", Files.SortedIndex(_temp.File("p.sorted"), 100)).ExitCode);
    }

    [Fact]
    public void ADamagedHeapBlockAndTheReferencesIntoItAreListed()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        SectionInfo heap = Section(file, "heap");

        // The second block's header: its state becomes garbage, so the walk stops there and the
        // two references into it and after it name no live value.
        byte[] bytes = File.ReadAllBytes(file);
        long second = heap.Offset + 8 + BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)heap.Offset + 8));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)second + 4), 0xDEADBEEF);
        File.WriteAllBytes(file, bytes);

        ToolRun run = ToolRun.Of("verify", file, "--json");
        Assert.Equal(1, run.ExitCode);
        JsonElement root = JsonDocument.Parse(run.Output).RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        string problems = root.GetProperty("problems").ToString();
        Assert.Contains("has state 0xDEADBEEF, neither allocated nor free", problems, StringComparison.Ordinal);
        Assert.Contains("section 'log' record 1 Message: the heap reference", problems, StringComparison.Ordinal);
        Assert.Contains("the table counts 3 live values, the blocks hold 1", problems, StringComparison.Ordinal);
    }

    [Fact]
    public void AFreeListThatLoopsIsAProblem()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        SectionInfo heap = Section(file, "heap");
        byte[] bytes = File.ReadAllBytes(file);

        // The fourth block is the freed one, the head of the free list: its next link points at itself.
        long block = heap.Offset + 8;
        for (int i = 0; i < 3; i++)
        {
            block += BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)block));
        }

        Assert.Equal(ContainerFormat.HeapBlockFree, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)block + 4)));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)block + 8), block - heap.Offset);
        File.WriteAllBytes(file, bytes);

        ToolRun run = ToolRun.Of("verify", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("its free list reaches", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AStructuralFaultIsReportedWithTheRuntimesReason()
    {
        string file = Files.Container(_temp.File("game.ovl"));
        using (FileStream stream = File.OpenWrite(file))
        {
            stream.SetLength(5000); // the sections are gone, and slot 1
        }

        ToolRun run = ToolRun.Of("verify", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not a valid Overlay container", run.Output, StringComparison.Ordinal);

        File.WriteAllText(file, "not an overlay file at all");
        run = ToolRun.Of("verify", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not an Overlay file", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1u, null)]
    [InlineData(2u, null)]
    [InlineData(0u, "hash function 0: only 1 (StableHash) and 2 (StableHash, 8-byte keys folded once) exist")]
    [InlineData(3u, "hash function 3: only 1 (StableHash) and 2 (StableHash, 8-byte keys folded once) exist")]
    public void TheHashFunctionIsShownAndChecked(uint function, string? problem)
    {
        // New files record function 2; files of older code record 1. Both are sound; others are not.
        string hash = Files.HashIndex(_temp.File("p.idx"), 20);
        byte[] bytes = File.ReadAllBytes(hash);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), function);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(124), Overlay.Tool.Files.Crc32C.Compute(bytes.AsSpan(0, 124)));
        File.WriteAllBytes(hash, bytes);

        ToolRun run = ToolRun.Of("inspect", hash, "--json", "--count", "0");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(function, JsonDocument.Parse(run.Output).RootElement.GetProperty("header").GetProperty("hash function").GetUInt32());

        run = ToolRun.Of("verify", hash);
        if (problem is null)
        {
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        else
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Contains(problem, run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void IndexAndRecordFileDamageIsListed()
    {
        string hash = Files.HashIndex(_temp.File("p.idx"), 50);
        byte[] bytes = File.ReadAllBytes(hash);
        bytes[72]++; // the count, so the checksum fails too
        File.WriteAllBytes(hash, bytes);
        ToolRun run = ToolRun.Of("verify", hash);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("its header checksum is", run.Output, StringComparison.Ordinal);
        Assert.Contains("the header counts 51 entries, 50 slots are occupied", run.Output, StringComparison.Ordinal);

        string records = Files.RecordFile(_temp.File("p.rec"), 10);
        using (FileStream stream = File.OpenWrite(records))
        {
            stream.SetLength(stream.Length - 20);
        }

        run = ToolRun.Of("verify", records);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the live count claims 10 records, the file holds 8", run.Output, StringComparison.Ordinal);
    }

    private static SectionInfo Section(string file, string name)
    {
        using MappedContainer container = MappedContainer.Open(file, Files.Tag, Overlay.MapAccess.Read);
        return container.Sections.Single(s => s.Name == name);
    }
}
