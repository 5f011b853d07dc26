using Overlay.Layouts;

namespace Overlay.Generators.Tests.Layouts;

/// <summary>
/// A record longer than the first page: fields that end by byte 4096 and fields that end past it,
/// of every accessor kind (value, array of values, string, nested layout, array of layouts), with
/// the boundary on both sides. A default <c>Ref</c> has a null start: the first kind faults in the
/// unmapped first page, the second must test for null (<c>__far</c>). For <c>RefNullGuardTests</c>.
/// </summary>
[MappedLayout]
public partial struct FarRecord
{
    public int Head;                           // [0, 4)
    [FixedArray(4084)] public byte[] Near;     // [4, 4088)
    public long Edge;                          // [4088, 4096): ends on the page boundary, not far
    public byte Over;                          // [4096, 4097): the first far byte
    [FixedArray(8192)] public byte[] Pad;      // [4097, 12289)
    [FixedString(16)] public string Name;      // [12289, 12305)
    public Point Nested;                       // [12305, 12313)
    [FixedArray(2)] public Point[] Points;     // [12313, 12329)
    public long Tail;                          // [12329, 12337)
}

/// <summary>A field that starts inside the first page and ends past it: far, though its offset is small. For <c>RefNullGuardTests</c>.</summary>
[MappedLayout]
public partial struct StraddlingRecord
{
    [Offset(4092)] public long Straddle;       // [4092, 4100)
}
