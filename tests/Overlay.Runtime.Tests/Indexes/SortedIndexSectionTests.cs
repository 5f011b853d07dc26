using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Tests.Formats;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Indexes;

using ReadOnlySorted = MappedSortedIndex<long, Product.ReadOnlyView>;
using Sorted = MappedSortedIndex<long, Product.View>;

/// <summary>
/// A sorted index in a container section: the API beside records, builds through many runs, a
/// rebuild's crash safety (an uncommitted rebuild leaves the committed index), read-only containers,
/// lifetimes (use after the index's or the container's close, views of a rebuilt section),
/// compaction and upgrade, and hostile sections (entry fields, header fields, random damage), each an
/// <see cref="InvalidDataException"/> or a bounded answer.
/// </summary>
public class SortedIndexSectionTests(ITestOutputHelper output)
{
    private const string Name = "by-id";

    private static Product MakeProduct(long i) => new() { Id = i, Price = i * 0.25, Stock = (int)(i % 100), Name = $"p{i}" };

    private static SortedIndexBuilder<long, Product.View> Builder(int count, long memoryBudget = SortedIndexBuilder<long, Product.View>.DefaultMemoryBudget)
    {
        var builder = new SortedIndexBuilder<long, Product.View>(memoryBudget: memoryBudget);
        for (int i = count - 1; i >= 0; i--)
        {
            builder.Add((long)i * 7, MakeProduct(i));
        }

        return builder;
    }

    /// <summary>A committed container: <see cref="ContainerFiles.Sample"/> and a sorted index "by-id" of <paramref name="count"/> keys (0, 7, 14, …).</summary>
    private static TempPath WithIndex(int count)
    {
        TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (SortedIndexBuilder<long, Product.View> builder = Builder(count))
        {
            container.AddSortedIndex(Name, builder).Dispose();

            // Twice: both meta slots hold the index's entry (the hostile tests patch both).
            container.Commit();
            container.Commit();
        }

        return temp;
    }

    private static void AssertHolds<TView>(MappedSortedIndex<long, TView> index, int count, Func<TView, long> id)
        where TView : struct, Overlay.Layouts.IMappedView<TView>
    {
        Assert.Equal(count, index.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.True(index.TryGetValue((long)i * 7, out TView view), $"key {i * 7} missing");
            Assert.Equal(i, id(view));
        }

        Assert.False(index.ContainsKey(1));
    }

    private static List<long> KeysOf(Sorted.RangeEnumerable range)
    {
        var keys = new List<long>();
        foreach (KeyValuePair<long, Product.View> entry in range)
        {
            keys.Add(entry.Key);
        }

        return keys;
    }

