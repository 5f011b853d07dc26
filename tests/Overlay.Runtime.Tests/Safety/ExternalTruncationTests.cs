using System;
using System.Diagnostics;
using System.IO;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Layouts;
using Overlay.Tests.Formats;
using Overlay.Tests.Indexes;
using Overlay.Tests.Layouts;
using Xunit;
using WritableFile = Overlay.Layouts.RecordFile<Overlay.Tests.Layouts.TestHeader.View, Overlay.Tests.Layouts.TestRecord.View>;

namespace Overlay.Tests.Safety;

/// <summary>
/// Another handle (as another process would) truncates a file while it is mapped
/// (docs/durability.md, "External changes"): what .NET does when a lost page is touched, and every
/// operation that makes a system call anyway refusing with <see cref="FileTruncatedException"/>
/// before it touches one. Each test ends without a fault: a SIGBUS would end the test host.
/// </summary>
public class ExternalTruncationTests
{
    private const int Page = 4096;

    private static void Cut(string path, long length)
    {
        using var other = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        other.SetLength(length);
    }

    [Fact]
    public void TouchingALostPageEndsTheProcessWithAFatalAccessViolation()
    {
        // Recorded, not wished for: .NET 10 turns the SIGBUS into an AccessViolationException that
        // no catch block sees ("Fatal error."), then aborts (SIGABRT, exit code 134).
        using TempPath file = new TempPath().WithBytes(2 * Page);
        string probe = Path.Combine(AppContext.BaseDirectory, "Overlay.Probes.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add("touch-truncated-page");
        start.ArgumentList.Add(file.Path);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));

