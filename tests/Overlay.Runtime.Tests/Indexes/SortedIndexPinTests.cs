using System;
using System.Collections.Generic;
using System.Linq;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Indexes;

/// <summary>
/// <c>MappedSortedIndex.Pin</c> and <c>PinReadOnly</c> (docs/indexes.md, "Pinned lookups"): inside
/// the callback, lookups answer as the index's own for every format version and kind of key;
/// values come as the layout's <c>Ref</c>s, writable in place through <c>Pin</c>; closing is
/// refused until the callback returns; what a pin cannot do is refused when it begins.
/// </summary>
public class SortedIndexPinTests
{
    private static ulong KeyOf(long i) => unchecked(((ulong)i * 0x9E3779B97F4A7C15UL) | 1);

    private static List<ulong> Build(string path, int count, uint version = SortedIndexHeader.Version)
    {
        var keys = new List<ulong>();
        using var builder = new SortedIndexBuilder<ulong, Product.View>() { FormatVersion = version };
        for (int i = 0; i < count; i++)
        {
            builder.Add(KeyOf(i), new Product { Id = i * 7 });
            keys.Add(KeyOf(i));
        }

        builder.Build(path);
        return keys;
    }

    [Theory]
    [InlineData(1u, 5000)]
    [InlineData(2u, 5000)]
    [InlineData(3u, 5000)]
    [InlineData(3u, 15)]
    [InlineData(3u, 0)]
    public void PinnedLookupsAnswerAsTheIndexDoes(uint version, int count)
    {
        using var temp = new TempPath();
        List<ulong> keys = Build(temp.Path, count, version);
        using var index = MappedSortedIndex<ulong, Product.ReadOnlyView>.Open(temp.Path);
        long found = index.PinReadOnly<Product.ReadOnlyRef, (List<ulong> Keys, MappedSortedIndex<ulong, Product.ReadOnlyView> Index), long>((keys, index), static (pin, state) =>
        {
            Assert.Equal(state.Keys.Count, pin.Count);
            long n = 0;
            for (int i = 0; i < state.Keys.Count; i++)
            {
                Assert.True(pin.TryGetValue(state.Keys[i], out Product.ReadOnlyRef value));
                Assert.Equal(i * 7L, value.Id);
                Assert.True(pin.ContainsKey(state.Keys[i]));
                n++;
            }

            for (int i = 0; i < 2000; i++)
            {
                ulong absent = KeyOf(100_000 + i) & ~1UL; // even: never a key
                Assert.False(pin.TryGetValue(absent, out _));
                Assert.False(pin.ContainsKey(absent));
                Assert.False(state.Index.ContainsKey(absent));
            }

            Assert.False(pin.ContainsKey(0));
            Assert.False(pin.ContainsKey(ulong.MaxValue));
            return n;
        });

        Assert.Equal(count, found);
    }

    [Fact]
    public void PinnedLookupsTakeGuidAndLayoutKeys()
    {
        using var temp = new TempPath();
        var guids = Enumerable.Range(0, 3000).Select(_ => Guid.NewGuid()).ToList();
        using (var builder = new SortedIndexBuilder<Guid, Counter.ReadOnlyView>())
        {
            for (int i = 0; i < guids.Count; i++)
            {
                builder.Add(guids[i], new Counter { Value = i });
            }

            builder.Build(temp.Path);
        }

        using var index = MappedSortedIndex<Guid, Counter.ReadOnlyView>.Open(temp.Path);
        index.PinReadOnly<Counter.ReadOnlyRef, List<Guid>, bool>(guids, static (pin, guids) =>
        {
            for (int i = 0; i < guids.Count; i++)
            {
                Assert.True(pin.TryGetValue(guids[i], out Counter.ReadOnlyRef value));
                Assert.Equal(i, value.Value);
            }

            Assert.False(pin.ContainsKey(Guid.NewGuid()));
            return true;
        });

        using var skus = new TempPath();
        IndexKeyFormat<SkuKey> format = IndexKeyFormat.ForLayout<SkuKey>();
        using (var builder = new SortedIndexBuilder<SkuKey, Counter.ReadOnlyView>(format))
        {
            for (int i = 0; i < 500; i++)
            {
                builder.Add(new SkuKey { Code = $"sku{i}", Warehouse = i % 3 }, new Counter { Value = i });
            }

            builder.Build(skus.Path);
        }

        using var bySku = MappedSortedIndex<SkuKey, Counter.ReadOnlyView>.Open(skus.Path, keyFormat: format);
        bySku.PinReadOnly<Counter.ReadOnlyRef, bool>(static pin =>
        {
            for (int i = 0; i < 500; i++)
            {
                Assert.True(pin.TryGetValue(new SkuKey { Code = $"sku{i}", Warehouse = i % 3 }, out Counter.ReadOnlyRef value));
                Assert.Equal(i, value.Value);
                Assert.False(pin.ContainsKey(new SkuKey { Code = $"sku{i}", Warehouse = 7 }));
            }

            return true;
        });
    }

