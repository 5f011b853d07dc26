using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Formats;

public class CompactionTests
{
    private readonly ITestOutputHelper _output;

    public CompactionTests(ITestOutputHelper output) => _output = output;

    /// <summary>A container of about 24 MiB whose first sections moved (free extents behind them).</summary>
    private static TempPath Fragmented()
    {
        var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<TestRecord.View> a = container.AddRecords<TestRecord.View>("a");
        RawSection b = container.AddRaw("b");
        HeapSection heap = container.AddHeap("heap");
        byte[] chunk = new byte[4096];
        for (int i = 0; i < 2048; i++)
        {
            for (int j = 0; j < 64; j++)
            {
                a.Append(Record((i * 64) + j));
            }

            chunk.AsSpan().Fill((byte)i);
            b.Append(chunk);
            heap.Allocate(chunk.AsSpan(0, 1000 + i));
        }

        container.Commit();
        return temp;
    }

    [Fact]
    public void CompactionKeepsEveryByteOfEverySectionAndReportsWhatItReclaimed()
    {
        using TempPath temp = Fragmented();
        byte[][] before = Contents(temp.Path);
        long oldLength = new FileInfo(temp.Path).Length;
        CompactionResult result = MappedContainer.Compact(temp.Path, Tag);
        Assert.Equal(oldLength, result.OldLength);
        Assert.Equal(new FileInfo(temp.Path).Length, result.NewLength);
        Assert.True(result.BytesReclaimed > 1 << 20, $"{result}");
        Assert.Equal(before, Contents(temp.Path));
        Assert.Equal(0, MappedContainer.Compact(temp.Path, Tag).BytesReclaimed); // already compact
    }

    [Fact]
    public void CompactionOfAnInvalidFileWritesNothing()
    {
        using TempPath temp = new TempPath().WithBytes(20_000, 7);
        Assert.Throws<InvalidDataException>(() => MappedContainer.Compact(temp.Path, Tag));
        Assert.Equal(Enumerable.Repeat((byte)7, 20_000), File.ReadAllBytes(temp.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".compact-*"));
    }

    /// <summary>
    /// A compaction killed with SIGKILL at moments spread over its run leaves the old file or the
    /// new one, byte for byte, never a mix; the next compaction removes the stray temporary file.
    /// </summary>
    [Fact]
    public void ACompactionKilledAtAnyMomentLeavesTheOldFileOrTheNew()
    {
        using TempPath pristine = Fragmented();
        byte[] old = File.ReadAllBytes(pristine.Path);
        using var compactedCopy = new TempPath();
        File.Copy(pristine.Path, compactedCopy.Path);
        MappedContainer.Compact(compactedCopy.Path, Tag);
        byte[] compacted = File.ReadAllBytes(compactedCopy.Path);
        Assert.NotEqual(old.Length, compacted.Length);

        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var random = new Random(8);
        int olds = 0, news = 0;
        for (int run = 0; run < 10; run++)
        {
            using var target = new TempPath();
            File.Copy(pristine.Path, target.Path);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(probe);
            start.ArgumentList.Add("compact-slowly");
            start.ArgumentList.Add(target.Path);
            start.ArgumentList.Add(Tag.ToString("X", CultureInfo.InvariantCulture));
            start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            using Process process = Process.Start(start)!;
            Assert.Equal("started", process.StandardOutput.ReadLine());

            // From at once to past the end of a compaction (about 50-150 ms: 24 chunks of 1 MiB, 2 ms pause each).
            int delay = run * 20 + random.Next(20);
            System.Threading.Thread.Sleep(delay);
            process.Kill(); // SIGKILL
            process.WaitForExit();

            byte[] after = File.ReadAllBytes(target.Path);
            bool isOld = after.AsSpan().SequenceEqual(old);
            bool isNew = after.AsSpan().SequenceEqual(compacted);
            Assert.True(isOld || isNew, $"run {run} (killed after {delay} ms): the file is neither the old one nor the compacted one ({after.Length} bytes)");
            olds += isOld ? 1 : 0;
            news += isNew ? 1 : 0;

            // Whatever was left opens, and the next compaction cleans up after the killed one.
            MappedContainer.Compact(target.Path, Tag);
            Assert.Equal(compacted, File.ReadAllBytes(target.Path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target.Path)!, Path.GetFileName(target.Path) + ".compact-*"));
        }

        _output.WriteLine($"killed 10 compactions: {olds} left the old file, {news} the new one");
    }

    private static byte[][] Contents(string path)
    {
        using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
        return container.Sections.Select(s =>
        {
            byte[] bytes = new byte[s.Length];
            container.Map.ReadAt(s.Offset, bytes);
            return bytes;
        }).ToArray();
    }
}
