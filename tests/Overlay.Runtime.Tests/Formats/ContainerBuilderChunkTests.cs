using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>A record with a string in the builder's heap (the shape of the string-append benchmark).</summary>
[MappedLayout]
public partial struct BuilderLine
{
    public long Id;
    public int Kind;
    [VarString] public string Text;
}

/// <summary>
/// <see cref="ContainerBuilder"/>'s chunks (<c>docs/formats.md</c> §1.4): every section stores into a
/// 1 MiB chunk; the first to fill one streams into the new file in place, later ones spill to
/// temporary files, small ones are written once at <c>Seal</c>. Sizes here cross chunk boundaries
/// on purpose; every byte is read back from the sealed file.
/// </summary>
public class ContainerBuilderChunkTests
{
    private const ulong Tag = ContainerFiles.Tag;
    private const int Chunk = 1 << 20;

    // Lengths 0 to 300 UTF-16 units, some with 2- and 3-byte UTF-8 and surrogate pairs, some empty.
    private static string Text(int i) => (i % 11) switch
    {
        0 => string.Empty,
        1 => new string('é', i % 97),
        2 => string.Concat(Enumerable.Repeat("😀", i % 13)),
        3 => new string('€', 1 + (i % 300)),
        _ => $"line {i} " + new string((char)('a' + (i % 26)), i % 53),
    };

