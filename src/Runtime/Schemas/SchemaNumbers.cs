using System;
using System.Buffers.Binary;

namespace Overlay.Schemas;

/// <summary>Reads and writes the numbers of a schema's value types by code, and says which conversions lose nothing.</summary>
internal static class SchemaNumbers
{
    /// <summary>Whether every value of <paramref name="from"/> is exactly a value of <paramref name="to"/>.</summary>
    public static bool IsLossless(int from, int to)
    {
        if (from == to)
        {
            return true;
        }

        int fromWidth = SchemaPrimitives.Width(from);
        int toWidth = SchemaPrimitives.Width(to);
        if (SchemaPrimitives.IsInteger(from) && SchemaPrimitives.IsInteger(to))
        {
            bool fromSigned = SchemaPrimitives.IsSigned(from);
            bool toSigned = SchemaPrimitives.IsSigned(to);
            return fromSigned ? toSigned && toWidth >= fromWidth : (toSigned ? toWidth > fromWidth : toWidth >= fromWidth);
        }

        if (SchemaPrimitives.IsInteger(from) && SchemaPrimitives.IsFloatingPoint(to))
        {
            // The integer's magnitude bits must fit the significand (Half 11, float 24, double 53).
            int bits = (fromWidth * 8) - (SchemaPrimitives.IsSigned(from) ? 1 : 0);
            int significand = to switch { 13 => 11, 9 => 24, _ => 53 };
            return bits <= significand;
        }

        // Half -> float -> double.
        return (from, to) is (13, 9) or (13, 12) or (9, 12);
    }

    public static void Convert(ReadOnlySpan<byte> source, int from, bool fromBigEndian, Span<byte> destination, int to, bool toBigEndian)
    {
        if (SchemaPrimitives.IsFloatingPoint(to))
        {
            double value = SchemaPrimitives.IsFloatingPoint(from)
                ? ReadFloat(source, from, fromBigEndian)
                : SchemaPrimitives.IsSigned(from) ? ReadSigned(source, from, fromBigEndian) : ReadUnsigned(source, from, fromBigEndian);
            WriteFloat(destination, to, toBigEndian, value);
            return;
        }

        ulong bits = SchemaPrimitives.IsSigned(from) ? (ulong)ReadSigned(source, from, fromBigEndian) : ReadUnsigned(source, from, fromBigEndian);
        WriteInteger(destination, SchemaPrimitives.Width(to), toBigEndian, bits);
    }

    private static ulong ReadUnsigned(ReadOnlySpan<byte> s, int code, bool big) => SchemaPrimitives.Width(code) switch
    {
        1 => s[0],
        2 => big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
        4 => big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
        _ => big ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s),
    };

    private static long ReadSigned(ReadOnlySpan<byte> s, int code, bool big) => SchemaPrimitives.Width(code) switch
    {
        1 => (sbyte)s[0],
        2 => (short)ReadUnsigned(s, code, big),
        4 => (int)ReadUnsigned(s, code, big),
        _ => (long)ReadUnsigned(s, code, big),
    };

    private static double ReadFloat(ReadOnlySpan<byte> s, int code, bool big) => code switch
    {
        13 => (double)BitConverter.UInt16BitsToHalf((ushort)ReadUnsigned(s, code, big)),
        9 => BitConverter.UInt32BitsToSingle((uint)ReadUnsigned(s, code, big)),
        _ => BitConverter.UInt64BitsToDouble(ReadUnsigned(s, code, big)),
    };

    private static void WriteFloat(Span<byte> d, int code, bool big, double value)
    {
        switch (code)
        {
            case 13:
                WriteInteger(d, 2, big, BitConverter.HalfToUInt16Bits((Half)value));
                break;
            case 9:
                WriteInteger(d, 4, big, BitConverter.SingleToUInt32Bits((float)value));
                break;
            default:
                WriteInteger(d, 8, big, BitConverter.DoubleToUInt64Bits(value));
                break;
        }
    }

    /// <summary>The low <paramref name="width"/> bytes (1, 2, 4 or 8) of <paramref name="bits"/> in the given byte order (also how <see cref="LayoutDefaults"/> writes a default).</summary>
    internal static void WriteInteger(Span<byte> d, int width, bool big, ulong bits)
    {
        switch (width)
        {
            case 1:
                d[0] = (byte)bits;
                break;
            case 2:
                if (big) { BinaryPrimitives.WriteUInt16BigEndian(d, (ushort)bits); } else { BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)bits); }
                break;
            case 4:
                if (big) { BinaryPrimitives.WriteUInt32BigEndian(d, (uint)bits); } else { BinaryPrimitives.WriteUInt32LittleEndian(d, (uint)bits); }
                break;
            default:
                if (big) { BinaryPrimitives.WriteUInt64BigEndian(d, bits); } else { BinaryPrimitives.WriteUInt64LittleEndian(d, bits); }
                break;
        }
    }
}
