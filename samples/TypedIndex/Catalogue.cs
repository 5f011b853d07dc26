using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Overlay;
using Overlay.Formats;
using Overlay.Indexes;
using Overlay.Layouts;

namespace TypedIndex;

/// <summary>A product: 40 bytes in the file.</summary>
[MappedLayout]
public partial struct Product
{
    public double Price;
    public int Stock;
    public int Category;
    [FixedString(24)]
    public string Name;
}

/// <summary>Where a product's record is in the container's records section.</summary>
[MappedLayout]
public partial struct Row
{
    public long Number;
}

/// <summary>The sample's steps, callable from a test with a smaller count.</summary>
public static class Catalogue
{
    private const ulong Tag = 0x474F4C41544143; // "CATALOG"

    /// <summary>SKUs are scattered over the 64-bit range, as real identifiers are.</summary>
    public static ulong Sku(long i) => unchecked(((ulong)i * 0x9E3779B97F4A7C15UL) ^ 0x5EED);

    private static string NameOf(long i) => string.Create(CultureInfo.InvariantCulture, $"product {i}");

    /// <summary>Builds both indexes, queries and updates them, then has a second process read them.</summary>
    /// <returns>0 when everything checked out.</returns>
    public static int Run(string directory, int count, TextWriter log)
    {
        Directory.CreateDirectory(directory);
        string hashPath = Path.Combine(directory, "catalogue.hash");
        string sortedPath = Path.Combine(directory, "catalogue.sorted");
        var clock = Stopwatch.StartNew();

        using (var hash = MappedHashIndex<ulong, Product.View>.Create(hashPath, new HashIndexOptions { InitialCapacity = count, Tag = Tag }))
        {
            for (long i = 0; i < count; i++)
            {
                hash.Set(Sku(i), new Product { Price = 1 + (i % 1000) / 10.0, Stock = 100, Category = (int)(i % 50), Name = NameOf(i) });
            }

            hash.Flush();
            Report(log, $"hash index: built {hash.Count:N0} products ({new FileInfo(hashPath).Length / 1e6:F1} MB, durable)", clock, count);

            var random = new Random(1);
            clock.Restart();
            double total = 0;
            for (int q = 0; q < count; q++)
            {
                if (hash.TryGetValue(Sku(random.Next(count)), out Product.View product))
                {
                    total += product.Price;
                }
            }

            Report(log, $"hash index: {count:N0} random lookups (sum of prices {total:F0})", clock, count);

            // The same lookups inside a pin: the index's checks made once for the whole loop, the
            // values read through Refs over the slots (docs/indexes.md, "Pinned lookups").
            clock.Restart();
            double pinnedTotal = hash.PinReadOnly<Product.ReadOnlyRef, int, double>(count, static (pin, count) =>
            {
                var again = new Random(1);
                double sum = 0;
                for (int q = 0; q < count; q++)
                {
                    if (pin.TryGetValue(Sku(again.Next(count)), out Product.ReadOnlyRef product))
                    {
                        sum += product.Price;
                    }
                }

                return sum;
            });
            Report(log, $"hash index: the same lookups, pinned (sum of prices {pinnedTotal:F0}, {(pinnedTotal == total ? "the same" : "DIFFERENT")})", clock, count);
            if (pinnedTotal != total)
            {
                return 1;
            }
            clock.Restart();
            int misses = 0;
            for (int q = 0; q < count; q++)
            {
                misses += hash.ContainsKey(Sku(count + q)) ? 0 : 1;
            }

            Report(log, $"hash index: {misses:N0} lookups of absent SKUs", clock, count);

            // Sell one of every tenth product: a write into the mapped file, nothing copied.
            clock.Restart();
            for (long i = 0; i < count; i += 10)
            {
                Product.View product = hash.GetValue(Sku(i));
                product.Stock -= 1;
            }

            hash.Flush();
            Report(log, $"hash index: {count / 10:N0} stock updates in place, flushed", clock, count / 10);
        }

        // The sorted index, keyed by SKU too, from input in no order, with a 16 MiB budget: runs + merge.
        clock.Restart();
        using (var builder = new SortedIndexBuilder<ulong, Product.View>(memoryBudget: 16 << 20, runDirectory: directory))
        {
            for (long i = 0; i < count; i++)
            {
                builder.Add(Sku(i), new Product { Price = 1 + (i % 1000) / 10.0, Stock = 100, Category = (int)(i % 50), Name = NameOf(i) });
            }

            int spilled = builder.Runs;
            long written = builder.Build(sortedPath, tag: Tag);
            Report(log, $"sorted index: built {written:N0} products from unsorted input, {spilled} sorted runs spilled to disk and merged ({new FileInfo(sortedPath).Length / 1e6:F1} MB, durable)", clock, count);
        }

        using (var sorted = MappedSortedIndex<ulong, Product.View>.Open(sortedPath, MapAccess.Write, tag: Tag))
        {
            var random = new Random(2);
            clock.Restart();
            int found = 0;
            for (int q = 0; q < count; q++)
            {
                found += sorted.ContainsKey(Sku(random.Next(count))) ? 1 : 0;
            }

            Report(log, $"sorted index: {found:N0} random point lookups", clock, count);
            clock.Restart();
            long scanned = 0;
            const int scans = 1000;
            for (int s = 0; s < scans; s++)
            {
                ulong from = (ulong)random.NextInt64();
                int n = 0;
                foreach (var entry in sorted.Range(from, ulong.MaxValue))
                {
                    if (++n > 1000)
                    {
                        break;
                    }

                    scanned += entry.Value.Stock > 0 ? 1 : 0;
                }
            }

            Report(log, $"sorted index: {scans:N0} range scans of up to 1,000 keys ({scanned:N0} products)", clock, scanned);
            log.WriteLine($"sorted index: cheapest SKU {sorted.First().Key:X16}, last {sorted.Last().Key:X16}");

            // Re-price the first 1,000 SKUs in key order, in place.
            foreach (var entry in sorted.Range(0, sorted.First().Key + (ulong.MaxValue / (ulong)Math.Max(1, count) * 1000)))
            {
                Product.View product = entry.Value;
                product.Price *= 0.9;
            }

            sorted.Flush();
        }

        // One file: the products as records and their SKU index as sections of one container,
        // committed together (docs/indexes.md, "As a container section").
        clock.Restart();
        string containerPath = Path.Combine(directory, "catalogue.ovc");
        using (MappedContainer file = MappedContainer.Create(containerPath, Tag))
        {
            RecordSection<Product.View> records = file.AddRecords<Product.View>("products", count);
            using MappedHashIndex<ulong, Row.View> bySku = file.AddHashIndex<ulong, Row.View>("by-sku", new HashIndexOptions { InitialCapacity = count });
            for (long i = 0; i < count; i++)
            {
                records.Append(new Product { Price = 1 + (i % 1000) / 10.0, Stock = 100, Category = (int)(i % 50), Name = NameOf(i) });
                bySku.GetOrAdd(Sku(i)).Number = i;
            }

            // Sell one of every tenth product through the index: SKU -> row -> the record, in place.
            for (long i = 0; i < count; i += 10)
            {
                Product.View record = records[bySku.GetValue(Sku(i)).Number];
                record.Stock -= 1;
            }

            // The same rows in SKU order: a sorted index section, built from unsorted input through runs.
            using (var builder = new SortedIndexBuilder<ulong, Row.View>(memoryBudget: 4 << 20, runDirectory: directory))
            {
                for (long i = 0; i < count; i++)
                {
                    builder.Add(Sku(i), new Row { Number = i });
                }

                using MappedSortedIndex<ulong, Row.View> ordered = file.AddSortedIndex("by-sku-ordered", builder);
                log.WriteLine($"container: the sorted SKU index holds {ordered.Count:N0} rows, first SKU {ordered.First().Key:X16}");
            }

            file.Commit();
            Report(log, $"container: {records.Count:N0} product records, their SKU hash index and sorted index in one file ({new FileInfo(containerPath).Length / 1e6:F1} MB, committed)", clock, count);
        }

        // A second process reopens everything read-only and checks the updates.
        clock.Restart();
        string self = typeof(Catalogue).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(self);
        start.ArgumentList.Add("--reader");
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        using Process reader = Process.Start(start)!;
        string output = reader.StandardOutput.ReadToEnd();
        reader.WaitForExit();
        log.Write(output);
        Report(log, $"second process: exited {reader.ExitCode}", clock, 1);
        return reader.ExitCode;
    }

