using Overlay.Formats;
using Xunit.Abstractions;

namespace Overlay.Tests.Indexes;

/// <summary>
/// Every test of <see cref="HashIndexSectionTests"/> (the API, read-only containers, lifetimes,
/// compaction and upgrade, and the hostile sections: entry fields against the header, lengths past
/// the section, fingerprints, random damage) on a section built in bulk by
/// <see cref="MappedContainer.BuildHashIndex{TKey, TValue}"/> instead of by inserts: it must open,
/// and be refused, exactly as an insert-built one.
/// </summary>
public sealed class HashIndexBuiltSectionTests(ITestOutputHelper output) : HashIndexSectionTests(output)
{
    protected override bool BulkBuilt => true;
}
