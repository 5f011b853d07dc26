using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Tests.Layouts;

/// <summary>
/// Where a record file of generated layouts puts its records, computed from the documented format
/// (docs/formats.md §8.4: the 128-byte prefix, the schema region, the header, padding to 8), not
/// asked of the runtime: tests that check bytes at these offsets check the format itself.
/// </summary>
internal static class RecordFileOffsets
{
    public static long PrefixSize<THeader, TRecord>()
        where THeader : struct, IMappedLayout<THeader>
        where TRecord : struct, IMappedLayout<TRecord> =>
        RecordFileFormat.PrefixSizeWithSchemas(LayoutSchema.Encode(THeader.LayoutInfo).Length + LayoutSchema.Encode(TRecord.LayoutInfo).Length);

    public static long RecordsOffset<THeader, TRecord>()
        where THeader : struct, IMappedLayout<THeader>
        where TRecord : struct, IMappedLayout<TRecord> =>
        RecordFileFormat.RecordsOffset(PrefixSize<THeader, TRecord>(), THeader.SizeInBytes);
}
