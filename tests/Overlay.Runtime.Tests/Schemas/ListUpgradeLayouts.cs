using System.ComponentModel;
using Overlay.Layouts;

namespace Overlay.Tests.Schemas;

/// <summary>A point in version 1 of <see cref="TrackV1"/>'s list.</summary>
[MappedLayout]
public partial struct PointV1
{
    public short X;
    public short Y;
}

/// <summary>Version 2 of the point: widened, with a field appended (its default, not zero).</summary>
[MappedLayout]
public partial struct PointV2
{
    public int X;
    public int Y;
    [DefaultValue((byte)9)] public byte Weight;
}

/// <summary>Records with lists whose elements version 2 widens.</summary>
[MappedLayout]
public partial struct TrackV1
{
    public int Id;
    [VarList] public int[] Scores;
    [VarList] public PointV1[] Points;
    [VarList] public byte[] Same;
}

/// <summary>Version 2: the same fields, the lists' elements widened.</summary>
[MappedLayout]
public partial struct TrackV2
{
    public int Id;
    [VarList] public long[] Scores;
    [VarList] public PointV2[] Points;
    [VarList] public byte[] Same;
}

/// <summary>A narrowing of <see cref="TrackV1"/>'s scores: refused without a converter.</summary>
[MappedLayout]
public partial struct TrackNarrowed
{
    public int Id;
    [VarList] public short[] Scores;
    [VarList] public PointV1[] Points;
    [VarList] public byte[] Same;
}
