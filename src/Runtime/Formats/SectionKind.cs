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

    /// <summary>An on-disk index (reserved for issue 10; listed, not yet opened by this version).</summary>
    Index = 4,

    /// <summary>An embedded layout schema (reserved for issue 9; listed, not yet opened by this version).</summary>
    Schema = 5,

    /// <summary>A free extent: file space left behind by a section that moved; reclaimed by <see cref="MappedContainer.Compact"/>.</summary>
    Free = 6,
}
