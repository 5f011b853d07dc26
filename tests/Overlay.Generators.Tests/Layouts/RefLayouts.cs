using System;
using Overlay.Layouts;

namespace Overlay.Generators.Tests.Layouts;

/// <summary>
/// The kinds <see cref="BigScalars"/> lacks in a big-endian layout: bool, the one-byte values and
/// value arrays (enum and char elements among them), one of them overridden back to little-endian.
/// For <c>RefRoundTripTests</c>.
/// </summary>
[MappedLayout, BigEndian]
public partial struct BigSmalls
{
    public bool Flag;
    public byte U8;
    public sbyte I8;
    public Color Color;
    [FixedArray(3)] public int[] BigInts;
    [FixedArray(3), LittleEndian] public int[] LittleInts;
    [FixedArray(2)] public Wide[] Wides;
    [FixedArray(2)] public char[] Letters;
}

/// <summary>
/// Value arrays of the element kinds <see cref="Entry"/> lacks (bool, enum, little-endian numbers,
/// floating point in both orders), big-endian layouts nested in a little-endian one, and an array
/// of layouts that nest layouts and arrays themselves. Every field after the first lies at an odd
/// or unaligned offset. For <c>RefRoundTripTests</c>.
/// </summary>
[MappedLayout]
public partial struct Composite
{
    public uint Tag;
    [FixedArray(4)] public bool[] Flags;
    [FixedArray(3)] public Color[] Colors;
    [FixedArray(2)] public long[] Longs;
    [FixedArray(2)] public Half[] Halves;
    [FixedArray(2), BigEndian] public float[] Floats;
    [FixedArray(2), BigEndian] public ulong[] BigULongs;
    public BigSmalls Small;
    public BigScalars Big;
    [FixedArray(2)] public Entry[] Entries;
}
