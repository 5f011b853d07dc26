using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Formats;
using Overlay.Platform;
using Overlay.Tests.Layouts;
using Overlay.Tests.Safety;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Formats;

/// <summary>
/// Every writer that creates or renames a container syncs the directory afterwards (docs/formats.md
/// §5), so the new name survives a power loss: seen through the platform seam, at the moment of the call.
/// </summary>
public class DirectorySyncTests
{
    private static readonly string TempDirectory = Path.GetDirectoryName(Path.GetFullPath(new TempPath().Path))!;

    [Fact]
    public void CompactSyncsTheDirectoryAfterTheRename()
    {
        using TempPath temp = Sample();
        long before = new FileInfo(temp.Path).Length;
        var synced = new List<(string Directory, long Length, bool TempLeft)>();
        var platform = new FaultyPlatform();
        platform.OnSyncDirectory = directory => synced.Add((directory, new FileInfo(temp.Path).Length, StrayTemp(temp.Path, ".compact-")));
        using (MapPlatform.Override(platform))
        {
            MappedContainer.Compact(temp.Path, Tag);
        }

        // One sync, of the file's directory, when the compacted file already had the name.
        (string directory, long length, bool tempLeft) = Assert.Single(synced);
        Assert.Equal(TempDirectory, directory);
        Assert.False(tempLeft);
        Assert.Equal(new FileInfo(temp.Path).Length, length);
        Assert.True(length < before);
    }

    [Fact]
    public void UpgradeSyncsTheDirectoryAfterTheRename()
    {
        using TempPath temp = Sample();
        var synced = new List<(string Directory, bool TempLeft)>();
        var platform = new FaultyPlatform();
        platform.OnSyncDirectory = directory => synced.Add((directory, StrayTemp(temp.Path, ".upgrade-")));
        using (MapPlatform.Override(platform))
        {
            MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TestRecord>("people"));
        }

        Assert.Equal((TempDirectory, false), Assert.Single(synced));
        using MappedContainer upgraded = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal(10, upgraded.Records<TestRecord.ReadOnlyView>("people").Count);
    }

    [Fact]
    public void SealSyncsTheDirectoryAfterTheRename()
    {
        using var temp = new TempPath();
        var synced = new List<(string Directory, bool Named)>();
        var platform = new FaultyPlatform();
        platform.OnSyncDirectory = directory => synced.Add((directory, File.Exists(temp.Path)));
        using (MapPlatform.Override(platform))
        {
            using ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag);
            builder.AddRecords<TestRecord>("people").Append(Record(1));
            builder.Seal();
        }

        Assert.Equal((TempDirectory, true), Assert.Single(synced));
    }

    [Fact]
    public void ASealWhoseDirectorySyncFailsLeavesTheSealedFileAndSaysSoToEveryLaterCall()
    {
        using var temp = new TempPath();
        var platform = new FaultyPlatform();
        platform.OnSyncDirectory = _ => throw new IOException("the disk went away");
        using ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag);
        RecordsWriter<TestRecord> people = builder.AddRecords<TestRecord>("people");
        people.Append(Record(1));
        IOException failure;
        using (MapPlatform.Override(platform))
        {
            failure = Assert.Throws<IOException>(() => builder.Seal());
        }

        // The rename was done: the sealed file is at the path, complete, and no temporary file is left.
        Assert.Contains("syncing its directory failed", failure.Message, StringComparison.Ordinal);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            Assert.Equal(1, container.Records<TestRecord.ReadOnlyView>("people")[0].Id);
        }

        Assert.False(StrayTemp(temp.Path, ".build-"));
        InvalidOperationException spent = Assert.Throws<InvalidOperationException>(() => people.Append(Record(2)));
        Assert.StartsWith($"Seal failed after it renamed the new file to '{Path.GetFullPath(temp.Path)}': the sealed file is there, complete and flushed, but its name may not survive a power loss (IOException: ", spent.Message, StringComparison.Ordinal);
        Assert.Same(failure, spent.InnerException);
        builder.Dispose();
        Assert.True(File.Exists(temp.Path));
    }

    [Fact]
    public void CreateSyncsTheDirectoryOnceBothSlotsAreWritten()
    {
        using var temp = new TempPath();
        var synced = new List<(string Directory, long Length)>();
        var platform = new FaultyPlatform();
        platform.OnSyncDirectory = directory => synced.Add((directory, new FileInfo(temp.Path).Length));
        using (MapPlatform.Override(platform))
        {
            using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        }

        (string directory, long length) = Assert.Single(synced);
        Assert.Equal(TempDirectory, directory);
        Assert.Equal(8192, length); // both 4 KiB slots
    }

    [Fact]
    public void RecordFileCreateSyncsTheDirectoryOnceItsPrefixIsOnTheFile()
    {
        using var temp = new TempPath();
        const ulong Magic = 0x5359_4E43_4449_5231; // any constant
        var synced = new List<(string Directory, ulong MagicOnTheFile)>();
        var platform = new FaultyPlatform();
        platform.OnSyncDirectory = directory =>
        {
            using var file = new FileStream(temp.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            byte[] first = new byte[8];
            file.ReadExactly(first);
            synced.Add((directory, BitConverter.ToUInt64(first)));
        };
        using (MapPlatform.Override(platform))
        {
            using var records = Overlay.Layouts.RecordFile<TestHeader.View, TestRecord.View>.Create(temp.Path, Magic);
        }

        // One sync, of the file's directory, when the file already began with its magic.
        (string directory, ulong magicOnTheFile) = Assert.Single(synced);
        Assert.Equal(TempDirectory, directory);
        Assert.Equal(Magic, magicOnTheFile);
    }

    [Fact]
    public void TheRealCallSyncsADirectoryAndRefusesAMissingOne()
    {
        MapPlatform.Current.SyncDirectory(TempDirectory);
        string missing = Path.Combine(TempDirectory, $"overlay-missing-{Guid.NewGuid():N}");
        Assert.Throws<FileNotFoundException>(() => MapPlatform.Current.SyncDirectory(missing));
    }

    private static bool StrayTemp(string path, string infix) =>
        System.IO.Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + infix + "*").Length > 0;
}
