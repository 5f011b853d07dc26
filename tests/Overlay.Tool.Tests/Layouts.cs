using Overlay.Layouts;

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
