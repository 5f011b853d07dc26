using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Probes;
using Overlay.Tests.Layouts;
using Overlay.Tests.Safety;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// A <see cref="ContainerBuilder"/> append whose chunk write really fails (docs/formats.md §1.4): the
/// probe <c>build-past-file-size-limit</c> lowers its file-size limit (<c>RLIMIT_FSIZE</c>) so that
/// the refused value's third chunk is written in part and then refused with EFBIG, as a full disk
/// would, lifts the limit, appends more and seals. The refused value must leave nothing: the counts
/// are as before it, and the sealed file is byte for byte the one the same build without it gives.
/// <see cref="BuilderLimitWorkload"/> describes the build.
/// </summary>
public class ContainerBuilderFileSizeLimitTests
{
    private const ulong Tag = ContainerFiles.Tag;

    [Theory]
    [InlineData(LimitCase.Blob, false)] // the heap streams into the new file: the refused chunk's start is written there
    [InlineData(LimitCase.Blob, true)] // the heap spills to a temporary file
    [InlineData(LimitCase.String, false)]
    [InlineData(LimitCase.String, true)]
    [InlineData(LimitCase.Parcel, false)] // the record's Name is in the heap's chunk when its Note fails
    [InlineData(LimitCase.Parcel, true)]
    [InlineData(LimitCase.Slab, false)] // a record over a chunk appended without a heap: two chunks of it go before the failure
    [InlineData(LimitCase.Slab, true)]
    [InlineData(LimitCase.SlabWithHeap, false)]
    [InlineData(LimitCase.SlabWithHeap, true)]
    [InlineData(LimitCase.Raw, false)]
    [InlineData(LimitCase.Raw, true)]
    public void AnAppendRefusedByTheFileSizeLimitLeavesNothingAndTheBuilderSealsTheRest(LimitCase limitCase, bool spilled)
    {
        using var temp = new TempPath();
        using var reference = new TempPath();
        (int exitCode, string output, string error) = ProbeRunner.RunIgnoringFileSizeSignal(
            "build-past-file-size-limit", temp.Path, Tag.ToString("X", CultureInfo.InvariantCulture), limitCase.ToString(), spilled.ToString());
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode == 0 && lines.LastOrDefault() == "ok", $"the probe exited {exitCode} (153 is SIGXFSZ: the signal was not ignored)\nstdout:\n{output}\nstderr:\n{error}");

        // The failure is the documented IOException, and nothing of the value is counted.
        Assert.StartsWith("refused System.IO.IOException: ", Assert.Single(lines, l => l.StartsWith("refused ", StringComparison.Ordinal) || l == "accepted"), StringComparison.Ordinal);
        Assert.Equal(Value(lines, "before"), Value(lines, "after"));

        // The builder went on and sealed: the file is the one the build without the refused value gives.
        long length = BuilderLimitWorkload.Build(reference.Path, Tag, limitCase, spilled, refuse: null);
        Assert.Equal(length.ToString(CultureInfo.InvariantCulture), Value(lines, "sealed"));
        byte[] sealedFile = File.ReadAllBytes(temp.Path);
        byte[] expected = File.ReadAllBytes(reference.Path);
        int differs = sealedFile.AsSpan().CommonPrefixLength(expected);
        Assert.True(differs == expected.Length && sealedFile.Length == expected.Length, $"the sealed file ({sealedFile.Length} bytes) differs from the reference ({expected.Length} bytes) at byte {differs}");
        Assert.Equal(-1, sealedFile.AsSpan().IndexOf(BuilderLimitWorkload.Marker));

