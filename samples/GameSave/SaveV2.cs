using System;
using Overlay.Layouts;
using Overlay.Schemas;

// Version 2 of the game. Against version 1:
//   - Name is renamed DisplayName ([FormerName]: Upgrade matches it by its old name);
//   - Gold is widened from int to long (no value can be lost: Upgrade converts);
//   - Level is narrowed from short to byte (version 2 caps levels at 99): values can be lost, so
//     the layout declares how ([UpgradeConverter]), and Upgrade, in code or `overlay upgrade`, uses it;
//   - quests are new: a [VarList] of Quest records appended to PlayerSave, their bytes in the
//     save's heap ("heap"); an upgraded version-1 player has none (the null reference: an empty list).
// Everything after Name moves, so the saves need Upgrade: version 2 refuses to read them as they are.
namespace Overlay.Samples.GameSave.V2;

public enum Class : byte
{
    Warrior,
    Mage,
    Rogue,
    Bard,
}

public enum QuestState : byte
{
    Open,
    Done,
    Failed,
}

[MappedLayout]
public partial struct Vec3
{
    public float X;
    public float Y;
    public float Z;
}

/// <summary>A player in a version-2 save.</summary>
[MappedLayout]
public partial struct PlayerSave
{
    public int Id;
    [FormerName("Name"), FixedString(16)] public string DisplayName;
    public Class Class;
    public byte Level;
    public long Gold;
    public Vec3 Position;
    [VarList] public Quest[] Quests;

    /// <summary>Version 1's level, capped at version 2's maximum: a level past 99 becomes 99, never a truncated byte.</summary>
    [UpgradeConverter(nameof(Level))]
    private static byte LevelFromVersion1(StoredRecord stored) => (byte)Math.Clamp(stored.ReadInt64("Level"), 1, MaxLevel);

    /// <summary>The highest level version 2 has.</summary>
    public const byte MaxLevel = 99;
}

/// <summary>One quest of a player: an element of <see cref="PlayerSave.Quests"/>, stored in the save's heap.</summary>
[MappedLayout]
public partial struct Quest
{
    public int QuestId;
    public QuestState State;
}

/// <summary>
/// Version 2's settings: version 1's with a field appended. Compatible both ways, with no
/// migration: version 2 reads version 1's settings (Subtitles reads as false) and version 1 reads
/// version 2's (it sees the first 5 bytes of each record).
/// </summary>
[MappedLayout]
public partial struct Settings
{
    public float MusicVolume;
    public byte Difficulty;
    public bool Subtitles;
}
