using System;
using System.IO;
using Overlay.Formats;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

/// <summary>
/// <see cref="ContainerBuilder"/> calls that fail part-way, in this process (docs/formats.md §1.4): a
/// temporary spill file the builder cannot create (a file already has its name) fails the write that
/// needed it with an <see cref="IOException"/>, as a full disk would. Every failed call must leave the
/// builder as before it, or spent with a message that says what happened; the file-size-limit tests
/// (<see cref="ContainerBuilderFileSizeLimitTests"/>) make the writes themselves fail.
/// </summary>
public class ContainerBuilderFailureTests
{
    private const ulong Tag = ContainerFiles.Tag;
    private const int Hinted = 100; // TestRecord: 32 bytes, so the reservation is 3,200 bytes
    private const int Appended = (BuilderSection.ChunkSize / 32) + 50; // one chunk and a bit: one spill past the reservation

    [Fact]
    public void ASpillPastTheReservationThatFailsAndIsWrittenAgainCountsItsBytesOnceAndGivesTheSameFile()
    {
        using var reference = new TempPath();
        using var temp = new TempPath();
        BuildPastTheHint(reference.Path, failOnce: false, out long referenceUnflushed);
        BuildPastTheHint(temp.Path, failOnce: true, out long unflushed);

        // Both builds wrote the reservation into the new file once: the bytes counted towards the
        // next background flush are those, not twice the part written before the failed spill.
        Assert.Equal(Hinted * 32L, referenceUnflushed);
        Assert.Equal(referenceUnflushed, unflushed);
        Assert.Equal(File.ReadAllBytes(reference.Path), File.ReadAllBytes(temp.Path));
    }

    [Fact]
    public void AppendZerosThatFailsInAChunkWriteAppendsNothing()
    {
        using var temp = new TempPath();
        using ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag);
        RawWriter lead = builder.AddRaw("lead");
        lead.Append(new byte[BuilderSection.ChunkSize + 1]); // fills a chunk first: it streams into the new file
        var section = new BuilderSection(builder, new SectionEntry { Name = "zeros", Kind = SectionKind.Raw, Stride = 1 });

        // Three chunks of zeros: the first fills the chunk, the second must spill it to a temporary file, which fails.
        using (BlockSpill(temp.Path, 1))
        {
            Assert.Throws<IOException>(() => section.AppendZeros(3 * BuilderSection.ChunkSize));
        }

        Assert.Equal(0, section.Entry.Length);
        Assert.Equal(0, section.Pending.Length);
        Assert.Equal(0, section.Written);

        // The section takes more as if the failed call had not been made.
        section.AppendZeros(3 * BuilderSection.ChunkSize);
        Assert.Equal(3L * BuilderSection.ChunkSize, section.Entry.Length);
        Assert.Equal(section.Entry.Length, section.Written + section.Pending.Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // without flushes to disk, the same failure leaves the same files and the same message
    public void AfterAFailedSealEveryCallSaysTheSealFailedAndHowTheFilesWereLeft(bool flushToDisk)
    {
        using var temp = new TempPath();
        byte[] old = "the file Seal would have replaced"u8.ToArray();
        File.WriteAllBytes(temp.Path, old);
        using ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag, flushToDisk: flushToDisk);
        HeapWriter heap = builder.AddHeap("heap");
        RecordsWriter<TestRecord> records = builder.AddRecords<TestRecord>("records", 10);
        for (int i = 0; i < 20; i++)
        {
            records.Append(ContainerFiles.Record(i));
        }

        // Seal writes the records' first 10 into their reservation and must spill the other 10 to a temporary file.
        IOException failure;
        using (BlockSpill(temp.Path, 1))
        {
            failure = Assert.Throws<IOException>(() => builder.Seal());
        }

        foreach (Action call in new Action[] { () => builder.Seal(), () => heap.AppendString("after"), () => records.Append(ContainerFiles.Record(1)), () => builder.AddRaw("raw") })
        {
            InvalidOperationException spent = Assert.Throws<InvalidOperationException>(call);
            Assert.StartsWith($"Seal failed before the new file was complete: the new file was removed and '{Path.GetFullPath(temp.Path)}' is untouched (IOException: ", spent.Message, StringComparison.Ordinal);
            Assert.Contains("The builder is spent", spent.Message, StringComparison.Ordinal);
            Assert.Same(failure, spent.InnerException);
        }

        Assert.Equal(old, File.ReadAllBytes(temp.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".build-*"));
    }

    [Fact]
    public void ASchemaSectionTakesANameTheCallerLeftFree()
    {
        using var temp = new TempPath();
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            builder.AddRaw("schema.0").Append("the caller's own"u8);
            RecordsWriter<TestRecord> records = builder.AddRecords<TestRecord>("records");
            records.Append(ContainerFiles.Record(7));
            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal("the caller's own"u8.ToArray(), container.Raw("schema.0").ToArray());
        Assert.Equal(7, container.Records<TestRecord.ReadOnlyView>("records")[0].Id);
        Assert.NotNull(container.GetSchema("records"));
    }

    private static void BuildPastTheHint(string path, bool failOnce, out long unflushed)
    {
        using ContainerBuilder builder = ContainerBuilder.Create(path, Tag);
        RecordsWriter<TestRecord> records = builder.AddRecords<TestRecord>("records", Hinted);
        for (int i = 0; i < Appended; i++)
        {
            if (failOnce && i == BuilderSection.ChunkSize / 32)
            {
                // The chunk is full: this append spills it, the reservation's part into the new file,
                // the rest into a temporary file that cannot be created. Nothing is appended.
                using (BlockSpill(path, 1))
                {
                    Assert.Throws<IOException>(() => records.Append(ContainerFiles.Record(i)));
                }

                Assert.Equal(i, records.Count);
            }

            records.Append(ContainerFiles.Record(i));
        }

        unflushed = builder.Unflushed;
        builder.Seal();
    }

    // A file at the name of the builder's n-th temporary spill file: creating it fails (CreateNew).
    private static Blocker BlockSpill(string path, int spill)
    {
        string build = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(path) + ".build-*.tmp"));
        var blocker = new Blocker(build + "." + spill);
        File.WriteAllBytes(blocker.Path, [1]);
        return blocker;
    }

    private sealed record Blocker(string Path) : IDisposable
    {
        public void Dispose() => File.Delete(Path);
    }
}
