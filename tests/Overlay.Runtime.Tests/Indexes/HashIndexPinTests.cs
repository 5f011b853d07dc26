using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Platform;
using Overlay.Tests.Layouts;
using Overlay.Tests.Safety;
using Xunit;
using static Overlay.Tests.Formats.ContainerFiles;

namespace Overlay.Tests.Indexes;

using ProductIndex = MappedHashIndex<ulong, Product.View>;
using ReadOnlyProductIndex = MappedHashIndex<ulong, Product.ReadOnlyView>;

/// <summary>
/// <c>MappedHashIndex.Pin</c> and <c>PinReadOnly</c> (docs/indexes.md, "Pinned lookups"): inside the
/// callback, lookups answer as the index's own, for every kind of key and both hash functions;
/// values come as the layout's <c>Ref</c>s over the slots, writable in place through <c>Pin</c>;
/// every change to the table, and closing, is refused until the callback returns, before anything
/// is written; the checks a pin no longer makes per lookup are made when it begins.
/// </summary>
public class HashIndexPinTests
{
    private static ulong KeyOf(int i) => unchecked(((ulong)i * 0x9E3779B97F4A7C15UL) | 1);

    private static Dictionary<ulong, long> Fill(ProductIndex index, int count)
    {
        var model = new Dictionary<ulong, long>();
        for (int i = 0; i < count; i++)
        {
            index.GetOrAdd(KeyOf(i)).Id = i * 7;
            model[KeyOf(i)] = i * 7;
        }

        return model;
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(1u)]
    public void PinnedLookupsAnswerAsTheIndexDoes(uint function)
    {
        using var temp = new TempPath();
        Dictionary<ulong, long> model;
        using (ProductIndex index = ProductIndex.Create(temp.Path, new HashIndexOptions { HashFunction = function }))
        {
            model = Fill(index, 5000); // grows several times
            Assert.True(index.Remove(KeyOf(3)));
            model.Remove(KeyOf(3));
        }

        using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read);
        long checkedKeys = reader.PinReadOnly<Product.ReadOnlyRef, Dictionary<ulong, long>, long>(model, static (pin, model) =>
        {
            Assert.Equal(model.Count, pin.Count);
            long n = 0;
            foreach ((ulong key, long id) in model)
            {
                Assert.True(pin.TryGetValue(key, out Product.ReadOnlyRef value));
                Assert.Equal(id, value.Id);
                Assert.True(pin.ContainsKey(key));
                n++;
            }

            for (int i = 0; i < 2000; i++)
            {
                ulong absent = KeyOf(100_000 + i) & ~1UL; // even: never a key
                Assert.False(pin.TryGetValue(absent, out _));
                Assert.False(pin.ContainsKey(absent));
            }

            Assert.False(pin.ContainsKey(KeyOf(3)));
            return n;
        });

