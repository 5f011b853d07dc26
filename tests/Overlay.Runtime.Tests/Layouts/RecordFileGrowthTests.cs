using System;
using System.Collections.Generic;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Safety;
using Xunit;

namespace Overlay.Tests.Layouts;

using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// Issue 8: growth asks for large folios while appends outrun flushes (<c>MADV_HUGEPAGE</c> over
/// the whole map), <see cref="WritableFile.Flush"/> takes the advice back, and a platform that
/// refuses leaves the appends as they were.
/// </summary>
public class RecordFileGrowthTests
{
    private const ulong Magic = RecordFileTests.Magic;

    [Fact]
    public void GrowthWithoutAFlushAsksForLargeFoliosOnceAndFlushTakesThemBack()
    {
        using var temp = new TempPath();
        var platform = new FaultyPlatform();
        var calls = new List<(long Length, bool Large)>();
        platform.OnLargeFolios = (address, length, large) =>
        {
            Assert.Equal(0, address % MemoryMap.PageSize);
            calls.Add((length, large));
            return true;
        };

        using (MapPlatform.Override(platform))
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.MinimumGrowthBytes = 1 << 20;

            // Three growths without a flush: asked once, over the whole map as it was then.
            RecordFileTests.Fill(file, 100_000); // 3.2 MB
            Assert.Single(calls);
            Assert.True(calls[0].Large);
            Assert.InRange(calls[0].Length, 1 << 20, file.Map.Length);
            calls.Clear();

            // The flush takes the advice back, once.
            file.Flush();
            file.Flush();
            Assert.Equal([(file.Map.Length, false)], calls);
            calls.Clear();

            // A flush between growths: appends that flush keep small folios.
            long capacity = file.Map.Length;
            while (file.Map.Length == capacity)
            {
                AppendNext(file);
            }

            file.Flush();
            Assert.Empty(calls);

            // Two growths with no flush between them: appends outrun flushes again.
            capacity = file.Map.Length;
            while (file.Map.Length == capacity)
            {
                AppendNext(file);
            }

            Assert.Empty(calls);
            capacity = file.Map.Length;
            while (file.Map.Length == capacity)
            {
                AppendNext(file);
            }

            Assert.Single(calls);
            Assert.True(calls[0].Large);
        }

        using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(99_999, reopened[99_999].Id);
        Assert.Equal(reopened.Count - 1, reopened[reopened.Count - 1].Id);
    }

    private static void AppendNext(WritableFile file)
    {
        long index = file.Count;
        file.Append().Id = index;
    }

    [Fact]
    public void APlatformThatRefusesLargeFoliosLeavesTheAppendsAsTheyWere()
    {
        using var temp = new TempPath();
        var platform = new FaultyPlatform();
        int asked = 0;
        platform.OnLargeFolios = (_, _, _) =>
        {
            asked++;
            return false;
        };

        using (MapPlatform.Override(platform))
        {
            using WritableFile file = WritableFile.Create(temp.Path, Magic);
            file.MinimumGrowthBytes = 1 << 20;
            RecordFileTests.Fill(file, 100_000);

            // Refused: asked again at the next growth (the Unix platform itself stops asking a
            // kernel that said EINVAL), and Flush has nothing to take back.
            Assert.True(asked >= 2);
            int before = asked;
            file.Flush();
            Assert.Equal(before, asked);
        }

        using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(100_000, reopened.Count);
        Assert.Equal(77_777, reopened[77_777].Id);
        Assert.Equal(RecordFileTests.TagOf(77_777), reopened[77_777].Tag);
    }

    [Fact]
    public void LargeFoliosOnTheRealPlatformChangeNoByteAndTheTrimStillHolds()
    {
        // Whatever this kernel does with the advice (takes it, or refuses it without transparent
        // huge pages), the records and the trimmed length are those of a file without it.
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            file.MinimumGrowthBytes = 3 << 20; // not a multiple of 2 MiB: a folio straddles the end
            RecordFileTests.Fill(file, 250_000); // 8 MB: growths without a flush
            file.Flush();
            for (long i = 250_000; i < 500_000; i++)
            {
                TestRecord.View record = file.Append();
                record.Id = i;
                record.Tag = RecordFileTests.TagOf(i);
            }
        }

        Assert.Equal(RecordFileTests.RecordsOffset + (500_000L * 32), new System.IO.FileInfo(temp.Path).Length);
        using WritableFile reopened = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(500_000, reopened.Count);
        for (long i = 0; i < 500_000; i += 4_999)
        {
            Assert.Equal(i, reopened[i].Id);
            Assert.Equal(RecordFileTests.TagOf(i), reopened[i].Tag);
        }
    }
}
