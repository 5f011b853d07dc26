// TypedIndex: a product catalogue of 1,000,000 entries (SKU → name, price, stock) in both kinds
// of index: a MappedHashIndex for point lookups and updates in place, and a MappedSortedIndex
// (built from unsorted input) for ordered range scans; then the products as records and their SKU
// index as two sections of one container file. Then a second process reopens everything
// read-only and checks what the first one wrote. Prints what it did and how fast.
// Run it with: dotnet run -c Release --project samples/TypedIndex [-- count]
using System;
using System.Globalization;
using System.IO;
using TypedIndex;

if (args is ["--reader", string readerDirectory, string readerCount])
{
    return Catalogue.Read(readerDirectory, int.Parse(readerCount, CultureInfo.InvariantCulture), Console.Out);
}

int count = args is [string given] ? int.Parse(given, CultureInfo.InvariantCulture) : 1_000_000;
string directory = Path.Combine(Path.GetTempPath(), $"overlay-typedindex-{Environment.ProcessId}");
try
{
    return Catalogue.Run(directory, count, Console.Out);
}
finally
{
    Directory.Delete(directory, recursive: true);
}