        // It opens and reads back: the parcels appended around the refusal, with their strings.
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            HeapSection heap = container.Heap("heap");
            RecordSection<LimitParcel.ReadOnlyView> parcels = container.Records<LimitParcel.ReadOnlyView>("parcels");
            long[] ids = limitCase == LimitCase.Parcel ? [11, 2, 3, 12] : [2, 3];
            Assert.Equal(ids, Enumerable.Range(0, (int)parcels.Count).Select(i => parcels[i].Load(heap).Id));
            Assert.Equal("after", parcels[Array.IndexOf(ids, 3)].Load(heap).Note);
        }

        // No temporary file of the build is left.
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".build-*"));
    }

    [Fact]
    public void ASealRefusedByTheFileSizeLimitLeavesTheOldFileAndNoTemporaryOneAndTheBuilderRefusesMore()
    {
        using var temp = new TempPath();
        byte[] old = "the file Seal would have replaced"u8.ToArray();
        File.WriteAllBytes(temp.Path, old);
        (int exitCode, string output, string error) = ProbeRunner.RunIgnoringFileSizeSignal(
            "seal-past-file-size-limit", temp.Path, Tag.ToString("X", CultureInfo.InvariantCulture));
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode == 0 && lines.LastOrDefault() == "ok", $"the probe exited {exitCode} (153 is SIGXFSZ: the signal was not ignored)\nstdout:\n{output}\nstderr:\n{error}");

        // Seal's documented failure; then the builder is spent, and says the seal failed and how it
        // left the files (not "sealed"), also once the disk has room again.
        string seal = Value(lines, "seal");
        Assert.StartsWith("refused System.IO.IOException: ", seal, StringComparison.Ordinal);
        string spent = $"refused System.InvalidOperationException: Seal failed before the new file was complete: the new file was removed and '{Path.GetFullPath(temp.Path)}' is untouched (IOException: {seal["refused System.IO.IOException: ".Length..]}). The builder is spent: nothing more can be added or sealed; build the file again with a new builder.";
        Assert.Equal(spent, Value(lines, "append"));
        Assert.Equal(spent, Value(lines, "reseal"));

        Assert.Equal(old, File.ReadAllBytes(temp.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".build-*"));
    }

    [Fact]
    public void AChunkWriteThatFailsInTheBackgroundIsReportedByTheNextAppendAndWrittenAgain()
    {
        // Small records: each heap chunk is written on a pool thread while the next is filled. The
        // one that crosses the limit fails there; the append that joins it (at the next chunk's
        // write) throws and appends nothing; the chunk is written again once the limit is lifted.
        using var temp = new TempPath();
        using var reference = new TempPath();
        (int exitCode, string output, string error) = ProbeRunner.RunIgnoringFileSizeSignal(
            "stream-past-file-size-limit", temp.Path, Tag.ToString("X", CultureInfo.InvariantCulture));
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode == 0 && lines.LastOrDefault() == "ok", $"the probe exited {exitCode} (153 is SIGXFSZ: the signal was not ignored)\nstdout:\n{output}\nstderr:\n{error}");

        string[] refused = Value(lines, "refused").Split(' ', 2);
        int index = int.Parse(refused[0], CultureInfo.InvariantCulture);
        Assert.StartsWith("System.IO.IOException: ", refused[1], StringComparison.Ordinal);

        // Refused by the append after the failed chunk was handed out (a heap chunk holds over 8,000
        // records): the limit is inside the heap's third chunk, so the fourth one's write joins it.
        Assert.InRange(index, 3 * 8_000, BuilderStreamLimitWorkload.Total - 1);
        long length = BuilderStreamLimitWorkload.Build(reference.Path, Tag, index, append: null);
        Assert.Equal(length.ToString(CultureInfo.InvariantCulture), Value(lines, "sealed"));
        byte[] sealedFile = File.ReadAllBytes(temp.Path);
        byte[] expected = File.ReadAllBytes(reference.Path);
        int differs = sealedFile.AsSpan().CommonPrefixLength(expected);
        Assert.True(differs == expected.Length && sealedFile.Length == expected.Length, $"the sealed file ({sealedFile.Length} bytes) differs from the reference ({expected.Length} bytes) at byte {differs}");

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        HeapSection heap = container.Heap("heap");
        RecordSection<LimitParcel.ReadOnlyView> parcels = container.Records<LimitParcel.ReadOnlyView>("parcels");
        Assert.Equal(BuilderStreamLimitWorkload.Total - 1, parcels.Count);
        Assert.Equal(index + 1, parcels[index].Load(heap).Id);
        Assert.Equal($"parcel {BuilderStreamLimitWorkload.Total - 1}", parcels[parcels.Count - 1].Load(heap).Name);
    }

    private static string Value(string[] lines, string key) =>
        Assert.Single(lines, l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];
}
