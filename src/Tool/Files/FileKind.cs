namespace Overlay.Tool.Files;

/// <summary>The kinds of file the runtime writes, told apart by their first bytes (<see cref="FileDetector"/>).</summary>
internal enum FileKind
{
    /// <summary>A sectioned container (<c>OVLCNTNR</c>, docs/formats.md).</summary>
    Container,

    /// <summary>A <c>RecordFile</c> (the application's own magic, then format version 2 and a 128-byte prefix: docs/durability.md).</summary>
    RecordFile,

    /// <summary>A <c>MappedHashIndex</c> file (<c>OVLHASH1</c>, docs/indexes.md).</summary>
    HashIndex,

    /// <summary>A <c>MappedSortedIndex</c> file (<c>OVLSORT1</c>, docs/indexes.md).</summary>
    SortedIndex,
}