    [Fact]
    public void PinWritesValuesInPlaceAndClosingIsRefusedUnderThePin()
    {
        using var temp = new TempPath();
        List<ulong> keys = Build(temp.Path, 3000);
        using (var index = MappedSortedIndex<ulong, Product.View>.Open(temp.Path, MapAccess.Write))
        {
            index.Pin<Product.Ref, (List<ulong> Keys, MappedSortedIndex<ulong, Product.View> Index), bool>((keys, index), static (pin, state) =>
            {
                Assert.Throws<InvalidOperationException>(() => state.Index.Dispose());
                foreach (ulong key in state.Keys)
                {
                    Assert.True(pin.TryGetValue(key, out Product.Ref value));
                    value.Stock = (int)(key % 1000);
                }

                return true;
            });

            // The refused Dispose left it open.
            Assert.Equal(3000, index.Count);
            index.Flush();
        }

        using var reader = MappedSortedIndex<ulong, Product.ReadOnlyView>.Open(temp.Path);
        foreach (ulong key in keys)
        {
            Assert.True(reader.TryGetValue(key, out Product.ReadOnlyView value));
            Assert.Equal((int)(key % 1000), value.Stock);
        }
    }

#pragma warning disable OVL005, OVL006 // the run-time checks under test; the analyzer reports these calls at compile time
    [Fact]
    public void WhatAPinCannotDoIsRefusedWhenItBegins()
    {
        using var temp = new TempPath();
        Build(temp.Path, 100);
        using (var reader = MappedSortedIndex<ulong, Product.ReadOnlyView>.Open(temp.Path))
        {
            Assert.Throws<ArgumentNullException>(() => reader.PinReadOnly<Product.ReadOnlyRef, bool>(null!));
            ArgumentException wrong = Assert.Throws<ArgumentException>(() => reader.PinReadOnly<Counter.ReadOnlyRef, bool>(_ => true));
            Assert.Contains("not the layout", wrong.Message, StringComparison.Ordinal);
            Assert.Throws<NotSupportedException>(() => reader.Pin<Product.Ref, bool>(_ => true));
            Assert.Throws<FormatException>(() => reader.PinReadOnly<Product.ReadOnlyRef, bool>(_ => throw new FormatException()));
        }

        // The pin that threw ended: the index closes.
        var closed = MappedSortedIndex<ulong, Product.ReadOnlyView>.Open(temp.Path);
        closed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => closed.PinReadOnly<Product.ReadOnlyRef, bool>(_ => true));
    }

#pragma warning restore OVL005, OVL006

    [Fact]
    public void ADefaultPinIsAnEmptyIndex()
    {
        ReadOnlyPinnedSortedIndex<ulong, Product.ReadOnlyView, Product.ReadOnlyRef> pin = default;
        Assert.Equal(0, pin.Count);
        Assert.False(pin.TryGetValue(5, out _));
        PinnedSortedIndex<Guid, Counter.View, Counter.Ref> writable = default;
        Assert.False(writable.ContainsKey(Guid.Empty));
    }

    [Fact]
    public void ASectionIndexPinsAndItsContainerCannotCloseUnderThePin()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        using (var builder = new SortedIndexBuilder<ulong, Product.View>())
        {
            for (int i = 0; i < 3000; i++)
            {
                builder.Add(KeyOf(i), new Product { Id = i });
            }

            container.AddSortedIndex("products", builder).Dispose();
        }

        using MappedSortedIndex<ulong, Product.View> index = container.SortedIndex<ulong, Product.View>("products");
        long found = index.PinReadOnly<Product.ReadOnlyRef, MappedContainer, long>(container, static (pin, container) =>
        {
            Assert.Throws<InvalidOperationException>(() => container.Dispose());
            long n = 0;
            for (int i = 0; i < 3000; i++)
            {
                Assert.True(pin.TryGetValue(KeyOf(i), out Product.ReadOnlyRef value));
                Assert.Equal(i, value.Id);
                n++;
            }

            return n;
        });

        Assert.Equal(3000, found);
        container.Commit();
    }
}