        Assert.Equal(model.Count, checkedKeys);
    }

    [Fact]
    public void PinnedLookupsTakeEveryKindOfKey()
    {
        using var temp = new TempPath();

        // A layout key (its stored format in a stack buffer), a 4-byte and a 16-byte primitive.
        var skus = MappedHashIndex<SkuKey, Product.View>.Create(Path.Combine(temp.Path + ".sku"), keyFormat: IndexKeyFormat.ForLayout<SkuKey>());
        var ints = MappedHashIndex<int, Product.View>.Create(temp.Path + ".int");
        var guids = MappedHashIndex<Guid, Product.View>.Create(temp.Path + ".guid");
        try
        {
            var guidKeys = new List<Guid>();
            for (int i = 0; i < 700; i++)
            {
                skus.GetOrAdd(new SkuKey { Code = $"SKU-{i}", Warehouse = i % 3 }).Id = i;
                ints.GetOrAdd(i * 31).Id = i;
                var guid = new Guid(i, (short)i, (short)(i >> 3), 1, 2, 3, 4, 5, 6, 7, 8);
                guidKeys.Add(guid);
                guids.GetOrAdd(guid).Id = i;
            }

            skus.PinReadOnly<Product.ReadOnlyRef, bool>(pin =>
            {
                for (int i = 0; i < 700; i++)
                {
                    Assert.True(pin.TryGetValue(new SkuKey { Code = $"SKU-{i}", Warehouse = i % 3 }, out Product.ReadOnlyRef value));
                    Assert.Equal(i, value.Id);
                    Assert.False(pin.ContainsKey(new SkuKey { Code = $"SKU-{i}", Warehouse = 3 }));
                }

                return true;
            });

            ints.PinReadOnly<Product.ReadOnlyRef, bool>(pin =>
            {
                for (int i = 0; i < 700; i++)
                {
                    Assert.True(pin.TryGetValue(i * 31, out Product.ReadOnlyRef value));
                    Assert.Equal(i, value.Id);
                    Assert.False(pin.ContainsKey((i * 31) + 1));
                }

                return true;
            });

            guids.PinReadOnly<Product.ReadOnlyRef, bool>(pin =>
            {
                for (int i = 0; i < 700; i++)
                {
                    Assert.True(pin.TryGetValue(guidKeys[i], out Product.ReadOnlyRef value));
                    Assert.Equal(i, value.Id);
                }

                Assert.False(pin.ContainsKey(Guid.Empty));
                return true;
            });
        }
        finally
        {
            skus.Dispose();
            ints.Dispose();
            guids.Dispose();
            File.Delete(temp.Path + ".sku");
            File.Delete(temp.Path + ".int");
            File.Delete(temp.Path + ".guid");
        }
    }

    [Fact]
    public void PinWritesValuesInPlaceAndTheFlushKeepsThem()
    {
        using var temp = new TempPath();
        using (ProductIndex index = ProductIndex.Create(temp.Path))
        {
            Fill(index, 1000);
            index.Flush();
            index.Pin<Product.Ref, bool>(pin =>
            {
                for (int i = 0; i < 1000; i += 2)
                {
                    Assert.True(pin.TryGetValue(KeyOf(i), out Product.Ref value));
                    value.Stock = i + 1;
                    value.Price = i * 0.5;
                }

                return true;
            });

            // The index's own views see the stores at once.
            Assert.Equal(5, index.GetValue(KeyOf(4)).Stock);
        }

        using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read);
        for (int i = 0; i < 1000; i++)
        {
            Product.ReadOnlyView value = reader.GetValue(KeyOf(i));
            Assert.Equal(i % 2 == 0 ? i + 1 : 0, value.Stock);
            Assert.Equal(i % 2 == 0 ? i * 0.5 : 0, value.Price);
            Assert.Equal(i * 7, value.Id);
        }
    }

    [Fact]
    public void EveryChangeIsRefusedWhilePinnedAndNothingIsWritten()
    {
        using var temp = new TempPath();
        using ProductIndex index = ProductIndex.Create(temp.Path);
        Fill(index, 300);
        Assert.True(index.Remove(KeyOf(5))); // a tombstone: the next flush compacts, which moves entries
        long capacity = index.Capacity;

        index.PinReadOnly<Product.ReadOnlyRef, ProductIndex, bool>(index, static (pin, index) =>
        {
            Assert.Throws<InvalidOperationException>(() => index.GetOrAdd(KeyOf(1000)));
            Assert.Throws<InvalidOperationException>(() => index.GetOrAdd(KeyOf(1)));
            Assert.Throws<InvalidOperationException>(() => index.TryAdd(KeyOf(1001)));
            Assert.Throws<InvalidOperationException>(() => index.Set(KeyOf(2), new Product { Id = -1 }));
            Assert.Throws<InvalidOperationException>(() => index.Remove(KeyOf(2)));
            Assert.Throws<InvalidOperationException>(() => index.Clear());
            Assert.Throws<InvalidOperationException>(() => index.Flush());
            Assert.Throws<InvalidOperationException>(() => index.Dispose());

            // Lookups through the index itself still work, and the pin's answers did not move.
            Assert.Equal(299, index.Count);
            Assert.True(pin.TryGetValue(KeyOf(2), out Product.ReadOnlyRef value));
            Assert.Equal(14, value.Id);
            Assert.Equal(14, index.GetValue(KeyOf(2)).Id);
            return true;
        });

        // Nothing the refused calls asked for happened; the index works again once the pin ends.
        Assert.Equal(299, index.Count);
        Assert.Equal(capacity, index.Capacity);
        Assert.False(index.ContainsKey(KeyOf(1000)));
        Assert.False(index.ContainsKey(KeyOf(1001)));
        Assert.Equal(14, index.GetValue(KeyOf(2)).Id);
        Assert.False(index.ContainsKey(KeyOf(5)));
        Assert.True(index.TryAdd(KeyOf(1001)));
        index.Flush();
        Assert.Equal(300, index.Count);
    }

    [Fact]
    public void AFlushWithNothingToMoveIsAllowedWhilePinned()
    {
        using var temp = new TempPath();
        using ProductIndex index = ProductIndex.Create(temp.Path);
        Fill(index, 100); // dirty, no removals: the flush writes the header and moves nothing
        index.PinReadOnly<Product.ReadOnlyRef, ProductIndex, bool>(index, static (pin, index) =>
        {
            index.Flush();
            index.Flush();
            return pin.ContainsKey(KeyOf(1));
        });

        index.Dispose();
        using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read);
        Assert.Equal(100, reader.Count);
    }

    [Fact]
    public void ARefreshIsRefusedWhilePinned()
    {
        using var temp = new TempPath();
        using (ProductIndex index = ProductIndex.Create(temp.Path))
        {
            Fill(index, 50);
        }

        using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read);
        reader.PinReadOnly<Product.ReadOnlyRef, ReadOnlyProductIndex, bool>(reader, static (pin, reader) =>
        {
            Assert.Throws<InvalidOperationException>(() => reader.Refresh());
            return true;
        });

        Assert.False(reader.Refresh()); // nothing changed since it opened
    }

    [Fact]
    public void APinEndsWhenItsCallbackThrows()
    {
        using var temp = new TempPath();
        using ProductIndex index = ProductIndex.Create(temp.Path);
        Fill(index, 10);
        Assert.Throws<FormatException>(() => index.PinReadOnly<Product.ReadOnlyRef, bool>(_ => throw new FormatException()));
        Assert.Throws<FormatException>(() => index.Pin<Product.Ref, bool>(_ => throw new FormatException()));
        Assert.True(index.TryAdd(KeyOf(11)));
        index.Dispose();
    }

    [Fact]
    public void PinsOnSeveralThreadsAtOnce()
    {
        using var temp = new TempPath();
        using ProductIndex index = ProductIndex.Create(temp.Path);
        Fill(index, 2000);
        Parallel.For(0, 4, worker =>
        {
            for (int round = 0; round < 50; round++)
            {
                long sum = index.PinReadOnly<Product.ReadOnlyRef, long>(pin =>
                {
                    long total = 0;
                    for (int i = 0; i < 2000; i++)
                    {
                        Assert.True(pin.TryGetValue(KeyOf(i), out Product.ReadOnlyRef value));
                        total += value.Id;
                    }

                    return total;
                });
                Assert.Equal(7L * 1999 * 2000 / 2, sum);
            }
        });

        Assert.True(index.TryAdd(KeyOf(5000))); // every pin ended
    }

    [Fact]
