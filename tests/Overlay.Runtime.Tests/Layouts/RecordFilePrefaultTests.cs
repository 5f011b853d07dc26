using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Safety;
using Xunit;

namespace Overlay.Tests.Layouts;

using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// Issue 8: growth pre-faults the pages appends are about to write (<c>MADV_POPULATE_WRITE</c>), a
/// window ahead of the count, and a platform that refuses leaves the appends as they were.
/// </summary>
public class RecordFilePrefaultTests
{
    private const ulong Magic = RecordFileTests.Magic;

    [Fact]
    public void AppendsPrefaultPageAlignedWindowsInsideTheMapAheadOfTheCount()
    {
        using var temp = new TempPath();
        var platform = new FaultyPlatform();
        var calls = new List<(long Address, long Length)>();
        platform.OnPrefault = (address, length) =>
        {
            calls.Add((address, length));
            return true;
        };

        using (MapPlatform.Override(platform))
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.MinimumGrowthBytes = 1 << 20;
            RecordFileTests.Fill(file, 300_000); // 9.6 MB: growth and windows both

            // Whole pages, a window at a time (4 MiB, plus the page the count is in), covering
            // every record appended: none was left to fault page by page.
            Assert.True(calls.Count >= 3);
            long covered = 0;
            foreach ((long address, long length) in calls)
            {
                Assert.Equal(0, address % MemoryMap.PageSize);
                Assert.InRange(length, 1, (4L << 20) + MemoryMap.PageSize + 32);
                covered += length;
            }

            Assert.True(covered >= 300_000L * 32);
        }

        using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(300_000, reopened.Count);
        Assert.Equal(299_999, reopened[299_999].Id);
        Assert.Equal(RecordFileTests.TagOf(123_456), reopened[123_456].Tag);
    }

    [Fact]
    public void APlatformThatRefusesIsAskedOncePerGrowthAndTheAppendsAreUnchanged()
    {
        using var temp = new TempPath();
        var platform = new FaultyPlatform();
        int refused = 0;
        platform.OnPrefault = (_, _) =>
        {
            refused++;
            return false;
        };

        int growths = 0;
        using (MapPlatform.Override(platform))
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.MinimumGrowthBytes = 256 << 10;
            long capacity = file.Capacity;
            for (long i = 0; i < 100_000; i++)
            {
                TestRecord.View record = file.Append();
                Assert.Equal(0, record.Id); // growth still hands out zeros
                record.Id = i;
                record.Tag = RecordFileTests.TagOf(i);
                if (file.Capacity != capacity)
                {
                    growths++;
                    capacity = file.Capacity;
                }
            }

            file.AppendRange<TestRecord>([new TestRecord { Id = 100_000 }]);
        }

        Assert.True(growths > 2);
        Assert.InRange(refused, 1, growths + 1);
        using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(100_001, reopened.Count);
        Assert.Equal(99_999, reopened[99_999].Id);
        Assert.Equal(100_000, reopened[100_000].Id);
    }

    [Fact]
    public void SlackACrashedWriterLeftIsClearedAfterThePrefault()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            RecordFileTests.Fill(file, 10);
        }

        // Slack past the count holding old bytes, as a crashed writer leaves it.
        long end = RecordFileTests.RecordsOffset + (10 * 32);
        using (var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = end;
            var garbage = new byte[5 * 4096];
            Array.Fill(garbage, (byte)0x5A);
            stream.Write(garbage);
        }

        using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
        for (int i = 0; i < 1000; i++)
        {
            TestRecord.View fresh = reopened.Append();
            Assert.Equal(0, fresh.Id);
            Assert.Equal(0, fresh.Flags);
            Assert.Equal(string.Empty, fresh.Tag);
        }
    }
}
