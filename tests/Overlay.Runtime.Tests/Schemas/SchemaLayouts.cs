using System;
using Overlay.Layouts;

// Versions of one record, compiled side by side, for the schema and evolution tests.
namespace Overlay.Tests.Schemas;

public enum Rank : byte
{
    None,
    Bronze,
    Gold = 200,
}

public enum Delta : short
{
    Down = -1,
    Up = 1,
}

[MappedLayout]
public partial struct Vec2
{
    public float X;
    public float Y;
}

/// <summary>Every kind a schema describes: primitives, enums (byte, signed short), Guid, strings, arrays, nested layouts, big-endian.</summary>
[MappedLayout]
public partial struct Everything
{
    public int Id;
    public Rank Rank;
    [BigEndian] public Delta Delta;
    public Guid Key;
    [FixedString(8)] public string Name;
    [FixedString(4, Encoding = FixedStringEncoding.Ascii)] public string Code;
    [FixedArray(3), BigEndian] public ushort[] Slots;
    [FixedArray(2)] public Rank[] Ranks;
    public Vec2 Position;
    [FixedArray(2)] public Vec2[] Path;
    public Half Small;
    public double Big;
}

/// <summary>Version 1 of a player.</summary>
[MappedLayout]
public partial struct PlayerV1
{
    public int Id;
    public float Score;
}

/// <summary>Version 2: a field appended (compatible both ways).</summary>
[MappedLayout]
public partial struct PlayerV2
{
    public int Id;
    public float Score;
    public long Gold;
}

/// <summary>Id widened in place: incompatible (the bytes of Score move).</summary>
[MappedLayout]
public partial struct PlayerWidened
{
    public long Id;
    public float Score;
}

/// <summary>The two fields swapped: incompatible.</summary>
[MappedLayout]
public partial struct PlayerReordered
{
    public float Score;
    public int Id;
}

/// <summary>Version 3: Id widened to long (moved), Score renamed Points and widened to double, Rank added, Name lengthened.</summary>
[MappedLayout]
public partial struct PlayerV3
{
    public long Id;
    [FormerName("Score")] public double Points;
    public long Gold;
    public Rank Rank;
}

/// <summary>Score narrowed to Half: needs a converter.</summary>
[MappedLayout]
public partial struct PlayerNarrowed
{
    public int Id;
    public Half Score;
}

[MappedLayout]
public partial struct NamedV1
{
    public int Id;
    [FixedString(4, Encoding = FixedStringEncoding.Ascii)] public string Name;
    [FixedArray(2)] public Rank[] Ranks;
    public Vec2 At;
}

[MappedLayout]
public partial struct NamedV2
{
    [FixedString(8)] public string Name;
    public long Id;
    [FixedArray(3)] public ushort[] Ranks;
    public Vec2 At;
}