#pragma warning disable OVL005, OVL006 // the run-time checks under test; the analyzer reports these calls at compile time
    public void WhatAPinCannotDoIsRefusedWhenItBegins()
    {
        using var temp = new TempPath();
        using (ProductIndex index = ProductIndex.Create(temp.Path))
        {
            Fill(index, 10);
            Assert.Throws<ArgumentNullException>(() => index.PinReadOnly<Product.ReadOnlyRef, bool>(null!));
            Assert.Throws<ArgumentNullException>(() => index.Pin<Product.Ref, bool>(null!));

            // A Ref of another layout (another fingerprint and size) is not the values'.
            ArgumentException wrong = Assert.Throws<ArgumentException>(() => index.PinReadOnly<Counter.ReadOnlyRef, bool>(_ => true));
            Assert.Contains("is not the layout of the index's values", wrong.Message);
            Assert.Throws<ArgumentException>(() => index.Pin<Counter.Ref, bool>(_ => true));
        }

        using (ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read))
        {
            Assert.Throws<NotSupportedException>(() => reader.Pin<Product.Ref, bool>(_ => true));
            Assert.True(reader.PinReadOnly<Product.ReadOnlyRef, bool>(pin => pin.ContainsKey(KeyOf(1))));
        }

        // A writable index of read-only views hands out no writable Ref either.
        using (var views = MappedHashIndex<ulong, Product.ReadOnlyView>.Open(temp.Path, MapAccess.Write))
        {
            Assert.Throws<NotSupportedException>(() => views.Pin<Product.Ref, bool>(_ => true));
            Assert.True(views.PinReadOnly<Product.ReadOnlyRef, bool>(pin => pin.ContainsKey(KeyOf(1))));
        }

        ProductIndex closed = ProductIndex.Open(temp.Path);
        closed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => closed.PinReadOnly<Product.ReadOnlyRef, bool>(_ => true));
    }
