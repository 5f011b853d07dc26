using System;
using Overlay.Layouts;
using Overlay.Schemas;

// The layouts the tests write files with. PlayerV2 and PlayerNarrowed are also what
// `overlay upgrade --assembly <this assembly>` loads: the tests are the user's code.
namespace Overlay.Tool.Tests;

public enum Rank : byte
{
    None,
    Bronze,
    Gold = 200,
}

[MappedLayout]
public partial struct Vec2
{
    public float X;
    public float Y;
}

/// <summary>Version 1 of a player.</summary>
[MappedLayout]
public partial struct PlayerV1
{
    public int Id;
    public float Score;
    [FixedString(12)] public string Name;
    public Vec2 Position;
    public Rank Rank;
}

/// <summary>Version 1 with a field appended: compatible both ways.</summary>
[MappedLayout]
public partial struct PlayerAppended
{
    public int Id;
    public float Score;
    [FixedString(12)] public string Name;
    public Vec2 Position;
    public Rank Rank;
    public long Gold;
}

/// <summary>Version 2: Id widened (so everything moves), Score renamed Points and widened to double.</summary>
[MappedLayout]
public partial struct PlayerV2
{
    public long Id;
    [FormerName("Score")] public double Points;
    [FixedString(12)] public string Name;
    public Vec2 Position;
    public Rank Rank;
}

/// <summary>Score narrowed to Half: an upgrade needs a converter.</summary>
[MappedLayout]
public partial struct PlayerNarrowed
{
    public int Id;
    public System.Half Score;
}

/// <summary>
/// Id narrowed to a big-endian short and Score to Half, both conversions declared in the layout:
/// `overlay upgrade` needs nothing but this assembly. Id refuses (checked) a value a short cannot hold.
/// </summary>
[MappedLayout]
public partial struct PlayerConverted
{
    [BigEndian] public short Id;
    public Half Score;
    [FixedString(12)] public string Name;

    [UpgradeConverter(nameof(Id))]
    private static short IdFromStored(StoredRecord stored) => checked((short)stored.ReadInt64("Id"));

    [UpgradeConverter(nameof(Score))]
    private static Half ScoreFromStored(StoredRecord stored) => (Half)stored.ReadDouble("Score");
}

/// <summary>A record file's header, grown by a field.</summary>
[MappedLayout]
public partial struct HeaderV2
{
    public float X;
    public float Y;
    public int Version;
}

/// <summary>A record with a variable-length field in the container's heap.</summary>
[MappedLayout]
public partial struct LogLine
{
    public long Time;
    [VarString] public string Message;
}

[MappedLayout]
public partial struct Price
{
    public double Amount;
    public int Stock;
}
