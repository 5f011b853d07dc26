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

using ProductIndex = MappedHashIndex<ulong, Product.View>;
using ReadOnlyProductIndex = MappedHashIndex<ulong, Product.ReadOnlyView>;

/// <summary>
/// A hash index in a container section: the API, read-only containers, lifetimes (use after the
/// index's or the container's close, views across a relocation), compaction and upgrade of the
/// container, and hostile sections (entry fields against the header, lengths past the section,
/// fingerprints, random damage), each an <see cref="InvalidDataException"/> or a bounded walk.
/// </summary>
public class HashIndexSectionTests(ITestOutputHelper output)
{
    private const string Name = "products";

    private static Product MakeProduct(long i) => new() { Id = i, Price = i * 0.25, Stock = (int)(i % 100), Name = $"p{i}" };

    /// <summary>Whether <see cref="WithIndex"/> builds the index in bulk (<see cref="MappedContainer.BuildHashIndex{TKey, TValue}"/>) rather than by inserts.</summary>
    protected virtual bool BulkBuilt => false;

    /// <summary>A committed container: records "people" etc. (<see cref="ContainerFiles.Sample"/>) and an index "products" of <paramref name="count"/> keys.</summary>
    private TempPath WithIndex(int count, HashIndexOptions? options = null)
    {
        TempPath temp = Sample();
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            using ProductIndex index = BulkBuilt ? Built(container, count, options) : container.AddHashIndex<ulong, Product.View>(Name, options);
            for (int i = 0; i < count && !BulkBuilt; i++)
            {
                index.Set((ulong)i * 7, MakeProduct(i));
            }

            // Twice: both meta slots hold the index's entry (the hostile tests patch both).
            container.Commit();
            container.Commit();
        }

