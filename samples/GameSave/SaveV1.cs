using Overlay.Layouts;

// Version 1 of the game: what it writes into a save. Compiled side by side with version 2 (the
// same type names in another namespace), as two releases of one game would be.
namespace Overlay.Samples.GameSave.V1;

public enum Class : byte
{
    Warrior,
    Mage,
    Rogue,
}

[MappedLayout]
public partial struct Vec3
{
    public float X;
    public float Y;
    public float Z;
}

/// <summary>A player in a version-1 save.</summary>
[MappedLayout]
public partial struct PlayerSave
{
    public int Id;
    [FixedString(16)] public string Name;
    public Class Class;
    public short Level;
    public int Gold;
    public Vec3 Position;
}

/// <summary>The game's settings in a version-1 save (the third case: it grows by appending).</summary>
[MappedLayout]
public partial struct Settings
{
    public float MusicVolume;
    public byte Difficulty;
}