    /// <summary>The second process: opens both indexes read-only and checks what the first wrote.</summary>
    /// <returns>0 when every check passed.</returns>
    public static int Read(string directory, int count, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        using var hash = MappedHashIndex<ulong, Product.ReadOnlyView>.Open(Path.Combine(directory, "catalogue.hash"), MapAccess.Read, tag: Tag);
        using var sorted = MappedSortedIndex<ulong, Product.ReadOnlyView>.Open(Path.Combine(directory, "catalogue.sorted"), tag: Tag);
        int wrong = 0;
        for (long i = 0; i < count; i++)
        {
            if (!hash.TryGetValue(Sku(i), out Product.ReadOnlyView product) || product.Stock != (i % 10 == 0 ? 99 : 100) || !sorted.ContainsKey(Sku(i)))
            {
                wrong++;
            }
        }

        Report(log, $"reader (pid {Environment.ProcessId}): opened both read-only, checked {count:N0} products in both, {wrong} wrong", clock, count);

        clock.Restart();
        using MappedContainer file = MappedContainer.Open(Path.Combine(directory, "catalogue.ovc"), Tag, MapAccess.Read);
        RecordSection<Product.ReadOnlyView> records = file.Records<Product.ReadOnlyView>("products");
        using MappedHashIndex<ulong, Row.ReadOnlyView> bySku = file.HashIndex<ulong, Row.ReadOnlyView>("by-sku");
        int wrongInFile = 0;
        for (long i = 0; i < count; i++)
        {
            if (!bySku.TryGetValue(Sku(i), out Row.ReadOnlyView row) || row.Number != i || records[row.Number].Stock != (i % 10 == 0 ? 99 : 100))
            {
                wrongInFile++;
            }
        }

        Report(log, $"reader: the container's records through its index, {count:N0} checked, {wrongInFile} wrong", clock, count);

        // The sorted section in one scan: every row once, in increasing SKU order.
        clock.Restart();
        using MappedSortedIndex<ulong, Row.ReadOnlyView> ordered = file.SortedIndex<ulong, Row.ReadOnlyView>("by-sku-ordered");
        long inOrder = 0;
        ulong previous = 0;
        foreach (var entry in ordered)
        {
            inOrder += (inOrder == 0 || entry.Key > previous) && entry.Key == Sku(entry.Value.Number) ? 1 : 0;
            previous = entry.Key;
        }

        Report(log, $"reader: the container's sorted index scanned, {inOrder:N0} of {count:N0} rows in SKU order", clock, count);
        return wrong == 0 && wrongInFile == 0 && inOrder == count && hash.Count == count && sorted.Count == count && bySku.Count == count ? 0 : 1;
    }

    private static void Report(TextWriter log, string what, Stopwatch clock, long operations)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        string rate = operations > 1 && seconds > 0 ? $", {operations / seconds / 1e6:F2} M/s" : string.Empty;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {seconds * 1000:F0} ms{rate}"));
    }
}
