using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Platform.Linux;
using Overlay.Platform.Unix;
using Overlay.Schemas;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Overlay.Tests.Safety;
using Xunit;

namespace Overlay.Tests.Schemas;

/// <summary>
/// Both upgrades start writing each converted batch back at once (<c>sync_file_range</c> on Linux),
/// so the final <c>fsync</c> waits for little: the ranges asked for cover the converted records
/// exactly, in order; a platform that refuses changes nothing in the result; and the record file's
/// new file is made durable before the rename with one directory sync, after it.
/// </summary>
public class UpgradeWritebackTests
{
    private const ulong Magic = 0x4B43414245544952; // "RITEBACK"
    private const ulong Tag = ContainerFiles.Tag;

    private static readonly int Batch = UpgradeBatches.RecordsPerBatch(PlayerV1.SizeInBytes, PlayerV3.SizeInBytes);

    private static TempPath RecordFileV1(int count)
    {
        var temp = new TempPath();
        using var file = RecordFile<Vec2.View, PlayerV1.View>.Create(temp.Path, Magic);
        for (int i = 0; i < count; i++)
        {
            file.Append(new PlayerV1 { Id = i, Score = i * 2f });
        }

        file.Flush();
        return temp;
    }

    private static TempPath ContainerV1(int count)
    {
        var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        RecordSection<PlayerV1.View> players = container.AddRecords<PlayerV1.View>("players", count);
        for (int i = 0; i < count; i++)
        {
            players.Append(new PlayerV1 { Id = i, Score = i * 2f });
        }

        container.Commit();
        return temp;
    }

    private static void AssertContiguous(List<(long Offset, long Length)> ranges, long start, long length)
    {
        Assert.NotEmpty(ranges);
        long next = start;
        foreach ((long offset, long size) in ranges)
        {
            Assert.Equal(next, offset);
            Assert.True(size > 0);
            next += size;
        }

        Assert.Equal(start + length, next);
    }

    [Fact]
    public void ARecordFileUpgradeStartsTheWritebackOfEveryBatchInOrder()
    {
        int count = (2 * Batch) + 11;
        using TempPath temp = RecordFileV1(count);
        var ranges = new List<(long Offset, long Length)>();
        var platform = new FaultyPlatform();
        platform.OnStartWriteback = (_, offset, length) =>
        {
            lock (ranges)
            {
                ranges.Add((offset, length));
            }

            return true;
        };
        using (MapPlatform.Override(platform))
        {
            RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic);
        }