    [Fact]
    public void InterleavedSectionsCrossingChunksRoundTripAndLieBackToBack()
    {
        using var temp = new TempPath();
        const int Lines = 70_000; // 28-byte records: 1.9 MB, two chunks and a bit
        var refs = new List<HeapRef>();
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines");
            HeapWriter text = builder.AddHeap("text");
            RecordsWriter<TestRecord> fixedSize = builder.AddRecords<TestRecord>("fixed");
            HeapWriter blobs = builder.AddHeap("blobs");
            RawWriter raw = builder.AddRaw("raw");
            RawWriter small = builder.AddRaw("small");
            builder.AddRaw("empty");
            for (int i = 0; i < Lines; i++)
            {
                Assert.Equal(i, lines.Append(new BuilderLine { Id = i, Kind = i % 5, Text = Text(i) }, text));
                if (i % 3 == 0)
                {
                    fixedSize.Append(ContainerFiles.Record(i));
                }

                if (i % 50 == 0)
                {
                    refs.Add(blobs.Append(Blob(i)));
                }

                raw.Append(BitConverter.GetBytes(i));
                if (i % 1000 == 0)
                {
                    small.Append([(byte)(i / 1000)]);
                }
            }

            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        RecordSection<BuilderLine.ReadOnlyView> read = container.Records<BuilderLine.ReadOnlyView>("lines");
        HeapSection heap = container.Heap("text");
        Assert.Equal(Lines, read.Count);
        for (int i = 0; i < Lines; i++)
        {
            BuilderLine line = read[i].Load(heap);
            Assert.Equal((i, i % 5, Text(i)), (line.Id, line.Kind, line.Text));
        }

        RecordSection<TestRecord.ReadOnlyView> fixedRead = container.Records<TestRecord.ReadOnlyView>("fixed");
        Assert.Equal((Lines + 2) / 3, fixedRead.Count);
        for (int i = 0; i < fixedRead.Count; i++)
        {
            Assert.Equal(ContainerFiles.Record(i * 3), fixedRead[i].Load());
        }

        HeapSection blobHeap = container.Heap("blobs");
        for (int i = 0; i < refs.Count; i++)
        {
            Assert.Equal(Blob(i * 50), blobHeap.ToArray(refs[i]));
        }

        byte[] rawBytes = container.Raw("raw").ToArray();
        Assert.Equal(Lines * 4, rawBytes.Length);
        Assert.Equal(Enumerable.Range(0, Lines).ToArray(), Enumerable.Range(0, Lines).Select(i => BitConverter.ToInt32(rawBytes, i * 4)).ToArray());
        Assert.Equal(Enumerable.Range(0, Lines / 1000).Select(i => (byte)i).ToArray(), container.Raw("small").ToArray());
        Assert.Equal(0, container.Raw("empty").Length);

        // Back to back on page boundaries from the meta slots' end, no gap beyond the alignment.
        SectionInfo[] byOffset = container.Sections.OrderBy(s => s.Offset).ToArray();
        long position = byOffset[0].Offset;
        foreach (SectionInfo section in byOffset)
        {
            Assert.Equal((position + 4095) / 4096 * 4096, section.Offset);
            position = section.Offset + Math.Max(section.Length, 8);
        }

        Assert.Equal(byOffset[^1].Offset + byOffset[^1].Length, new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void AStringOrBlobLargerThanAChunkIsWrittenWhole()
    {
        using var temp = new TempPath();
        string huge = string.Concat(Enumerable.Range(0, Chunk / 2).Select(i => (char)('\u0400' + (i % 200)))); // 1 MiB of UTF-16, 2 bytes each in UTF-8
        string pastEstimate = new('x', (Chunk / 3) + 10); // 3 bytes a unit is assumed: encoded aside, though its bytes would fit
        byte[] blob = Blob(7, (2 * Chunk) + 5);
        HeapRef hugeRef, pastRef, blobRef, afterRef;
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            HeapWriter heap = builder.AddHeap("heap");
            heap.AppendString("before");
            hugeRef = heap.AppendString(huge);
            pastRef = heap.AppendString(pastEstimate);
            blobRef = heap.Append(blob);
            afterRef = heap.AppendString("after");
            Assert.Equal(5, heap.Count);
            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        HeapSection read = container.Heap("heap");
        Assert.Equal(Encoding.UTF8.GetByteCount(huge), hugeRef.Length);
        Assert.Equal(huge, Encoding.UTF8.GetString(read.ToArray(hugeRef)));
        Assert.Equal(pastEstimate, Encoding.UTF8.GetString(read.ToArray(pastRef)));
        Assert.Equal(blob, read.ToArray(blobRef));
        Assert.Equal("after", Encoding.UTF8.GetString(read.ToArray(afterRef)));
    }

    [Fact]
    public void EmptyStringsAreNullReferencesAndARefusedOneLeavesNoTrace()
    {
        using var temp = new TempPath();
        HeapRef first, second;
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            RecordsWriter<BuilderLine> lines = builder.AddRecords<BuilderLine>("lines");
            HeapWriter heap = builder.AddHeap("heap");
            Assert.Equal(default, heap.AppendString(string.Empty));
            Assert.Equal(default, heap.AppendString(null));
            Assert.Equal(0, heap.Count);

            first = heap.AppendString("ab");

            // A lone surrogate has no UTF-8 form: refused, nothing appended, the next value lands where it would have.
            Assert.Throws<ArgumentException>(() => heap.AppendString(new string('z', 40) + "\ud800"));
            Assert.Throws<ArgumentException>(() => lines.Append(new BuilderLine { Id = 1, Text = "\udc00" }, heap));
            Assert.Equal((1L, 0L), (heap.Count, lines.Count));
            second = heap.AppendString("cd");
            Assert.Equal(first.Offset + 16, second.Offset);

            lines.Append(new BuilderLine { Id = 2, Text = string.Empty }, heap);
            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        HeapSection read = container.Heap("heap");
        Assert.Equal("cd", Encoding.UTF8.GetString(read.ToArray(second)));
        BuilderLine.ReadOnlyView line = container.Records<BuilderLine.ReadOnlyView>("lines")[0];
        Assert.True(line.Text.Reference.IsNull);
        Assert.Equal((2L, string.Empty), (line.Load(read).Id, line.Load(read).Text));

        // The refused string's bytes were cleared: the heap after "ab" and "cd" holds zeros only.
        SectionInfo section = container.Sections.Single(s => s.Name == "heap");
        byte[] file = File.ReadAllBytes(temp.Path);
        Assert.Equal(8 + 16 + 16, section.Length);
        Assert.All(file.AsSpan((int)section.Offset + 8 + 8 + 2, 6).ToArray(), b => Assert.Equal(0, b)); // "ab"'s padding
        Assert.All(file.AsSpan((int)section.Offset + 8 + 16 + 8 + 2, 6).ToArray(), b => Assert.Equal(0, b)); // "cd"'s padding
    }

    [Fact]
    public void ABuilderKilledBeforeSealLeavesNothingAtThePathAndNoValidContainer()
    {
        using var temp = new TempPath();
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add("build-unsealed");
        start.ArgumentList.Add(temp.Path);
        start.ArgumentList.Add(Tag.ToString("X", CultureInfo.InvariantCulture));
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        string[] leftovers = [];
        try
        {
            using (Process process = Process.Start(start)!)
            {
                Assert.Equal("appended", process.StandardOutput.ReadLine());
                process.Kill(); // SIGKILL: no Dispose, no Seal
                process.WaitForExit();
            }

            // The old path is untouched; what the crash left is the file being built (the hinted
            // records and the heap in it, no table yet) and the spills (the records past the hint,
            // the raw section): none opens.
            Assert.False(File.Exists(temp.Path));
            leftovers = Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".build-*");
            string building = Assert.Single(leftovers, f => f.EndsWith(".tmp", StringComparison.Ordinal));
            Assert.True(new FileInfo(building).Length > Chunk);
            Assert.All(leftovers, f => Assert.Throws<InvalidDataException>(() => MappedContainer.Open(f, Tag, MapAccess.Read)));
        }
        finally
        {
            foreach (string file in leftovers)
            {
                File.Delete(file);
            }
        }
    }

    private static byte[] Blob(int seed, int length = -1)
    {
        var bytes = new byte[length < 0 ? seed % 3000 : length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }
}
