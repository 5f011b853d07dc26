using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Indexes;

/// <summary>
/// A new hash index section's table starts zeroed: at the end of the file it is left as the file's
/// growth made it (and pre-faulted at the first change), in an extent reused from the free list,
/// which still holds an old section's bytes, it is cleared.
/// </summary>
public class IndexSectionZeroingTests
{
    [Fact]
    public void AnIndexInAReusedExtentFullOfOldBytesStartsEmpty()
    {
        using TempPath temp = Sample();
        long oldOffset;
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            // A raw section full of 0xFF, then moved by a growth (another section after it): its old extent is free.
            RawSection filler = container.AddRaw("filler", 256 << 10);
            filler.Append(Enumerable.Repeat((byte)0xFF, 256 << 10).ToArray());
            oldOffset = container.Sections.Single(s => s.Name == "filler").Offset;
            container.AddRaw("after").Append("x"u8);
            filler.Append(new byte[1]);
            container.Commit();
        }

        // A free extent found on open is reusable: the index takes it.
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using MappedHashIndex<ulong, Counter.View> index = container.AddHashIndex<ulong, Counter.View>("index", new HashIndexOptions { InitialCapacity = 1_000 });
            Assert.Equal(oldOffset, container.Sections.Single(s => s.Name == "index").Offset);
            Assert.Equal(0, index.Count);
            int entries = 0;
            foreach (var entry in index)
            {
                entries++;
            }

            Assert.Equal(0, entries);
            for (ulong key = 0; key < 2_000; key++)
            {
                Assert.False(index.ContainsKey(key));
            }

            for (ulong key = 0; key < 700; key++)
            {
                index.Set(key, new Counter { Value = (long)key });
            }

            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        using (MappedHashIndex<ulong, Counter.ReadOnlyView> index = container.HashIndex<ulong, Counter.ReadOnlyView>("index"))
        {
            Assert.Equal(700, index.Count);
            Assert.Equal(699, index.GetValue(699).Value);
        }
    }

    [Fact]
    public void AnEmptyIndexCommittedAtTheEndOfTheFileThenFilled()
    {
        using TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            container.AddHashIndex<ulong, Counter.View>("index", new HashIndexOptions { InitialCapacity = 100_000 }).Dispose();
            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (MappedHashIndex<ulong, Counter.View> index = container.HashIndex<ulong, Counter.View>("index"))
        {
            Assert.Equal(0, index.Count);
            for (ulong key = 0; key < 50_000; key++)
            {
                index.GetOrAdd(key * 13).Value = (long)key;
            }

            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        using (MappedHashIndex<ulong, Counter.ReadOnlyView> index = container.HashIndex<ulong, Counter.ReadOnlyView>("index"))
        {
            Assert.Equal(50_000, index.Count);
            Assert.Equal(49_999, index.GetValue(49_999 * 13).Value);
            Assert.False(index.ContainsKey(1));
        }
    }
}