        using var file = RecordFile<Vec2.ReadOnlyView, PlayerV3.ReadOnlyView>.Open(temp.Path, Magic, MapAccess.Read);
        long recordsOffset = new FileInfo(temp.Path).Length - ((long)count * PlayerV3.SizeInBytes);
        AssertContiguous(ranges, recordsOffset, (long)count * PlayerV3.SizeInBytes);
        Assert.Equal(3, ranges.Count);
        Assert.Equal((count - 1L, (count - 1) * 2.0), (file[count - 1].Id, file[count - 1].Points));
    }

    [Fact]
    public void AContainerUpgradeStartsTheWritebackOfEveryBatchInOrder()
    {
        int count = (2 * Batch) + 11;
        using TempPath temp = ContainerV1(count);
        var ranges = new List<(long Offset, long Length)>();
        var platform = new FaultyPlatform();
        platform.OnStartWriteback = (_, offset, length) =>
        {
            lock (ranges)
            {
                ranges.Add((offset, length));
            }

            return true;
        };
        using (MapPlatform.Override(platform))
        {
            MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<PlayerV3>("players"));
        }

        using MappedContainer upgraded = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        SectionInfo players = Assert.Single(upgraded.Sections, s => s.Name == "players");
        AssertContiguous(ranges, players.Offset, (long)count * PlayerV3.SizeInBytes);
        Assert.Equal(3, ranges.Count);
        Assert.Equal(count - 1L, upgraded.Records<PlayerV3.ReadOnlyView>("players")[count - 1].Id);
    }

    /// <summary>The write-back is a hint: refused (an OS or file system without it), the upgrade writes the same file.</summary>
    [Fact]
    public void AnUpgradeWhoseWritebackIsRefusedWritesTheSameFile()
    {
        int count = Batch + 3;
        using TempPath hinted = ContainerV1(count);
        using TempPath refused = new();
        File.Copy(hinted.Path, refused.Path);
        var platform = new FaultyPlatform();
        int asked = 0;
        platform.OnStartWriteback = (_, _, _) =>
        {
            asked++;
            return false;
        };
        MappedContainer.Upgrade(hinted.Path, Tag, new ContainerUpgrade().Records<PlayerV3>("players"));
        using (MapPlatform.Override(platform))
        {
            MappedContainer.Upgrade(refused.Path, Tag, new ContainerUpgrade().Records<PlayerV3>("players"));
        }

        Assert.Equal(2, asked);
        Assert.Equal(File.ReadAllBytes(hinted.Path), File.ReadAllBytes(refused.Path));

        using TempPath recordFile = RecordFileV1(count);
        using (MapPlatform.Override(platform))
        {
            Assert.Equal(count, RecordFile<Vec2.View, PlayerV3.View>.Upgrade(recordFile.Path, Magic));
        }

        Assert.Equal(4, asked);
        using var file = RecordFile<Vec2.ReadOnlyView, PlayerV3.ReadOnlyView>.Open(recordFile.Path, Magic, MapAccess.Read);
        Assert.Equal((count, count - 1L), (file.Count, file[count - 1].Id));
    }

    /// <summary>The new record file is not synced by name when created (the rename's directory sync covers it): one sync, after the rename.</summary>
    [Fact]
    public void ARecordFileUpgradeSyncsTheDirectoryOnceAfterTheRename()
    {
        using TempPath temp = RecordFileV1(10);
        var synced = new List<(string Directory, bool TempLeft)>();
        var platform = new FaultyPlatform();
        string directory = Path.GetDirectoryName(Path.GetFullPath(temp.Path))!;
        platform.OnSyncDirectory = d =>
        {
            synced.Add((d, Directory.GetFiles(directory, Path.GetFileName(temp.Path) + ".upgrade-*").Length > 0));
        };
        using (MapPlatform.Override(platform))
        {
            RecordFile<Vec2.View, PlayerV3.View>.Upgrade(temp.Path, Magic);
        }

        Assert.Equal((directory, false), Assert.Single(synced));
    }

    /// <summary>Linux's call itself: started on a regular file; refused, without an exception, where it cannot be (a pipe, a closed descriptor, an empty range).</summary>
    [Fact]
    public void TheRealCallStartsWritebackOnAFileAndRefusesQuietlyElsewhere()
    {
        var platform = new UnixMapPlatform(LinuxConstants.Instance);
        using var temp = new TempPath();
        using (SafeFileHandle file = File.OpenHandle(temp.Path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.Write(file, new byte[8192], 0);
            Assert.True(platform.TryStartWriteback(file.DangerousGetHandle(), 0, 8192));
            Assert.False(platform.TryStartWriteback(file.DangerousGetHandle(), 0, 0));
            Assert.False(platform.TryStartWriteback(file.DangerousGetHandle(), -1, 10));
        }

        using (var pipe = new AnonymousPipeServerStream(PipeDirection.Out))
        {
            Assert.False(platform.TryStartWriteback(pipe.SafePipeHandle.DangerousGetHandle(), 0, 10));
        }

        Assert.False(platform.TryStartWriteback(-1, 0, 10));

        // A refusal for this call's reasons is not remembered: a file still gets its write-back.
        using TempPath again = new();
        using SafeFileHandle second = File.OpenHandle(again.Path, FileMode.CreateNew, FileAccess.ReadWrite);
        RandomAccess.Write(second, new byte[4096], 0);
        Assert.True(platform.TryStartWriteback(second.DangerousGetHandle(), 0, 4096));
    }
}
