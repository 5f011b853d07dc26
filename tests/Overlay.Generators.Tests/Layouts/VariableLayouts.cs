using Overlay.Layouts;

namespace Overlay.Generators.Tests.Layouts;

/// <summary>A log entry: a fixed id, a message of any length and a blob, the last two in a heap.</summary>
[MappedLayout]
public partial struct LogEntry
{
    public long Id;
    [VarString] public string Message;
    [VarBytes] public byte[] Payload;
    public int Level;
}

/// <summary>An element of a <c>[VarList]</c> of layouts: fixed-size, no variable fields.</summary>
[MappedLayout]
public partial struct QuestEntry
{
    public int Id;
    public short Stage;
    public bool Done;
}

/// <summary>Lists of any length in the heap: of primitives (each byte order), enums and layouts.</summary>
[MappedLayout]
public partial struct Inventory
{
    public int Owner;
    [VarList] public int[] Counts;
    [VarList, BigEndian] public ushort[] Ports;
    [VarList] public QuestEntry[] Quests;
    [VarList] public Mood[] Moods;
}

/// <summary>An enum for a list of enums.</summary>
public enum Mood : byte
{
    Calm,
    Angry,
}