        return temp;
    }

    private static ProductIndex Built(MappedContainer container, int count, HashIndexOptions? options)
    {
        using var builder = new HashIndexBuilder<ulong, Product.View>();
        for (int i = 0; i < count; i++)
        {
            builder.Add((ulong)i * 7, MakeProduct(i));
        }

        return container.BuildHashIndex(Name, builder, options);
    }

    private static ulong FingerprintOf<TView>()
        where TView : struct, Overlay.Layouts.IMappedView<TView> => TView.LayoutFingerprint;

    private static void AssertHolds(ProductIndex index, int count)
    {
        Assert.Equal(count, index.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.True(index.TryGetValue((ulong)i * 7, out Product.View view), $"key {i * 7} missing");
            Assert.Equal(i, view.Id);
            Assert.Equal($"p{i}", view.Name);
        }

        Assert.False(index.ContainsKey(1));
    }

    [Fact]
    public void AnIndexLivesBesideRecordsAndComesBackAfterReopen()
    {
        using TempPath temp = WithIndex(5_000);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            SectionInfo info = container.Sections.Single(s => s.Name == Name);
            Assert.Equal(SectionKind.Index, info.Kind);
            Assert.Equal(5_000, info.Count);
            Assert.Equal(FingerprintOf<Product.View>(), info.Fingerprint);
            Assert.Equal(10, container.Records<TestRecord.View>("people").Count);
            using ProductIndex index = container.HashIndex<ulong, Product.View>(Name);
            AssertHolds(index, 5_000);
            Assert.Equal(info.Length, 128 + ((index.Capacity + 256) * info.Stride));

            // An update in place, durable at the commit.
            index.GetValue(7).Stock = 12_345;
            index.Flush();
        }

        using (MappedContainer reader = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            using ReadOnlyProductIndex index = reader.HashIndex<ulong, Product.ReadOnlyView>(Name);
            Assert.True(index.IsReadOnly);
            Assert.Equal(12_345, index.GetValue(7).Stock);
            Assert.Equal(5_000, index.Count);
        }
    }

    [Fact]
    public void AReadOnlyContainerGivesAReadOnlyIndex()
    {
        using TempPath temp = WithIndex(10);
        using MappedContainer reader = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Throws<NotSupportedException>(() => reader.HashIndex<ulong, Product.View>(Name));
        Assert.Throws<ArgumentException>(() => reader.HashIndex<ulong, Product.ReadOnlyView>(Name, recover: true));
        Assert.Throws<NotSupportedException>(() => reader.AddHashIndex<ulong, Product.View>("more"));
        using ReadOnlyProductIndex index = reader.HashIndex<ulong, Product.ReadOnlyView>(Name);
        Assert.Throws<NotSupportedException>(() => index.Remove(0));
        Assert.Throws<NotSupportedException>(() => index.GetOrAdd(1));
        index.Flush(); // nothing to do for a reader
        Assert.Equal(10, index.Count);
    }

    [Fact]
    public void OneInstancePerSectionAndTheKindIsChecked()
    {
        using TempPath temp = WithIndex(10);
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        using (ProductIndex first = container.HashIndex<ulong, Product.View>(Name))
        {
            Assert.Throws<InvalidOperationException>(() => container.HashIndex<ulong, Product.View>(Name));
        }

        using (ProductIndex again = container.HashIndex<ulong, Product.View>(Name))
        {
            Assert.Equal(10, again.Count);
        }

        Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Product.View>("people"));
        Assert.Throws<KeyNotFoundException>(() => container.HashIndex<ulong, Product.View>("nothing"));
        Assert.Throws<ArgumentException>(() => container.AddHashIndex<ulong, Product.View>(Name));

        // Other types than the index was made for.
        Assert.Contains("other types", Assert.Throws<InvalidDataException>(() => container.HashIndex<uint, Product.View>(Name)).Message);
        Assert.Contains("other types", Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Counter.View>(Name)).Message);
        Assert.Contains("tag", Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Product.View>(Name, tag: 5)).Message);
    }

    [Fact]
    public void UseAfterCloseThrows()
    {
        using TempPath temp = WithIndex(10);
        MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        ProductIndex index = container.HashIndex<ulong, Product.View>(Name);
        Product.View view = index.GetValue(7);

        // The index's close leaves the container open, and the section can be opened again.
        index.Dispose();
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Count);
        Assert.Throws<ObjectDisposedException>(() => index.TryGetValue(7, out _));
        Assert.Throws<ObjectDisposedException>(() => index.Set(7, MakeProduct(1)));
        Assert.Throws<ObjectDisposedException>(() => index.Flush());
        Assert.Throws<ObjectDisposedException>(() => index.GetEnumerator());
        Assert.Equal(1, view.Id); // a view reads the container's map, which is still open
        index = container.HashIndex<ulong, Product.View>(Name);
        view = index.GetValue(7);

        // The container's close closes the index and its views.
        container.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Count);
        Assert.Throws<ObjectDisposedException>(() => index.ContainsKey(7));
        Assert.Throws<ObjectDisposedException>(() => index.Remove(7));
        Assert.Throws<ObjectDisposedException>(() => view.Id);
        index.Dispose();
    }

    [Fact]
    public void ViewsTakenBeforeARelocationAreRefused()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        using ProductIndex index = container.AddHashIndex<ulong, Product.View>(Name);
        RawSection other = container.AddRaw("other");
        other.Append(new byte[100]);
        container.Commit();
        long before = container.Sections.Single(s => s.Name == Name).Offset;
        index.Set(0UL, MakeProduct(0));
        Product.View stale = index.GetValue(0);
        for (int i = 1; i < 200; i++)
        {
            index.Set((ulong)i, MakeProduct(i));
        }

        Assert.NotEqual(before, container.Sections.Single(s => s.Name == Name).Offset);
        Assert.Throws<InvalidOperationException>(() => stale.Id);
        Assert.Equal(0, index.GetValue(0).Id);

        // The neighbour grows and moves the map: the index follows.
        other.Append(new byte[1 << 22]);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(i, index.GetValue((ulong)i).Id);
        }
    }

    [Fact]
    public void CompactionAndUpgradeKeepTheIndex()
    {
        using TempPath temp = WithIndex(3_000);
        CompactionResult compacted = MappedContainer.Compact(temp.Path, Tag);
        output.WriteLine($"compacted {compacted}");
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (ProductIndex index = container.HashIndex<ulong, Product.View>(Name))
        {
            AssertHolds(index, 3_000);

            // Compaction trimmed the capacity: the next growth relocates, and works.
            for (int i = 3_000; i < 6_000; i++)
            {
                index.Set((ulong)i * 7, MakeProduct(i));
            }

            container.Commit();
        }

        MappedContainer.Upgrade(temp.Path, Tag, new ContainerUpgrade().Records<TestRecord>("people"));
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (ProductIndex index = container.HashIndex<ulong, Product.View>(Name))
        {
            AssertHolds(index, 6_000);
            Assert.Equal(10, container.Records<TestRecord.View>("people").Count);
        }
    }

    [Fact]
    public void ARemovalIsDurableAtTheCommit()
    {
        using TempPath temp = WithIndex(100);
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            ProductIndex index = container.HashIndex<ulong, Product.View>(Name);
            Assert.True(index.Remove(0));
            container.Commit();
            Assert.True(index.Remove(7));

            // Closed without a commit after a change: the index must be recovered.
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        {
            Assert.Contains("recover: true", Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Product.View>(Name)).Message);
            using ProductIndex index = container.HashIndex<ulong, Product.View>(Name, recover: true);
            Assert.False(index.ContainsKey(0));
            for (int i = 2; i < 100; i++)
            {
                Assert.True(index.ContainsKey((ulong)i * 7));
            }

            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (ProductIndex index = container.HashIndex<ulong, Product.View>(Name))
        {
            Assert.False(index.ContainsKey(0));
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

    private static string OpenIndexFails(string path, bool writer = true)
    {
        byte[] before = File.ReadAllBytes(path);
        InvalidDataException error;
        using (MappedContainer container = MappedContainer.Open(path, Tag, writer ? MapAccess.Write : MapAccess.Read))
        {
            error = writer
                ? Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Product.View>(Name))
                : Assert.Throws<InvalidDataException>(() => container.HashIndex<ulong, Product.ReadOnlyView>(Name));
        }

        // Read after the close: Windows refuses a reader that denies writing while the container holds the file for writing.
        Assert.Contains(path, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        return error.Message;
    }

    [Theory]
    [InlineData(Stride, 56UL, "other types")]
    [InlineData(Fingerprint, 0x1234UL, "other types")]
    [InlineData(Aux0, 0x1234UL, "other types")]
    [InlineData(Aux1, 2UL, "not a hash index")]
    public void EntryFieldsDisagreeingWithTheTypesOrTheHeader(int field, ulong value, string expected)
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
        Assert.Contains(expected, OpenIndexFails(temp.Path));
        Assert.Contains(expected, OpenIndexFails(temp.Path, writer: false));
    }

    [Theory]
    [InlineData(Aux1, 3UL)]
    [InlineData(Aux1, 0UL)]
    [InlineData(Length, 100UL)]
    [InlineData(Count, ulong.MaxValue)]
    public void EntryFieldsNoIndexCanHaveFailTheContainersOpen(int field, ulong value)
    {
        using TempPath temp = WithIndex(50);
        int entry = IndexEntry(temp.Path);
        PatchBothSlots(temp.Path, (_, table) => SetU64(Entry(table, entry), field, value));
        Assert.Contains("index section", Assert.Throws<InvalidDataException>(() => MappedContainer.Open(temp.Path, Tag).Dispose()).Message);
    }

    [Fact]
    public void ACountOrLengthDisagreeingWithTheHeaderNeedsRecovery()
    {
        using TempPath temp = WithIndex(50);
        int entry = IndexEntry(temp.Path);
        PatchBothSlots(temp.Path, (_, table) => SetU64(Entry(table, entry), Count, 49));
        Assert.Contains("recover: true", OpenIndexFails(temp.Path));

        // A reader takes the pages as they are; a writer's recovery rebuilds from the slots.
        using (MappedContainer reader = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        using (ReadOnlyProductIndex index = reader.HashIndex<ulong, Product.ReadOnlyView>(Name))
        {
            Assert.Equal(50, index.Count);
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (ProductIndex index = container.HashIndex<ulong, Product.View>(Name, recover: true))
        {
            AssertHolds(index, 50);
            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag))
        using (ProductIndex index = container.HashIndex<ulong, Product.View>(Name))
        {
            AssertHolds(index, 50);
        }
    }

    [Fact]
    public void AHeaderClaimingMoreSlotsThanTheSectionHolds()
    {
        using TempPath temp = WithIndex(50);
        PatchHeader(temp.Path, h => BinaryPrimitives.WriteUInt64LittleEndian(h[64..], BinaryPrimitives.ReadUInt64LittleEndian(h[64..]) * 64));
        Assert.Contains("slots", OpenIndexFails(temp.Path));
        Assert.Contains("slots", OpenIndexFails(temp.Path, writer: false));
    }

    [Fact]
    public void ARescueAreaPastTheSection()
    {
        using TempPath temp = WithIndex(50);
        PatchHeader(temp.Path, h =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[80..], 2);
            BinaryPrimitives.WriteUInt64LittleEndian(h[104..], 1 << 20);
            BinaryPrimitives.WriteUInt64LittleEndian(h[112..], 10);
        });
        Assert.Contains("rescue", OpenIndexFails(temp.Path));
    }

    [Theory]
    [InlineData(24)] // key fingerprint
    [InlineData(32)] // value fingerprint
    [InlineData(16)] // key size
    public void HeaderFingerprintsAndSizesForOtherTypes(int offset)
    {
        using TempPath temp = WithIndex(50);
        PatchHeader(temp.Path, h => h[offset] ^= 0x40);
        Assert.Contains("another", OpenIndexFails(temp.Path));
    }

    [Fact]
    public void ADamagedHeaderChecksum()
    {
        using TempPath temp = WithIndex(50);
        long at = HeaderOffset(temp.Path);
        byte[] bytes = File.ReadAllBytes(temp.Path);
        bytes[at + 50] ^= 1;
        File.WriteAllBytes(temp.Path, bytes);
        Assert.Contains("checksum", OpenIndexFails(temp.Path));
    }

    [Fact]
    public void RandomDamageToTheSectionNeverReadsOutside()
    {
        var random = new Random(20261204);
        int opened = 0;
        for (int round = 0; round < 150; round++)
        {
            using TempPath temp = WithIndex(300, new HashIndexOptions { TailSlots = 2, Seed = 7 });
            long at = HeaderOffset(temp.Path);
            int entry = IndexEntry(temp.Path);
            byte[] bytes = File.ReadAllBytes(temp.Path);
            int region = (int)Math.Min(bytes.Length - at, 128 + (512 + 2) * 48);
            for (int d = random.Next(1, 12); d > 0; d--)
            {
                bytes[at + (random.Next(3) == 0 ? random.Next(128) : random.Next(region))] = (byte)random.Next(256);
            }

            bool fixHeader = random.Next(2) == 0;
            if (fixHeader)
            {
                Span<byte> header = bytes.AsSpan((int)at, 128);
                BinaryPrimitives.WriteUInt32LittleEndian(header[124..], Crc32C.Compute(header[..124], default));
            }

            File.WriteAllBytes(temp.Path, bytes);
            if (random.Next(3) == 0)
            {
                int field = new[] { Count, Length, Capacity }[random.Next(3)];
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
                ProductIndex index;
                try
                {
                    index = container.HashIndex<ulong, Product.View>(Name, recover: random.Next(2) == 0);
                }
                catch (InvalidDataException)
                {
                    continue;
                }

                opened++;
                using (index)
                {
                    for (int op = 0; op < 400; op++)
                    {
                        ulong key = (ulong)random.Next(3_000);
                        switch (random.Next(4))
                        {
                            case 0:
                                index.TryGetValue(key, out _);
                                break;
                            case 1:
                                index.Set(key, MakeProduct(op));
                                Assert.True(index.ContainsKey(key));
                                break;
                            case 2:
                                index.Remove(key);
                                Assert.False(index.ContainsKey(key));
                                break;
                            default:
                                foreach (KeyValuePair<ulong, Product.View> pair in index)
                                {
                                    _ = pair.Value.Stock;
                                }

                                break;
                        }
                    }

                    container.Commit();
                }
            }
        }

        output.WriteLine($"{opened} of 150 damaged sections opened and were used");
        Assert.True(opened > 10);
    }
}
