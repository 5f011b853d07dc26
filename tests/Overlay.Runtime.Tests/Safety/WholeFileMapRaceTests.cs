using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Overlay.Platform;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>
/// A whole-file map (length 0) measures the file, then maps that many bytes. A writer beside it can
/// change the size in between, and Windows refuses a read-only section longer than the file. Under
/// Wine, whose growth writes a byte past the new end and then cuts the file back, this failed a
/// reader opening a record file beside a writer appending (RecordFileReadersStressTests). A refused
/// whole-file map measures again and maps the file as it is now; a refusal with the size unchanged,
/// or a map of an explicit length, is reported as it was.
/// </summary>
public class WholeFileMapRaceTests
{
    [Fact]
    public void AWholeFileMapRefusedWhileTheFileChangedSizeMapsTheFileAsItIsNow()
    {
        long page = MemoryMap.PageSize;
        using TempPath temp = new TempPath().WithBytes((int)(3 * page) + 1, fill: 7);
        var platform = new FaultyPlatform();
        var asked = new List<long>();
        platform.OnMapFile = length =>
        {
            asked.Add(length);
            if (asked.Count == 1)
            {
                // What a reader sees under Wine: the growth's extra byte is cut while it maps.
                ResizeBeside(temp.Path, _ => 3 * page);
                throw new MapIOException("injected: a section longer than the file", 12, 8);
            }
        };

        using MemoryMap map = MapWhole(platform, temp.Path);
        Assert.Equal(new[] { (3 * page) + 1, 3 * page }, asked);
        Assert.Equal(3 * page, map.Length);
        Assert.Equal(7, map[map.Length - 1]);
    }

    [Fact]
    public void ARefusalWithTheSizeUnchangedIsReportedAndNotRetried()
    {
        long page = MemoryMap.PageSize;
        using TempPath temp = new TempPath().WithBytes((int)(2 * page));
        int calls = 0;
        FaultyPlatform platform = RefusingEveryMap(_ =>
        {
            calls++;
            return "injected: refused";
        });

        MapIOException refused = Assert.Throws<MapIOException>(() => MapWhole(platform, temp.Path).Dispose());
        Assert.Equal("injected: refused", refused.Message);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void AnExplicitLengthIsNeverMeasuredAgain()
    {
        long page = MemoryMap.PageSize;
        using TempPath temp = new TempPath().WithBytes((int)(2 * page));
        int calls = 0;
        FaultyPlatform platform = RefusingEveryMap(_ =>
        {
            calls++;
            ResizeBeside(temp.Path, length => length + page);
            return "injected: refused";
        });

        using SafeFileHandle file = File.OpenHandle(temp.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using (MapPlatform.Override(platform))
        {
            Assert.Throws<MapIOException>(() => new MemoryMap(file, 2 * page, access: MapAccess.Read).Dispose());
        }

        Assert.Equal(1, calls);
    }

    [Fact]
    public void AFileThatChangesSizeAtEveryAttemptIsReportedAfterAFewAndTheDescriptorClosed()
    {
        long page = MemoryMap.PageSize;
        using TempPath temp = new TempPath().WithBytes((int)page);
        var asked = new List<long>();
        FaultyPlatform platform = RefusingEveryMap(length =>
        {
            asked.Add(length);
            ResizeBeside(temp.Path, current => current + 1);
            return $"injected: refused {asked.Count}";
        });

        MapIOException refused = Assert.Throws<MapIOException>(() => MapWhole(platform, temp.Path).Dispose());
        Assert.Equal(new[] { page, page + 1, page + 2, page + 3 }, asked);
        Assert.Equal("injected: refused 4", refused.Message);

        // The duplicate the map made was closed: the file can be opened exclusively and deleted.
        using (File.Open(temp.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }
    }

    [Fact]
    public async Task WholeFileReadOnlyMapsBesideAFileGrowingStepByStepAreNeverRefused()
    {
        // The real race, with no injection: on Linux a map of a growing file is never refused; under
        // Wine, whose growth writes a byte past the new end and then cuts the file back, a reader
        // that measured in that moment was refused (CreateFileMapping: not enough memory).
        long page = MemoryMap.PageSize;
        const int Steps = 20_000;
        using TempPath temp = new TempPath().WithBytes((int)page);
        long finalLength = page + (Steps * 8L);
        int stop = 0;
        Task grower = Task.Factory.StartNew(
            () =>
            {
                using SafeFileHandle writer = File.OpenHandle(temp.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
                for (int step = 1; step <= Steps && Volatile.Read(ref stop) == 0; step++)
                {
                    RandomAccess.SetLength(writer, page + (step * 8L));
                }
            },
            TaskCreationOptions.LongRunning);

        int maps = 0;
        try
        {
            using SafeFileHandle reader = File.OpenHandle(temp.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            while (!grower.IsCompleted || maps == 0)
            {
                using var map = new MemoryMap(reader, 0, access: MapAccess.Read);

                // + 1: under Wine the growth's extra byte is really there for a moment, and may be mapped.
                Assert.InRange(map.Length, page, finalLength + 1);
                maps++;
            }
        }
        finally
        {
            // The grower's handle must be closed before the file is deleted, even when a map failed.
            Volatile.Write(ref stop, 1);
            await grower;
        }

        Assert.True(maps > 0);
    }

    // Every file map is refused as Windows refuses a section longer than the file (ENOMEM,
    // ERROR_NOT_ENOUGH_MEMORY), after `attempt` (given the length asked for) did what a writer beside
    // the map did meanwhile; it returns the refusal's message.
    private static FaultyPlatform RefusingEveryMap(Func<long, string> attempt) =>
        new() { OnMapFile = length => throw new MapIOException(attempt(length), 12, 8) };

    // Another writer's resize, through its own descriptor.
    private static void ResizeBeside(string path, Func<long, long> newLength)
    {
        using FileStream writer = new(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        writer.SetLength(newLength(writer.Length));
    }

    private static MemoryMap MapWhole(IMapPlatform platform, string path)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using (MapPlatform.Override(platform))
        {
            return new MemoryMap(file, 0, access: MapAccess.Read);
        }
    }
}
