using Overlay.Layouts;

namespace Overlay.Fuzz;

/// <summary>A fixed-size record: numbers and a fixed UTF-8 string (record files, container records, index values).</summary>
[MappedLayout]
public partial struct FuzzRecord
{
    public long Id;
    public double Value;
    public int Flags;
    [FixedString(12)]
    public string Tag;
}

/// <summary>A record with variable-length fields: two 12-byte heap references into a container's heap.</summary>
[MappedLayout]
public partial struct FuzzEntry
{
    public long Id;
    [VarString]
    public string Message;
    [VarBytes]
    public byte[] Payload;
    public int Level;
}

/// <summary>A nested layout and a fixed array, so that schemas have more than one layout and every field kind walks.</summary>
[MappedLayout]
public partial struct FuzzPoint
{
    public int X;
    public int Y;
}

/// <summary>A record nesting <see cref="FuzzPoint"/> twice, with an array and a Guid.</summary>
[MappedLayout]
public partial struct FuzzShape
{
    public FuzzPoint Origin;
    [FixedArray(3)]
    public FuzzPoint[] Corners;
    [FixedArray(4), BigEndian]
    public ushort[] Codes;
    public System.Guid Id;
}

/// <summary>A record with lists in the heap: primitives (a list's length must be whole elements) and nested layouts.</summary>
[MappedLayout]
public partial struct FuzzInventory
{
    public int Owner;
    [VarList]
    public int[] Counts;
    [VarList]
    public FuzzPoint[] Points;
}

/// <summary>A 12-byte layout key for hash indexes (the delegate path of IndexKeyFormat.ForLayout).</summary>
[MappedLayout]
public partial struct FuzzKey
{
    [FixedString(8)]
    public string Code;
    public int Shelf;
}
