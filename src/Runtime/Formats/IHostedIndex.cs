namespace Overlay.Formats;

/// <summary>
/// An index open in a section of a <see cref="MappedContainer"/>: the container calls it at each
/// commit (to fold the index's state into the section entry), when the map moved (a section
/// grew), and when the container closes.
/// </summary>
internal interface IHostedIndex
{
    /// <summary>Flushes the index's slots and header and sets the entry's length and count, before the container writes its table.</summary>
    void FlushForCommit();

    /// <summary>The commit completed: the section's current extent is the committed one.</summary>
    void Committed();

    /// <summary>The map may be at another address: take any pointer into it again.</summary>
    void MapMoved();

    /// <summary>The container closed: the index is closed too.</summary>
    void Detach();
}

/// <summary>What <c>aux 1</c> of an index section's entry says it holds (<c>docs/formats.md</c> §1.2).</summary>
internal static class SectionIndexKinds
{
    /// <summary>A <see cref="Indexes.MappedHashIndex{TKey, TValue}"/>.</summary>
    public const long Hash = 1;

    /// <summary>A <see cref="Indexes.MappedSortedIndex{TKey, TValue}"/> (MappedContainer.SortedIndexes.cs).</summary>
    public const long Sorted = 2;
}
