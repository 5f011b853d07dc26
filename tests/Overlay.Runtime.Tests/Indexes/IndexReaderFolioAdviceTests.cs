using System.Collections.Generic;
using Overlay.Indexes;
using Overlay.Platform;
using Overlay.Tests.Layouts;
using Overlay.Tests.Safety;
using Xunit;

namespace Overlay.Tests.Indexes;

/// <summary>
/// Indexes opened for reading advise large folios over their whole map, so that a cold open's
/// random lookups read the file 2 MiB at a time and map it by 2 MiB entries; writers do not,
/// since a flush writes a dirty folio back whole (docs/indexes.md, "Large folios for readers").
/// </summary>
public class IndexReaderFolioAdviceTests
{
    private static (FaultyPlatform Platform, List<(long Length, bool Large)> Calls) Recording()
    {
        var calls = new List<(long, bool)>();
        var platform = new FaultyPlatform { OnLargeFolios = (_, length, large) => { calls.Add((length, large)); return true; } };
        return (platform, calls);
    }

    [Fact]
    public void AHashIndexOpenedForReadingAdvisesLargeFoliosOverItsWholeMapAndAWriterDoesNot()
    {
        using var temp = new TempPath();
        using (var index = MappedHashIndex<ulong, Counter.View>.Create(temp.Path))
        {
            index.GetOrAdd(7).Value = 1;
        }

        long fileLength = new System.IO.FileInfo(temp.Path).Length;
        var (platform, calls) = Recording();
        using (MapPlatform.Override(platform))
        {
            using (MappedHashIndex<ulong, Counter.View>.Open(temp.Path))
            {
                Assert.Empty(calls);
            }

            using var reader = MappedHashIndex<ulong, Counter.ReadOnlyView>.Open(temp.Path, MapAccess.Read);
            Assert.Equal([(fileLength, true)], calls);
            Assert.True(reader.TryGetValue(7, out Counter.ReadOnlyView value));
            Assert.Equal(1, value.Value);
        }
    }

    [Fact]
    public void ASortedIndexOpenedForReadingAdvisesLargeFoliosOverItsWholeMapAndAWriterDoesNot()
    {
        using var temp = new TempPath();
        using (var builder = new SortedIndexBuilder<long, Counter.View>())
        {
            builder.Add(5, new Counter { Value = 1 });
            builder.Build(temp.Path);
        }

        long fileLength = new System.IO.FileInfo(temp.Path).Length;
        var (platform, calls) = Recording();
        using (MapPlatform.Override(platform))
        {
            using (MappedSortedIndex<long, Counter.View>.Open(temp.Path, MapAccess.Write))
            {
                Assert.Empty(calls);
            }

            using var reader = MappedSortedIndex<long, Counter.ReadOnlyView>.Open(temp.Path);
            Assert.Equal([(fileLength, true)], calls);
            Assert.True(reader.TryGetValue(5, out Counter.ReadOnlyView value));
            Assert.Equal(1, value.Value);
        }
    }

    [Fact]
    public void AReadersRefreshThatMapsTheGrownFileAdvisesTheNewMap()
    {
        using var temp = new TempPath();
        var (platform, calls) = Recording();
        using (MapPlatform.Override(platform))
        {
            using var writer = MappedHashIndex<ulong, Counter.View>.Create(temp.Path, new HashIndexOptions { InitialCapacity = 8 });
            writer.GetOrAdd(1).Value = 1;
            writer.Flush();
            Assert.Empty(calls);

            using var reader = MappedHashIndex<ulong, Counter.ReadOnlyView>.Open(temp.Path, MapAccess.Read);
            long opened = new System.IO.FileInfo(temp.Path).Length;
            Assert.Equal([(opened, true)], calls);

            for (ulong key = 2; key < 5000; key++)
            {
                writer.GetOrAdd(key).Value = (long)key;
            }

            writer.Flush();
            long grown = new System.IO.FileInfo(temp.Path).Length;
            Assert.True(grown > opened);
            Assert.True(reader.Refresh());
            Assert.Equal([(opened, true), (grown, true)], calls);
            Assert.True(reader.TryGetValue(4999, out Counter.ReadOnlyView value));
            Assert.Equal(4999, value.Value);
        }
    }

    [Fact]
    public void AReaderWhoseAdviceIsRefusedStillOpensAndAnswers()
    {
        using var temp = new TempPath();
        using (var index = MappedHashIndex<ulong, Counter.View>.Create(temp.Path))
        {
            index.GetOrAdd(7).Value = 3;
        }

        var platform = new FaultyPlatform { OnLargeFolios = (_, _, _) => false };
        using (MapPlatform.Override(platform))
        {
            using var reader = MappedHashIndex<ulong, Counter.ReadOnlyView>.Open(temp.Path, MapAccess.Read);
            Assert.True(reader.TryGetValue(7, out Counter.ReadOnlyView value));
            Assert.Equal(3, value.Value);
        }
    }
}
