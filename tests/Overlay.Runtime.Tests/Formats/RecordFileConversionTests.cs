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

namespace Overlay.Tests.Formats;

using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;
using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary><see cref="MappedContainer.ConvertRecordFile"/>: a record file becomes a real container with the same sections.</summary>
public class RecordFileConversionTests
{
    private const ulong Magic = RecordFileTests.Magic;

    internal static string Strays(string path) =>
        string.Join(", ", Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".convert-*"));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(500, true)]
    [InlineData(500, false)]
    public void TheContainerHoldsTheSameSectionsAndCanGainNewOnes(int records, bool schemas)
    {
        using TempPath source = RecordFileViewTests.Made(records, schemas);
        using var target = new TempPath();
        string before = RecordFileViewTests.Hash(source.Path);
        Assert.Equal(records, MappedContainer.ConvertRecordFile(source.Path, target.Path, Magic));
        Assert.Equal(before, RecordFileViewTests.Hash(source.Path));
        Assert.Equal(string.Empty, Strays(target.Path));

        using (MappedContainer container = MappedContainer.Open(target.Path, Magic))
        using (ReadOnlyFile file = ReadOnlyFile.Open(source.Path, Magic, MapAccess.Read))
        {
            Assert.False(container.IsRecordFile);
            Assert.True(container.CanWrite);
            Assert.Equal(schemas ? new[] { "header", "records", "schema.0", "schema.1" } : new[] { "header", "records" }, container.Sections.Select(s => s.Name));
            RecordSection<TestRecord.View> section = container.Records<TestRecord.View>("records");
            Assert.Equal(file.Count, section.Count);
            for (int i = 0; i < records; i++)
            {
                Assert.Equal((file[i].Id, file[i].Value, file[i].Flags, file[i].Tag), (section[i].Id, section[i].Value, section[i].Flags, section[i].Tag));
            }

            Assert.Equal(file.Header.CreatedTicks, container.Records<TestHeader.ReadOnlyView>("header")[0].CreatedTicks);
            if (schemas)
            {
                Assert.Equal(TestRecord.LayoutFingerprint, container.GetSchema("records")!.Fingerprint);
            }

            // What a record file cannot do: grow a heap beside the records, append, commit.
            HeapSection heap = container.AddHeap("names");
            heap.Allocate("a name"u8);
            section.Append().Id = 12345;
            container.Commit();
        }

        using MappedContainer reopened = MappedContainer.Open(target.Path, Magic, MapAccess.Read);
        Assert.Equal(records + 1, reopened.Records<TestRecord.ReadOnlyView>("records").Count);
        Assert.Equal(12345, reopened.Records<TestRecord.ReadOnlyView>("records")[records].Id);
    }

    [Fact]
    public void ConvertingInPlaceReplacesTheRecordFileWithTheContainer()
    {
        using TempPath temp = RecordFileViewTests.Made(20);
        using var expected = new TempPath();
        MappedContainer.ConvertRecordFile(temp.Path, expected.Path, Magic);

        Assert.Equal(20, MappedContainer.ConvertRecordFile(temp.Path, temp.Path, Magic));
        Assert.Equal(File.ReadAllBytes(expected.Path), File.ReadAllBytes(temp.Path));
        Assert.Equal(string.Empty, Strays(temp.Path));
        using (MappedContainer container = MappedContainer.Open(temp.Path, Magic, MapAccess.Read))
        {
            Assert.False(container.IsRecordFile);
            Assert.Equal(19, container.Records<TestRecord.ReadOnlyView>("records")[19].Id);
        }

        // The path holds a container now: a record file writer refuses it, a second conversion too.
        Assert.Throws<InvalidDataException>(() => WritableFile.Open(temp.Path, Magic));
        Assert.Throws<InvalidDataException>(() => MappedContainer.ConvertRecordFile(temp.Path, temp.Path, Magic));
        Assert.Equal(File.ReadAllBytes(expected.Path), File.ReadAllBytes(temp.Path));
    }

    /// <summary>
    /// A writer that opens the record file after the conversion has copied it and before the
    /// container takes its name: its appends would go to a file that is no longer at the path.
    /// The conversion holds the writer lock through the rename, so the writer is refused and
    /// the container holds every record there is.
    /// </summary>
    [Fact]
    public void AWriterOpeningTheRecordFileJustBeforeAnInPlaceRenameIsRefused()
    {
        using TempPath temp = RecordFileViewTests.Made(5);
        string full = Path.GetFullPath(temp.Path);
        Exception? refused = null;
        int hooked = 0;
        MappedContainer.BeforeConversionRenameForTests = path =>
        {
            if (path != full)
            {
                return; // another test's conversion, running beside this one
            }

            hooked++;
            refused = Record.Exception(() =>
            {
                using WritableFile writer = WritableFile.Open(full, Magic);
                writer.Append().Id = 99;
            });
        };
        try
        {
            Assert.Equal(5, MappedContainer.ConvertRecordFile(temp.Path, temp.Path, Magic));
        }
        finally
        {
            MappedContainer.BeforeConversionRenameForTests = null;
        }

        Assert.Equal(1, hooked);
        Assert.IsType<IOException>(refused);
        Assert.Contains("open for writing elsewhere", refused!.Message);
        using MappedContainer container = MappedContainer.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(5, container.Records<TestRecord.ReadOnlyView>("records").Count);
    }

    [Fact]
    public void AnExistingTargetADamagedSourceAndABadTableSizeWriteNothing()
    {
        using TempPath source = RecordFileViewTests.Made(3);
        using TempPath existing = new TempPath().WithBytes(10, 9);
        IOException exists = Assert.Throws<IOException>(() => MappedContainer.ConvertRecordFile(source.Path, existing.Path, Magic));
        Assert.Contains("already exists", exists.Message);
        Assert.Equal(Enumerable.Repeat((byte)9, 10), File.ReadAllBytes(existing.Path));

        using var target = new TempPath();
        Assert.Throws<ArgumentOutOfRangeException>(() => MappedContainer.ConvertRecordFile(source.Path, target.Path, Magic, maximumEntries: 3));
        Assert.Throws<InvalidDataException>(() => MappedContainer.ConvertRecordFile(source.Path, target.Path, Magic + 1));
        Assert.Throws<FileNotFoundException>(() => MappedContainer.ConvertRecordFile(source.Path + ".missing", target.Path, Magic));
        using (var stream = new FileStream(source.Path, FileMode.Open))
        {
            stream.SetLength(RecordFileTests.RecordsOffset + 40); // 3 records claimed, 1 fits
        }

        string before = RecordFileViewTests.Hash(source.Path);
        Assert.Throws<InvalidDataException>(() => MappedContainer.ConvertRecordFile(source.Path, target.Path, Magic));
        Assert.Throws<InvalidDataException>(() => MappedContainer.ConvertRecordFile(source.Path, source.Path, Magic));
        Assert.Equal(before, RecordFileViewTests.Hash(source.Path));
        Assert.False(File.Exists(target.Path));
        Assert.Equal(string.Empty, Strays(target.Path));
        Assert.Equal(string.Empty, Strays(source.Path));
    }
}

