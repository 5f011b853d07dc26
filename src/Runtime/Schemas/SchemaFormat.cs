namespace Overlay.Schemas;

/// <summary>
/// The constants of the binary schema format, version 1 (<c>docs/formats.md</c>, Schemas). All
/// numbers are little-endian.
/// </summary>
public static class SchemaFormat
{
    /// <summary>The magic number at the start of a schema: the bytes <c>OVSC</c> read as a little-endian u32.</summary>
    public const uint Magic = 0x4353564F;

    /// <summary>The schema format version this library writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>The size of a schema's header.</summary>
    public const int HeaderSize = 16;

    /// <summary>The most layouts (the root and the layouts it nests) one schema holds.</summary>
    public const int MaximumLayouts = 256;

    /// <summary>The most fields one layout of a schema holds.</summary>
    public const int MaximumFields = 4096;

    /// <summary>The longest name (of a layout, a field or a type), in UTF-8 bytes.</summary>
    public const int MaximumNameBytes = 1024;

    /// <summary>The largest record a schema describes (the generator's own limit).</summary>
    public const int MaximumRecordSize = int.MaxValue / 2;

    /// <summary>The first field kind code reserved for variable-length kinds (heap strings, blobs, lists).</summary>
    public const byte FirstVariableLengthKind = 16;

    /// <summary>The last field kind code reserved for variable-length kinds.</summary>
    public const byte LastVariableLengthKind = 31;

    internal const byte FlagBigEndian = 1;
    internal const byte FlagEnumElements = 2;
    internal const byte KnownFieldFlags = FlagBigEndian | FlagEnumElements;

    /// <summary>The kind code of a <c>[VarString]</c> (a 12-byte heap reference to UTF-8 bytes).</summary>
    internal const byte VarStringKind = 16;

    /// <summary>The kind code of a <c>[VarBytes]</c> (a 12-byte heap reference to bytes).</summary>
    internal const byte VarBytesKind = 17;

    /// <summary>The kind code of a <c>[VarList]</c> (a 12-byte heap reference to <c>count × element size</c> bytes).</summary>
    internal const byte VarListKind = 18;

    /// <summary>The size of a heap reference field (u64 offset, u32 length).</summary>
    internal const int HeapReferenceSize = 12;

    // Fixed kinds: LayoutFieldKind + 1 (1..8), so that 0 is never a valid kind; variable-length
    // kinds from 16 (docs/formats.md §8.1).
    internal static byte KindCode(Overlay.Layouts.LayoutFieldKind kind) => kind switch
    {
        Overlay.Layouts.LayoutFieldKind.VarString => VarStringKind,
        Overlay.Layouts.LayoutFieldKind.VarBytes => VarBytesKind,
        Overlay.Layouts.LayoutFieldKind.VarList => VarListKind,
        _ => (byte)((int)kind + 1),
    };
}