    [Fact]
    public void AnIndexLivesBesideRecordsAndComesBackAfterReopen()
    {
        using TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            // Through 40+ runs: a build larger than its memory budget works for a section too.
            using SortedIndexBuilder<long, Product.View> builder = Builder(20_000, memoryBudget: 41 * 500);
            Assert.True(builder.Runs >= 39, $"{builder.Runs} runs");
            using Sorted index = container.AddSortedIndex(Name, builder, tag: 5);
            Assert.Equal(0, builder.Added); // emptied
            AssertHolds(index, 20_000, v => v.Id);
            Assert.Equal(0, index.First().Key);
            Assert.Equal(19_999 * 7, index.Last().Key);
            Assert.Equal(Enumerable.Range(10, 5).Select(i => i * 7L), KeysOf(index.Range(70, 98)));
            Assert.Contains("section 'by-id'", index.Path);
            SectionInfo info = container.Sections.Single(s => s.Name == Name);
            Assert.Equal(SectionKind.Index, info.Kind);
            Assert.Equal(20_000, info.Count);
            Assert.Equal(8u, info.Stride);

            // Values are writable in place and durable at the commit, which the index's Flush is.
            Assert.True(index.TryGetValue(70, out Product.View view));
            view.Stock = 1234;
            index.Flush();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            Assert.Contains("tag", Assert.Throws<InvalidDataException>(() => container.SortedIndex<long, Product.ReadOnlyView>(Name)).Message);
            using ReadOnlySorted index = container.SortedIndex<long, Product.ReadOnlyView>(Name, tag: 5);
            AssertHolds(index, 20_000, v => v.Id);
            Assert.True(index.TryGetValue(70, out Product.ReadOnlyView view));
            Assert.Equal(1234, view.Stock);
            Assert.Equal(10, container.Records<TestRecord.ReadOnlyView>("people").Count);
        }
    }

    [Fact]
    public void AReadOnlyContainerGivesAReadOnlyIndex()
    {
        using TempPath temp = WithIndex(10);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Throws<NotSupportedException>(() => container.SortedIndex<long, Product.View>(Name));
        using var builder = new SortedIndexBuilder<long, Product.View>();
        Assert.Throws<NotSupportedException>(() => container.RebuildSortedIndex(Name, builder));
        Assert.Throws<NotSupportedException>(() => container.AddSortedIndex("other", builder));
        using ReadOnlySorted index = container.SortedIndex<long, Product.ReadOnlyView>(Name);
        AssertHolds(index, 10, v => v.Id);
        index.Flush(); // nothing to do
    }

    [Fact]
    public void OneInstancePerSectionAndTheKindIsChecked()
    {
        using TempPath temp = WithIndex(10);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        using (container.AddHashIndex<ulong, Product.View>("hash"))
        {
        }

        Assert.Contains("not a hash index", Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Product.View>(Name)).Message);
        Assert.Contains("other types", Assert.Throws<InvalidDataException>(() => container.SortedIndex<int, Product.View>(Name)).Message);
        Assert.Contains("other types", Assert.Throws<InvalidDataException>(() => container.SortedIndex<long, Counter.View>(Name)).Message);
        using Sorted index = container.SortedIndex<long, Product.View>(Name);
        Assert.Throws<InvalidOperationException>(() => container.SortedIndex<long, Product.View>(Name));
        Assert.Throws<InvalidOperationException>(() => container.HashIndex<ulong, Product.View>(Name));
        Assert.Contains("not a sorted index", Assert.Throws<InvalidDataException>(() => container.SortedIndex<long, Product.View>("hash")).Message);
        Assert.Throws<InvalidDataException>(() => container.SortedIndex<long, Product.View>("people"));
        Assert.Throws<KeyNotFoundException>(() => container.SortedIndex<long, Product.View>("none"));
        using var builder = new SortedIndexBuilder<long, Product.View>();
        Assert.Throws<ArgumentException>(() => container.AddSortedIndex(Name, builder));
        Assert.Throws<ArgumentException>(() => container.AddSortedIndex("", builder));
        Assert.Throws<ArgumentNullException>(() => container.AddSortedIndex<long, Product.View>("x", null!));
        Assert.Contains("tag", Assert.Throws<InvalidDataException>(() => container.RebuildSortedIndex(Name, builder, tag: 9)).Message);
        Assert.True(index.ContainsKey(7)); // still open: nothing changed
        Assert.Contains("open as", Assert.Throws<InvalidOperationException>(() =>
        {
            using MappedHashIndex<ulong, Product.View> hash = container.HashIndex<ulong, Product.View>("hash");
            using var other = new SortedIndexBuilder<ulong, Product.View>();
            container.RebuildSortedIndex("hash", other);
        }).Message);
    }

    [Fact]
    public void UseAfterCloseThrows()
    {
        using TempPath temp = WithIndex(10);
        MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        Sorted index = container.SortedIndex<long, Product.View>(Name);
        Assert.True(index.TryGetValue(7, out Product.View view));

        // The index's close leaves the container open, and the section can be opened again.
        index.Dispose();
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.TryGetValue(7, out _));
        Assert.Throws<ObjectDisposedException>(() => index.First());
        Assert.Throws<ObjectDisposedException>(() => index.Range(0, 10));
        Assert.Throws<ObjectDisposedException>(() => index.GetEnumerator());
        Assert.Throws<ObjectDisposedException>(() => index.Flush());
        Assert.Throws<ObjectDisposedException>(() => index.Count);
        Assert.Equal(1, view.Id); // a view reads the container's map, which is still open
        index = container.SortedIndex<long, Product.View>(Name);
        Assert.True(index.TryGetValue(7, out view));
        Sorted.RangeEnumerable.Enumerator scan = index.GetEnumerator();
        Assert.True(scan.MoveNext());

        // The container's close closes the index, its views and its enumerators.
        container.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.ContainsKey(7));
        Assert.Throws<ObjectDisposedException>(() => index.Last());
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        Assert.Throws<ObjectDisposedException>(() => scan.MoveNext());
        index.Dispose();
    }

    [Fact]
    public void ARebuildReplacesTheSectionAtTheCommitAndNotBefore()
    {
        using TempPath temp = WithIndex(100);
        long oldOffset;
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            Sorted index = container.SortedIndex<long, Product.View>(Name);
            oldOffset = container.Sections.Single(s => s.Name == Name).Offset;
            Assert.True(index.TryGetValue(7, out Product.View stale));
            using var builder = new SortedIndexBuilder<long, Product.View>();
            builder.Remove(7);
            builder.Add(1, MakeProduct(-1));
            using Sorted rebuilt = container.RebuildSortedIndex(Name, builder);

            // The open instance was closed; a view into the old extent is refused, not read stale.
            Assert.Throws<ObjectDisposedException>(() => index.ContainsKey(0));
            Assert.Throws<InvalidOperationException>(() => stale.Id);
            Assert.Equal(100, rebuilt.Count);
            Assert.False(rebuilt.ContainsKey(7));
            Assert.True(rebuilt.TryGetValue(1, out Product.View added));
            Assert.Equal(-1, added.Id);
            Assert.NotEqual(oldOffset, container.Sections.Single(s => s.Name == Name).Offset);

            // Closed without a commit, as a crashed writer leaves it.
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using (Sorted index = container.SortedIndex<long, Product.View>(Name))
            {
                AssertHolds(index, 100, v => v.Id);
                Assert.Equal(oldOffset, container.Sections.Single(s => s.Name == Name).Offset);
            }

            using var builder = new SortedIndexBuilder<long, Product.View>();
            builder.Remove(7);
            container.RebuildSortedIndex(Name, builder).Dispose();
            container.Commit();
            Assert.True(container.FreeBytes > 0); // the old extent, until a compaction
        }

        CompactionResult compacted = MappedContainer.Compact(temp.Path, Tag);
        output.WriteLine($"compacted {compacted}");
        Assert.True(compacted.BytesReclaimed > 0);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (Sorted index = container.SortedIndex<long, Product.View>(Name))
        {
            Assert.Equal(99, index.Count);
            Assert.False(index.ContainsKey(7));
            Assert.True(index.ContainsKey(14));
        }
    }

    [Fact]
    public void ARebuildOfADamagedSectionChangesNothing()
    {
        using TempPath temp = WithIndex(100);
        long at = HeaderOffset(temp.Path);

        // Keys out of order (the header checks cannot see it): the merge refuses them.
        byte[] bytes = File.ReadAllBytes(temp.Path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)at + 128 + (50 * 8)), long.MaxValue);
        File.WriteAllBytes(temp.Path, bytes);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        var before = container.Sections.Select(s => (s.Name, s.Offset, s.Length, s.Count)).ToList();
        using var builder = new SortedIndexBuilder<long, Product.View>();
        builder.Add(3, MakeProduct(3));
        Assert.Contains("not in increasing order", Assert.Throws<InvalidDataException>(() => container.RebuildSortedIndex(Name, builder)).Message);
        Assert.Equal(before, container.Sections.Select(s => (s.Name, s.Offset, s.Length, s.Count)).ToList());
        Assert.Equal(0, builder.Added);

        // The section stays as it was, and opens (lookups near the damage answer wrongly, never fault).
        using Sorted index = container.SortedIndex<long, Product.View>(Name);
        Assert.Equal(100, index.Count);
        Assert.True(index.ContainsKey(0));
    }

    [Fact]
    public void CompactionAndUpgradeKeepTheIndex()
    {
        using TempPath temp = WithIndex(3_000);
        MappedContainer.Compact(temp.Path, Tag);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (Sorted index = container.SortedIndex<long, Product.View>(Name))
        {
            AssertHolds(index, 3_000, v => v.Id);
        }

        MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TestRecord>("people"));
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using (Sorted index = container.SortedIndex<long, Product.View>(Name))
            {
                AssertHolds(index, 3_000, v => v.Id);
            }

            using SortedIndexBuilder<long, Product.View> more = Builder(6_000);
            using Sorted rebuilt = container.RebuildSortedIndex(Name, more);
            AssertHolds(rebuilt, 6_000, v => v.Id);
        }
    }

    [Fact]
    public void AnEmptyIndexSection()
    {
        using TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (var builder = new SortedIndexBuilder<long, NoValue>())
        using (MappedSortedIndex<long, NoValue> index = container.AddSortedIndex("empty", builder))
        {
            Assert.Equal(0, index.Count);
            Assert.False(index.ContainsKey(0));
            Assert.Throws<InvalidOperationException>(() => index.First());
            container.Commit();
        }

        MappedContainer.Compact(temp.Path, Tag);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        using (MappedSortedIndex<long, NoValue> index = container.SortedIndex<long, NoValue>("empty"))
        {
            Assert.Equal(0, index.Count);
            var keys = new List<long>();
            foreach (KeyValuePair<long, NoValue> entry in index.Range(long.MinValue, long.MaxValue))
            {
                keys.Add(entry.Key);
            }

            Assert.Empty(keys);
        }
    }

    // ---- hostile sections ----

    private static int IndexEntry(string path)
    {
        using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
        return container.Sections.Single(s => s.Name == Name).Index;
    }

    private static long HeaderOffset(string path)
    {
        using MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read);
        return container.Sections.Single(s => s.Name == Name).Offset;
    }

    /// <summary>Edits the index's header in the file and fixes its checksum, so the edit reaches the field checks.</summary>
    private static void PatchHeader(string path, Action<Span<byte>> edit)
    {
        long at = HeaderOffset(path);
        byte[] bytes = File.ReadAllBytes(path);
        Span<byte> header = bytes.AsSpan((int)at, 128);
        edit(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[124..], Crc32C.Compute(header[..124], default));
        File.WriteAllBytes(path, bytes);
    }

    private static void OpenIndexFails(string path, string expected)
    {
        byte[] before = File.ReadAllBytes(path);
        InvalidDataException error;
        using (MappedContainer container = MappedContainer.Open(path, Tag, MapAccess.Read))
        {
            error = Assert.Throws<InvalidDataException>(() => container.SortedIndex<long, Product.ReadOnlyView>(Name));
        }

        using (MappedContainer container = MappedContainer.Open(path, Tag))
        {
            Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => container.SortedIndex<long, Product.View>(Name)).Message);
        }

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(Stride, 16UL, "other types")]
    [InlineData(Fingerprint, 0x1234UL, "other types")]
    [InlineData(Aux0, 0x1234UL, "other types")]
    [InlineData(Aux1, 1UL, "not a sorted index")]
    [InlineData(Count, 99UL, "section entry")]
    [InlineData(Count, 0UL, "section entry")]
    [InlineData(Length, 1000UL, "needs")]
    [InlineData(Length, 128UL, "needs")]
    public void EntryFieldsDisagreeingWithTheTypesOrTheHeader(int field, ulong value, string expected)
    {
        using TempPath temp = WithIndex(100);
        int entry = IndexEntry(temp.Path);
        PatchBothSlots(temp.Path, (_, table) =>
        {
            if (field == Stride)
            {
                SetU32(Entry(table, entry), field, (uint)value);
            }
            else
            {
                SetU64(Entry(table, entry), field, value);
            }
        });
        OpenIndexFails(temp.Path, expected);
    }

    [Theory]
    [InlineData(Aux1, 3UL)]
    [InlineData(Length, 100UL)]
    [InlineData(Count, ulong.MaxValue)]
    [InlineData(Stride, 0UL)]
    public void EntryFieldsNoIndexCanHaveFailTheContainersOpen(int field, ulong value)
    {
        using TempPath temp = WithIndex(50);
        int entry = IndexEntry(temp.Path);
        PatchBothSlots(temp.Path, (_, table) =>
        {
            if (field == Stride)
            {
                SetU32(Entry(table, entry), field, (uint)value);
            }
            else
            {
                SetU64(Entry(table, entry), field, value);
            }
        });
        Assert.Throws<InvalidDataException>(() => MappedContainer.Open(temp.Path, Tag).Dispose());
    }

    [Theory]
    [InlineData(40, 1_000_000UL, "keys")]        // count
    [InlineData(40, 109UL, "regions")]           // count: the summary and offsets no longer fit it (101 keys would: their tree lies where 100 keys put it)
    [InlineData(56, 7UL, "regions")]             // summary count: 100 keys make 7 blocks (version 1's count) but one tree node
    [InlineData(64, 64UL, "regions")]            // keys offset
    [InlineData(72, 1UL << 40, "regions")]       // values offset
    [InlineData(80, 0UL, "regions")]             // summary offset
    [InlineData(48, 0UL, "block size")]
    [InlineData(48, 100_000UL, "block size")]
    [InlineData(52, 7UL, "another key type")]    // key order
    [InlineData(16, 4UL, "another key type")]    // key size
    [InlineData(24, 3UL, "another key type")]    // key fingerprint
    [InlineData(32, 3UL, "another value layout")]
    [InlineData(20, 31UL, "another value layout")]
    [InlineData(0, 1UL, "magic")]
    [InlineData(8, 4UL, "version")]
    [InlineData(88, 9UL, "tag")]
    [InlineData(112, 1UL, "reserved")]
    [InlineData(108, 1000UL, "radix table")]
    public void HeaderFieldsForOtherTypesOrOutsideTheSection(int offset, ulong value, string expected)
    {
        using TempPath temp = WithIndex(100);
        bool wide = offset is 0 or 24 or 32 or 40 or 56 or 64 or 72 or 80 or 88;
        PatchHeader(temp.Path, h =>
        {
            if (wide)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(h[offset..], value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(h[offset..], (uint)value);
            }
        });
        OpenIndexFails(temp.Path, expected);
    }

    [Fact]
    public void ADamagedHeaderChecksum()
    {
        using TempPath temp = WithIndex(50);
        long at = HeaderOffset(temp.Path);
        byte[] bytes = File.ReadAllBytes(temp.Path);
        bytes[at + 50] ^= 1;
        File.WriteAllBytes(temp.Path, bytes);
        OpenIndexFails(temp.Path, "checksum");
    }

    [Fact]
    public void RandomDamageToTheSectionNeverReadsOutside()
    {
        var random = new Random(20261205);
        int opened = 0;
        for (int round = 0; round < 150; round++)
        {
            using TempPath temp = WithIndex(300);
            long at = HeaderOffset(temp.Path);
            int entry = IndexEntry(temp.Path);
            byte[] bytes = File.ReadAllBytes(temp.Path);
            int region = (int)Math.Min(bytes.Length - at, 128 + (300 * 40) + 400);
            for (int d = random.Next(1, 12); d > 0; d--)
            {
                bytes[at + (random.Next(3) == 0 ? random.Next(128) : random.Next(region))] = (byte)random.Next(256);
            }

            if (random.Next(2) == 0)
            {
                Span<byte> header = bytes.AsSpan((int)at, 128);
                BinaryPrimitives.WriteUInt32LittleEndian(header[124..], Crc32C.Compute(header[..124], default));
            }

            File.WriteAllBytes(temp.Path, bytes);
            if (random.Next(3) == 0)
            {
                int field = new[] { Count, Length, Capacity, Offset }[random.Next(4)];
                PatchBothSlots(temp.Path, (_, table) => SetU64(Entry(table, entry), field, (ulong)random.NextInt64(0, 1 << 20)));
            }

            MappedContainer container;
            try
            {
                container = MappedContainer.Open(temp.Path, Tag);
            }
            catch (InvalidDataException)
            {
                continue;
            }

            using (container)
            {
                Sorted index;
                try
                {
                    index = container.SortedIndex<long, Product.View>(Name);
                }
                catch (InvalidDataException)
                {
                    continue;
                }

                opened++;
                using (index)
                {
                    for (int op = 0; op < 200; op++)
                    {
                        long key = random.Next(-10, 2_200);
                        if (index.TryGetValue(key, out Product.View view))
                        {
                            _ = view.Stock;
                        }

                        foreach (KeyValuePair<long, Product.View> pair in index.Range(key, key + 50))
                        {
                            _ = pair.Value.Price;
                        }
                    }

                    foreach (KeyValuePair<long, Product.View> pair in index)
                    {
                        _ = pair.Value.Id;
                    }

                    if (index.Count > 0)
                    {
                        _ = index.First().Value.Id + index.Last().Value.Id;
                    }

                    // A rebuild of a damaged index writes a whole index or refuses.
                    using var builder = new SortedIndexBuilder<long, Product.View>();
                    builder.Add(-5, MakeProduct(-5));
                    try
                    {
                        using Sorted rebuilt = container.RebuildSortedIndex(Name, builder);
                        Assert.True(rebuilt.ContainsKey(-5));
                    }
                    catch (InvalidDataException)
                    {
                    }
                }
            }
        }

        output.WriteLine($"{opened} of 150 damaged sections opened and were used");
        Assert.True(opened > 10);
    }
}