#pragma warning restore OVL005, OVL006

    [Fact]
    public void ADefaultPinIsAnEmptyIndex()
    {
        ReadOnlyPinnedHashIndex<ulong, Product.ReadOnlyRef> pin = default;
        Assert.Equal(0, pin.Count);
        Assert.False(pin.TryGetValue(42, out _));
        Assert.False(pin.ContainsKey(0));

        PinnedHashIndex<SkuKey, Product.Ref> writable = default;
        Assert.False(writable.ContainsKey(new SkuKey { Code = "A" }));
    }

    [Fact]
    public void ASectionIndexPinsAndItsContainerCannotCloseUnderThePin()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        using ProductIndex index = container.AddHashIndex<ulong, Product.View>("products");
        Dictionary<ulong, long> model = Fill(index, 3000);
        long found = index.PinReadOnly<Product.ReadOnlyRef, (Dictionary<ulong, long> Model, MappedContainer Container), long>((model, container), static (pin, state) =>
        {
            Assert.Throws<InvalidOperationException>(() => state.Container.Dispose());
            long n = 0;
            foreach ((ulong key, long id) in state.Model)
            {
                Assert.True(pin.TryGetValue(key, out Product.ReadOnlyRef value));
                Assert.Equal(id, value.Id);
                n++;
            }

            return n;
        });

        Assert.Equal(model.Count, found);
        container.Commit();
    }

    [Fact]
    public void AFlushSyncsValuesWrittenInPlaceOnACleanIndex()
    {
        // Values written through a view or a pin tell the index nothing, so a flush of an index
        // with no other change must still sync its slots (it returned at once before).
        using var temp = new TempPath();
        using (ProductIndex index = ProductIndex.Create(temp.Path))
        {
            Fill(index, 100);
        }

        var platform = new FaultyPlatform();
        int waitedSyncs = 0;
        platform.OnSync = (_, wait) => waitedSyncs += wait ? 1 : 0;
        using (MapPlatform.Override(platform))
        {
            using ProductIndex index = ProductIndex.Open(temp.Path);
            index.Flush();
            int afterCleanFlush = waitedSyncs;
            Assert.True(index.TryGetValue(KeyOf(3), out Product.View view));
            view.Stock = 99;
            index.Flush();
            Assert.True(waitedSyncs > afterCleanFlush);

            afterCleanFlush = waitedSyncs;
            index.Pin<Product.Ref, bool>(pin =>
            {
                Assert.True(pin.TryGetValue(KeyOf(4), out Product.Ref value));
                value.Stock = 98;
                return true;
            });
            index.Flush();
            Assert.True(waitedSyncs > afterCleanFlush);
        }
    }
}
