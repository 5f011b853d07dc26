using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Indexes;

using ProductIndex = MappedHashIndex<ulong, Product.View>;
using ReadOnlyProductIndex = MappedHashIndex<ulong, Product.ReadOnlyView>;

public class HashIndexTests
{
    [Fact]
    public void StoresLooksUpUpdatesInPlaceAndRemoves()
    {
        using var temp = new TempPath();
        using (ProductIndex index = ProductIndex.Create(temp.Path))
        {
            Assert.Equal(0, index.Count);
            Assert.False(index.TryGetValue(1, out _));
            Assert.True(index.Set(1UL, new Product { Id = 1, Price = 9.5, Stock = 3, Name = "bolt" }));
            Assert.False(index.Set(1UL, new Product { Id = 1, Price = 10.5, Stock = 4, Name = "bolt" }));
            Assert.True(index.TryGetValue(1, out Product.View view));
            Assert.Equal(10.5, view.Price);
            Assert.Equal("bolt", view.Name);

            view.Stock -= 1; // a write into the file
            Assert.Equal(3, index.GetValue(1).Stock);

            Product.View added = index.GetOrAdd(2, out bool wasAdded);
            Assert.True(wasAdded);
            Assert.Equal(0, added.Stock);
            added.Stock = 7;
            Assert.Equal(7, index.GetOrAdd(2, out wasAdded).Stock);
            Assert.False(wasAdded);
            Assert.Equal(2, index.Count);
            Assert.True(index.ContainsKey(2));
            Assert.True(index.Remove(2));
            Assert.False(index.Remove(2));
            Assert.False(index.ContainsKey(2));
            Assert.Equal(1, index.Count);
            Assert.Throws<KeyNotFoundException>(() => index.GetValue(2));
        }

        using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read);
        Assert.True(reader.IsReadOnly);
        Assert.Equal(1, reader.Count);
        Assert.True(reader.TryGetValue(1, out Product.ReadOnlyView readOnly));
        Assert.Equal(3, readOnly.Stock);
        Assert.Throws<NotSupportedException>(() => reader.TryAdd(5));
        Assert.Throws<NotSupportedException>(() => reader.Remove(1));
        Assert.Throws<NotSupportedException>(() => reader.Clear());
    }

    [Fact]
    public void GrowsFromTheSmallestTableToOneHundredThousandKeys()
    {
        using var temp = new TempPath();
        const int count = 100_000;
        using (ProductIndex index = ProductIndex.Create(temp.Path, new HashIndexOptions { Seed = 5 }))
        {
            Assert.Equal(16, index.Capacity);
            for (ulong key = 0; key < count; key++)
            {
                index.GetOrAdd(key * 0x9E3779B97F4A7C15UL).Id = (long)key;
            }

            Assert.Equal(count, index.Count);
            Assert.Equal(262_144, index.Capacity);
            for (ulong key = 0; key < count; key++)
            {
                Assert.True(index.TryGetValue(key * 0x9E3779B97F4A7C15UL, out Product.View view), $"key {key}");
                Assert.Equal((long)key, view.Id);
            }

            Assert.False(index.ContainsKey(unchecked(count * 0x9E3779B97F4A7C15UL)));
        }

        using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read);
        Assert.Equal(count, reader.Count);
        Assert.Equal(5UL, reader.Seed);
        long seen = 0;
        foreach (KeyValuePair<ulong, Product.ReadOnlyView> entry in reader)
        {
            Assert.Equal(entry.Key, (ulong)entry.Value.Id * 0x9E3779B97F4A7C15UL);
            seen++;
        }

        Assert.Equal(count, seen);
    }

    [Fact]
    public void ClearKeepsTheCapacityAndEmptiesTheTable()
    {
        using var temp = new TempPath();
        using ProductIndex index = ProductIndex.Create(temp.Path, new HashIndexOptions { InitialCapacity = 1000 });
        long capacity = index.Capacity;
        for (ulong key = 0; key < 500; key++)
        {
            index.TryAdd(key);
        }

        index.Clear();
        Assert.Equal(0, index.Count);
        Assert.Equal(capacity, index.Capacity);
        Assert.False(index.ContainsKey(3));
        foreach (var _ in index)
        {
            Assert.Fail("a cleared index has no entries");
        }
    }

    [Fact]
    public void EnumerationRefusesToContinueAfterAChange()
    {
        using var temp = new TempPath();
        using ProductIndex index = ProductIndex.Create(temp.Path);
        index.TryAdd(1);
        index.TryAdd(2);
        ProductIndex.Enumerator e = index.GetEnumerator();
        Assert.True(e.MoveNext());
        index.TryAdd(3);
        Assert.Throws<InvalidOperationException>(() => e.MoveNext());
    }

    [Fact]
    public void SetsGuidAndLayoutKeysWork()
    {
        using var temp = new TempPath();
        using (var set = MappedHashIndex<Guid, NoValue>.Create(temp.Path))
        {
            var a = Guid.NewGuid();
            Assert.True(set.TryAdd(a));
            Assert.False(set.TryAdd(a));
            Assert.True(set.ContainsKey(a));
            Assert.False(set.ContainsKey(Guid.NewGuid()));
        }

        using var temp2 = new TempPath();
        IndexKeyFormat<SkuKey> keys = IndexKeyFormat.ForLayout<SkuKey>();
        using (var index = MappedHashIndex<SkuKey, Counter.View>.Create(temp2.Path, keyFormat: keys))
        {
            for (int i = 0; i < 2000; i++)
            {
                index.GetOrAdd(new SkuKey { Code = $"SKU-{i}", Warehouse = i % 3 }).Value = i;
            }

            Assert.Equal(2000, index.Count);
            Assert.Equal(17, index.GetValue(new SkuKey { Code = "SKU-17", Warehouse = 2 }).Value);
            Assert.False(index.ContainsKey(new SkuKey { Code = "SKU-17", Warehouse = 1 }));
            Assert.Throws<ArgumentException>(() => index.ContainsKey(new SkuKey { Code = new string('x', 17) }));
        }

        using var reopened = MappedHashIndex<SkuKey, Counter.ReadOnlyView>.Open(temp2.Path, MapAccess.Read, keys);
        Assert.Equal(1999, reopened.GetValue(new SkuKey { Code = "SKU-1999", Warehouse = 1999 % 3 }).Value);
        var seen = new HashSet<string>();
        foreach (var entry in reopened)
        {
            Assert.Equal($"SKU-{entry.Value.Value}", entry.Key.Code);
            Assert.True(seen.Add(entry.Key.Code));
        }

        Assert.Equal(2000, seen.Count);
    }

    [Fact]
    public void AValueThatCannotBeStoredLeavesTheIndexUnchanged()
    {
        using var temp = new TempPath();
        using ProductIndex index = ProductIndex.Create(temp.Path);
        Assert.ThrowsAny<ArgumentException>(() => index.Set(9UL, new Product { Name = new string('n', 40) }));
        Assert.Equal(0, index.Count);
        Assert.False(index.ContainsKey(9));
        Assert.Throws<ArgumentException>(() => index.Set(9UL, new Counter { Value = 1 }));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void OpenRefusesAFileMadeForOtherTypesSayingWhatDiffers()
    {
        using var temp = new TempPath();
        using (ProductIndex.Create(temp.Path, new HashIndexOptions { Tag = 77 }))
        {
        }

        var key = Assert.Throws<InvalidDataException>(() => MappedHashIndex<uint, Product.View>.Open(temp.Path, tag: 77));
        Assert.Contains("its keys are 8 bytes", key.Message);
        Assert.Contains("u32", key.Message);
        var value = Assert.Throws<InvalidDataException>(() => MappedHashIndex<ulong, Counter.View>.Open(temp.Path, tag: 77));
        Assert.Contains("another value layout", value.Message);
        var tag = Assert.Throws<InvalidDataException>(() => ProductIndex.Open(temp.Path, tag: 78));
        Assert.Contains("its tag is 0x000000000000004D", tag.Message);
        Assert.Throws<NotSupportedException>(() => ProductIndex.Open(temp.Path, MapAccess.Read, tag: 77));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProductIndex.Open(temp.Path, MapAccess.Copy, tag: 77));
        using ProductIndex ok = ProductIndex.Open(temp.Path, tag: 77);
        Assert.Equal(77UL, ok.Tag);
    }

    [Fact]
    public void OneWriterAtATimeAndReadersBesideIt()
    {
        using var temp = new TempPath();
        using ProductIndex writer = ProductIndex.Create(temp.Path);
        writer.TryAdd(4);
        var second = Assert.Throws<IOException>(() => ProductIndex.Open(temp.Path));
        Assert.Contains("MappedHashIndex", second.Message);

        // A reader beside a live writer opens a dirty header: the writer is present.
        using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(temp.Path, MapAccess.Read);
        Assert.True(reader.ContainsKey(4));
    }

    [Fact]
    public void ADirtyFileLeftByACrashedWriterIsRefusedThenRecovered()
    {
        using var temp = new TempPath();
        using (ProductIndex index = ProductIndex.Create(temp.Path))
        {
            for (ulong key = 0; key < 100; key++)
            {
                index.GetOrAdd(key).Id = (long)key;
            }

            index.Flush();
            for (ulong key = 100; key < 200; key++)
            {
                index.GetOrAdd(key).Id = (long)key;
            }

            // A crash: copy the file as it is now, dirty header and all.
            File.Copy(temp.Path, temp.Path + ".crashed");
        }

        string crashed = temp.Path + ".crashed";
        try
        {
            var refused = Assert.Throws<InvalidDataException>(() => ProductIndex.Open(crashed));
            Assert.Contains("recover: true", refused.Message);
            Assert.Throws<InvalidDataException>(() => ReadOnlyProductIndex.Open(crashed, MapAccess.Read));
            using (ProductIndex recovered = ProductIndex.Open(crashed, recover: true))
            {
                Assert.Equal(200, recovered.Count);
                Assert.Equal(150, recovered.GetValue(150).Id);
            }

            using ReadOnlyProductIndex reader = ReadOnlyProductIndex.Open(crashed, MapAccess.Read);
            Assert.Equal(200, reader.Count);
        }
        finally
        {
            File.Delete(crashed);
        }
    }

    [Fact]
    public void DisposedIndexesRefuseEverything()
    {
        using var temp = new TempPath();
        ProductIndex index = ProductIndex.Create(temp.Path);
        Product.View view = index.GetOrAdd(1);
        index.Dispose();
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Count);
        Assert.Throws<ObjectDisposedException>(() => index.ContainsKey(1));
        Assert.Throws<ObjectDisposedException>(() => index.TryAdd(1));
        Assert.Throws<ObjectDisposedException>(() => index.GetEnumerator());
        Assert.Throws<ObjectDisposedException>(() => view.Stock);
    }

    [Fact]
    public void CreateChecksItsOptions()
    {
        using var temp = new TempPath();
        Assert.Throws<ArgumentOutOfRangeException>(() => ProductIndex.Create(temp.Path, new HashIndexOptions { MaxLoadPercent = 95 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProductIndex.Create(temp.Path, new HashIndexOptions { InitialCapacity = -1 }));
        Assert.Throws<NotSupportedException>(() => MappedHashIndex<SkuKey, Product.View>.Create(temp.Path));
        Assert.False(File.Exists(temp.Path));
        File.WriteAllBytes(temp.Path, [1, 2, 3]);
        Assert.Throws<IOException>(() => ProductIndex.Create(temp.Path));
        Assert.Equal(3, new FileInfo(temp.Path).Length);
    }
}