/// <summary>Conversions killed with SIGKILL (a child process): the source intact, and no container or a whole one.</summary>
public class RecordFileConversionKillTests(ITestOutputHelper output)
{
    private const ulong Magic = RecordFileTests.Magic;

    [Fact]
    public void AConversionKilledAtAnyMomentLeavesTheSourceAndNoContainerOrAWholeOne()
    {
        // 24 MiB of records: 24 chunks of 1 MiB, a 2 ms pause after each.
        using var source = new TempPath();
        using (WritableFile file = WritableFile.Create(source.Path, Magic))
        {
            RecordFileTests.Fill(file, 24 << 15);
        }

        string original = RecordFileViewTests.Hash(source.Path);
        using var reference = new TempPath();
        MappedContainer.ConvertRecordFile(source.Path, reference.Path, Magic);
        byte[] converted = File.ReadAllBytes(reference.Path);

        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var random = new Random(8);
        int absent = 0, whole = 0;
        for (int run = 0; run < 10; run++)
        {
            using var target = new TempPath();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(probe);
            start.ArgumentList.Add("convert-slowly");
            start.ArgumentList.Add(source.Path);
            start.ArgumentList.Add(target.Path);
            start.ArgumentList.Add(Magic.ToString("X", CultureInfo.InvariantCulture));
            start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            using Process process = Process.Start(start)!;
            Assert.Equal("started", process.StandardOutput.ReadLine());

            // From at once to past the end of a conversion (about 100-400 ms here, loaded).
            int delay = (run * 60) + random.Next(60);
            System.Threading.Thread.Sleep(delay);
            process.Kill(); // SIGKILL
            process.WaitForExit();

            Assert.Equal(original, RecordFileViewTests.Hash(source.Path));
            if (File.Exists(target.Path))
            {
                Assert.True(File.ReadAllBytes(target.Path).AsSpan().SequenceEqual(converted), $"run {run} (killed after {delay} ms): the container is not the whole conversion");
                whole++;
            }
            else
            {
                // The next conversion removes what the killed one left, and completes.
                MappedContainer.ConvertRecordFile(source.Path, target.Path, Magic);
                Assert.Equal(converted, File.ReadAllBytes(target.Path));
                Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target.Path)!, Path.GetFileName(target.Path) + ".convert-*"));
                absent++;
            }

            foreach (string stray in Directory.GetFiles(Path.GetDirectoryName(target.Path)!, Path.GetFileName(target.Path) + ".convert-*"))
            {
                File.Delete(stray);
            }
        }

        // The lock died with the killed processes: a writer can open the source.
        using (WritableFile writer = WritableFile.Open(source.Path, Magic))
        {
            Assert.Equal(24 << 15, writer.Count);
        }

        output.WriteLine($"killed 10 conversions: {absent} left no container, {whole} a whole one");
    }
}
