using System;

namespace Overlay.Indexes;

/// <summary>
/// What an index opened for reading asks of the kernel about page-cache folios (docs/indexes.md,
/// "Large folios for readers"). Random lookups fault the file in a few pages at a time, and small
/// folios are mapped by 4 KiB entries, so after a cold open every lookup pays a TLB miss whose
/// walk, in a virtual machine, misses the caches too (at 50M keys: 13x the lookup of a table in
/// 2 MiB folios). Advised <c>MADV_HUGEPAGE</c>, each first touch reads the 2 MiB around it.
/// </summary>
internal static class ReaderFolioAdvice
{
    /// <summary>
    /// Advises large folios over <paramref name="map"/> when the file fits in memory twice over:
    /// each first touch then reads 2 MiB, which pays back once the file stays cached, but for a file
    /// larger than memory would read 2 MiB for every lookup that misses the cache. A writer is not
    /// advised: a flush writes a dirty folio back whole, so each flush of a few changed values
    /// would write 2 MiB.
    /// </summary>
    public static bool Apply(MemoryMap map)
    {
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return map.Length <= memory / 2 && map.TryAdviseLargeFoliosForReading();
    }
}
