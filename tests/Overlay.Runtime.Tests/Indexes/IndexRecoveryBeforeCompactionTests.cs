using System;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Indexes;

/// <summary>
/// <see cref="MappedContainer.Compact"/> and <see cref="MappedContainer.Upgrade"/> of a container whose
/// hash index section a writer changed and did not commit (a dirty header, or a relayout cut short):
/// refused with <see cref="IndexRecoveryRequiredException"/>, the file untouched; after the index is
/// opened with <c>recover: true</c> and committed, both run and every committed entry is kept.
/// </summary>
public class IndexRecoveryBeforeCompactionTests
{
    private const string Name = "seen";

    /// <summary>
    /// A committed index of 500 keys, then an abandoned session: changes (and, with <paramref name="grow"/>,
    /// enough insertions to double the table) left in the file's pages without a commit, as a killed writer leaves them.
    /// </summary>
    private static TempPath Crashed(bool grow)
    {
        TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using MappedHashIndex<ulong, Counter.View> index = container.AddHashIndex<ulong, Counter.View>(Name, new HashIndexOptions { InitialCapacity = 1_000 });
            for (ulong key = 0; key < 500; key++)
            {
                index.Set(key, new Counter { Value = (long)key });
            }

            container.Commit();
        }

        MappedContainer abandoned = MappedContainer.Open(temp.Path, Tag);
        MappedHashIndex<ulong, Counter.View> changing = abandoned.HashIndex<ulong, Counter.View>(Name);
        changing.Remove(3);
        for (ulong key = 500; key < (grow ? 5_000UL : 510UL); key++)
        {
            changing.Set(key, new Counter { Value = (long)key });
        }

        // The container's Dispose closes the index without flushing or committing.
        abandoned.Dispose();
        return temp;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CompactionRefusesACrashedIndexUntilItIsRecovered(bool grow)
    {
        using TempPath temp = Crashed(grow);
        byte[] before = File.ReadAllBytes(temp.Path);
        IndexRecoveryRequiredException error = Assert.Throws<IndexRecoveryRequiredException>(() => MappedContainer.Compact(temp.Path, Tag));
        Assert.Equal(Name, error.SectionName);
        Assert.Contains("recover: true", error.Message);
        Assert.Equal(before, File.ReadAllBytes(temp.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".compact-*"));

        Recover(temp.Path);
        MappedContainer.Compact(temp.Path, Tag);
        AssertCommittedEntries(temp.Path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UpgradeRefusesACrashedIndexUntilItIsRecovered(bool grow)
    {
        using TempPath temp = Crashed(grow);
        byte[] before = File.ReadAllBytes(temp.Path);
        var plan = new ContainerUpgrade().Records<TestRecord>("people");
        Assert.Equal(Name, Assert.Throws<IndexRecoveryRequiredException>(() => MappedContainer.Upgrade(temp.Path, Tag, plan)).SectionName);
        Assert.Equal(before, File.ReadAllBytes(temp.Path));

        Recover(temp.Path);
        MappedContainer.Upgrade(temp.Path, Tag, plan);
        AssertCommittedEntries(temp.Path);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Equal(10, container.Records<TestRecord.ReadOnlyView>("people").Count);
    }

    [Fact]
    public void ACleanlyCommittedIndexAndASortedIndexAreNotRefused()
    {
        using TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using (MappedHashIndex<ulong, Counter.View> index = container.AddHashIndex<ulong, Counter.View>(Name))
            {
                index.Set(1, new Counter { Value = 1 });
            }

            using var builder = new SortedIndexBuilder<long, NoValue>();
            builder.Add(5);
            container.AddSortedIndex("sorted", builder).Dispose();
            container.Commit();
        }

        MappedContainer.Compact(temp.Path, Tag);
        using MappedContainer reopened = MappedContainer.Open(temp.Path, Tag);
        Assert.Equal(2, reopened.Sections.Count(s => s.Kind == SectionKind.Index));
    }

    private static void Recover(string path)
    {
        using MappedContainer container = MappedContainer.Open(path, Tag);
        Assert.Contains("recover: true", Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Counter.View>(Name)).Message);
        using (container.HashIndex<ulong, Counter.View>(Name, recover: true))
        {
        }

        container.Commit();
    }

    /// <summary>Every entry of the last commit is there; what the abandoned session did may or may not be (recovery keeps what its pages hold).</summary>
    private static void AssertCommittedEntries(string path)
    {
        using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
        using MappedHashIndex<ulong, Counter.ReadOnlyView> index = container.HashIndex<ulong, Counter.ReadOnlyView>(Name);
        for (ulong key = 0; key < 500; key++)
        {
            if (key == 3)
            {
                continue; // removed by the abandoned session: either answer is a committed or a later state
            }

            Assert.True(index.TryGetValue(key, out Counter.ReadOnlyView view), $"key {key} lost");
            Assert.Equal((long)key, view.Value);
        }
    }
}
