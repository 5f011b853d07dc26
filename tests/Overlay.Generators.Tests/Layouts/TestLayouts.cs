using System;
using Overlay.Layouts;

namespace Overlay.Generators.Tests.Layouts;

public enum Color : byte { Red = 1, Green = 2, Blue = 3 }

public enum Wide : long { Low = -5, High = 0x0102030405060708 }

/// <summary>Every primitive, Guid and enums, little-endian.</summary>
[MappedLayout]
public partial struct Scalars
{
    public bool Flag;
    public byte U8;
    public sbyte I8;
    public short I16;
    public ushort U16;
    public char Letter;
    public Half F16;
    public int I32;
    public uint U32;
    public float F32;
    public long I64;
    public ulong U64;
    public double F64;
    public Guid Id;
    public Color Color;
    public Wide Wide;
}

/// <summary>The same fields, big-endian, except one.</summary>
[MappedLayout, BigEndian]
public partial struct BigScalars
{
    public short I16;
    public ushort U16;
    public char Letter;
    public Half F16;
    public int I32;
    public uint U32;
    public float F32;
    public long I64;
    public ulong U64;
    public double F64;
    public Guid Id;
    public Wide Wide;
    [LittleEndian] public int Little;
}

[MappedLayout]
public partial struct Point
{
    public int X;
    public int Y;
}

[MappedLayout(Size = 64)]
public partial struct Entry
{
    [Offset(0)] public uint Id;
    [Offset(4), FixedString(12)] public string Name;
    [Offset(16), FixedString(6, Encoding = FixedStringEncoding.Ascii)] public string Code;
    [Offset(24)] public Point Origin;
    [Offset(32), FixedArray(3)] public Point[] Path;
    [Offset(56), FixedArray(3), BigEndian] public ushort[] Slots;
}

/// <summary>Offsets declared out of order: LayoutInfo.Fields must still list them by offset.</summary>
[MappedLayout]
public partial struct OutOfOrder
{
    [Offset(8)] public int Last;
    public bool AfterLast; // sequential: after Last, at 12
    [Offset(0)] public ushort First;
    [Offset(2), FixedString(6)] public string Middle;
}
