namespace Overlay.Formats;

/// <summary>A section as the container's table describes it (a snapshot: growth changes the live table, not this value).</summary>
/// <param name="Index">The entry's position in the table (schema references name sections by it).</param>
/// <param name="Name">The section's name; empty for a free extent.</param>
/// <param name="Kind">What the section holds.</param>
/// <param name="Stride">Records: the record size; heap: the granule (8); otherwise 1.</param>
/// <param name="Fingerprint">Records: the layout's fingerprint; otherwise 0.</param>
/// <param name="Offset">Where the section's extent starts in the file.</param>
/// <param name="Length">The bytes in use.</param>
/// <param name="Capacity">The bytes reserved.</param>
/// <param name="Count">Records: the number of records; heap: live allocations; otherwise 0.</param>
/// <param name="Schema">1 + the table index of the schema section describing this one, or 0 (issue 9).</param>
/// <param name="LayoutVersion">The layout's declared version, or 0 (issue 9).</param>
public readonly record struct SectionInfo(
    int Index,
    string Name,
    SectionKind Kind,
    uint Stride,
    ulong Fingerprint,
    long Offset,
    long Length,
    long Capacity,
    long Count,
    uint Schema,
    uint LayoutVersion);
