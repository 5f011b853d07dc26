namespace Overlay.Formats;

/// <summary>What a section of a <see cref="MappedContainer"/> holds (the <c>kind</c> field of a table entry, <c>docs/formats.md</c> §1.2).</summary>
public enum SectionKind : ushort
{
    /// <summary>Fixed-size records of one <c>[MappedLayout]</c>: <see cref="RecordSection{TView}"/>.</summary>
    Records = 1,

    /// <summary>Variable-length values addressed by <see cref="HeapRef"/>s: <see cref="HeapSection"/>.</summary>
    Heap = 2,

    /// <summary>The application's own bytes: <see cref="RawSection"/>.</summary>
    Raw = 3,

    /// <summary>An on-disk index: a hash index (<see cref="MappedContainer.AddHashIndex{TKey, TValue}"/>, <see cref="MappedContainer.HashIndex{TKey, TValue}"/>); <c>aux 1</c> says which kind (1 hash, 2 sorted: reserved).</summary>
    Index = 4,

    /// <summary>An embedded layout schema (reserved for issue 9; listed, not yet opened by this version).</summary>
    Schema = 5,

    /// <summary>A free extent: file space left behind by a section that moved; reclaimed by <see cref="MappedContainer.Compact"/>.</summary>
    Free = 6,
}