        string report = $"exit {process.ExitCode}\nstdout:\n{output}\nstderr:\n{error}";
        Assert.Equal(134, process.ExitCode);
        Assert.StartsWith("truncated", output, StringComparison.Ordinal);
        Assert.DoesNotContain("caught", output, StringComparison.Ordinal);   // the catch never ran
        Assert.DoesNotContain("read", output, StringComparison.Ordinal);
        Assert.True(error.Contains("Fatal error.", StringComparison.Ordinal) && error.Contains("System.AccessViolationException", StringComparison.Ordinal), report);
    }

    [Fact]
    public void SizeRefusesAFileCutUnderTheMap()
    {
        using TempPath file = new TempPath().WithBytes(3 * Page);
        using MemoryMap map = MemoryMap.Open(file.Path);
        Assert.Equal(3 * Page, map.Size());

        Cut(file.Path, Page);
        FileTruncatedException error = Assert.Throws<FileTruncatedException>(() => map.Size());
        Assert.Equal((Page, 3L * Page), (error.FileLength, error.MappedEnd));
        Assert.Contains("truncated it while it was mapped", error.Message, StringComparison.Ordinal);

        // Growing the file back to what the map covers makes it whole again (the lost bytes read as zeros).
        Cut(file.Path, 3 * Page);
        Assert.Equal(3 * Page, map.Size());
    }

    [Fact]
    public void SizeOfAMapAtAnOffsetComparesWithTheOffsetPlusTheLength()
    {
        using TempPath file = new TempPath().WithBytes(4 * 65536);
        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        using var map = new MemoryMap(stream.SafeFileHandle, 65536, offset: 2 * 65536);
        Cut(file.Path, 3 * 65536);   // the map still covers [2, 3) x 64 KiB: whole
        Assert.Equal(3 * 65536, map.Size());
        Cut(file.Path, 3 * 65536 - 1);
        Assert.Equal(3L * 65536, Assert.Throws<FileTruncatedException>(() => map.Size()).MappedEnd);
    }

    [Theory]
    [InlineData(5 * Page)]   // growing would fill the lost bytes with zeros and hide the loss
    [InlineData(2 * Page)]   // shrinking, even to less than the file has left
    [InlineData(Page / 2)]
    public void ResizeRefusesAndChangesNothing(long newSize)
    {
        using TempPath file = new TempPath().WithBytes(3 * Page, 0x5A);
        using MemoryMap map = MemoryMap.Open(file.Path);
        Cut(file.Path, Page);

        Assert.Throws<FileTruncatedException>(() => map.Resize(newSize));
        Assert.Equal(3 * Page, map.Length);
        Assert.Equal(Page, new FileInfo(file.Path).Length);
        Assert.Equal(0x5A, map[Page - 1]);   // the page the file kept is still mapped and readable
    }

    [Fact]
    public void ARecordFileRefusesGrowthFlushAndTheSealAndClosesWithoutTouchingTheLostPages()
    {
        using TempPath file = new();
        var records = WritableFile.Create(file.Path, RecordFileTests.Magic, initialCapacity: 256);
        for (int i = 0; i < 256; i++)
        {
            records.Append().Id = i;
        }

        records.Flush();
        long fullLength = new FileInfo(file.Path).Length;
        Cut(file.Path, Page);   // the prefix, the header and the first records stay

        // Append past the capacity grows the file; EnsureCapacity too; both refuse first.
        Assert.Equal(256, records.Capacity);
        Assert.Throws<FileTruncatedException>(() => records.Append());
        Assert.Throws<FileTruncatedException>(() => records.EnsureCapacity(1000));
        Assert.Throws<FileTruncatedException>(() => records.Flush());
        Assert.Equal(256, records.Count);
        Assert.Equal(0L, records[0].Id);   // a record on a page the file kept reads as before

        FileTruncatedException closing = Assert.Throws<FileTruncatedException>(records.Dispose);
        Assert.Equal(fullLength, closing.MappedEnd);
        Assert.Throws<ObjectDisposedException>(() => records.Count);
        records.Dispose();   // closed already: nothing more
        Assert.Equal(Page, new FileInfo(file.Path).Length);   // neither grown back nor trimmed

        // The lock went with it; the cut file itself is refused as any short file is.
        Assert.Throws<InvalidDataException>(() => WritableFile.Open(file.Path, RecordFileTests.Magic).Dispose());
    }

    [Fact]
    public void AContainerRefusesGrowthAndCommit()
    {
        using TempPath file = ContainerFiles.Sample();
        using MappedContainer container = MappedContainer.Open(file.Path, ContainerFiles.Tag);
        RecordSection<TestRecord.View> people = container.Records<TestRecord.View>("people");
        long length = new FileInfo(file.Path).Length;
        Cut(file.Path, length - 1);

        Assert.Throws<FileTruncatedException>(() => people.EnsureCapacity(1_000_000));
        Assert.Throws<FileTruncatedException>(() => container.Raw("blob").Append(new byte[1 << 20]));
        Assert.Throws<FileTruncatedException>(container.Commit);
        Assert.Equal(length - 1, new FileInfo(file.Path).Length);
    }

    [Fact]
    public void AHashIndexRefusesGrowthAndFlush()
    {
        using TempPath file = new();
        var index = MappedHashIndex<ulong, TwinValue>.Create(file.Path, new HashIndexOptions { InitialCapacity = 16 });
        long capacity = index.Capacity;
        ulong key = 0;
        while (index.Count < capacity / 2)
        {
            index.TryAdd(key++);
        }

        // One byte off the end: every page still has file behind it (nothing faults), yet the map
        // covers more than the file, which is what the checks compare.
        long length = new FileInfo(file.Path).Length;
        Cut(file.Path, length - 1);
        Assert.Throws<FileTruncatedException>(() =>
        {
            while (index.Capacity == capacity)
            {
                index.TryAdd(key++);
            }
        });
        Assert.Throws<FileTruncatedException>(index.Flush);
        Assert.Equal(capacity, index.Capacity);
        Assert.Throws<FileTruncatedException>(index.Dispose);   // closed all the same, its lock released
        Assert.Throws<ObjectDisposedException>(() => index.Count);
        Assert.Equal(length - 1, new FileInfo(file.Path).Length);
    }

    [Fact]
    public void OpeningAFileSomeoneCutIsRefusedByItsOwnChecks()
    {
        // Open maps what the file has now: a cut before it is a short file, which every format
        // already refuses (the hostile-file tests cover each length); a cut after it, the
        // operations above.
        using TempPath file = ContainerFiles.Sample();
        Cut(file.Path, 8191);
        Assert.Throws<InvalidDataException>(() => MappedContainer.Open(file.Path, ContainerFiles.Tag).Dispose());
    }
}
