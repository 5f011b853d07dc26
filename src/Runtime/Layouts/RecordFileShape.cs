namespace Overlay.Layouts;

/// <summary>
/// Where an open record file's parts are and how far apart its records are, as the file states
/// them: the code's layouts may be a compatible other version (docs/formats.md §8.3), so none of
/// this is a constant of the view types.
/// </summary>
/// <param name="HeaderOffset">Where the header starts: the prefix size, schema region included.</param>
/// <param name="HeaderSize">The file's header size.</param>
/// <param name="Stride">The file's record size: the distance between records.</param>
/// <param name="Schemas">The schemas the file embeds, or null for a file without them.</param>
internal readonly record struct RecordFileShape(long HeaderOffset, int HeaderSize, int Stride, RecordFileSchemaRegion? Schemas)
{
    /// <summary>Where the first record starts.</summary>
    public long RecordsOffset => RecordFileFormat.RecordsOffset(HeaderOffset, HeaderSize);
}
