using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Schemas;

/// <summary>
/// The common lossless widenings of a batch of records, little-endian to little-endian, each a
/// tight loop (the general path, <see cref="SchemaNumbers.Convert"/>, chooses the conversion per
/// value). Codes are <see cref="SchemaPrimitives"/>'.
/// </summary>
internal static class NumberWidening
{
    private const int Byte = 2, Short = 4, UShort = 5, Int = 7, UInt = 8, Float = 9, Long = 10, ULong = 11, Double = 12;

    /// <summary>Widens the field at the start of <paramref name="source"/> in each of <paramref name="count"/> records; false (nothing written) for a pair it does not handle.</summary>
    /// <exception cref="ArgumentException">A span does not reach the last record's field.</exception>
    public static bool TryApply(ReadOnlySpan<byte> source, int fromStride, int from, Span<byte> destination, int toStride, int to, int count)
    {
        // Host order is the file's here (little-endian hosts: every .NET 10 target); a big-endian
        // host takes the general path.
        if (!BitConverter.IsLittleEndian)
        {
            return false;
        }

        switch ((from, to))
        {
            case (Int, Long):
                Widen<int, long, IntToLong>(source, fromStride, destination, toStride, count);
                return true;
            case (UInt, Long) or (UInt, ULong):
                Widen<uint, ulong, UIntToULong>(source, fromStride, destination, toStride, count);
                return true;
            case (Float, Double):
                Widen<float, double, FloatToDouble>(source, fromStride, destination, toStride, count);
                return true;
            case (Int, Double):
                Widen<int, double, IntToDouble>(source, fromStride, destination, toStride, count);
                return true;
            case (Short, Int):
                Widen<short, int, ShortToInt>(source, fromStride, destination, toStride, count);
                return true;
            case (UShort, Int) or (UShort, UInt):
                Widen<ushort, uint, UShortToUInt>(source, fromStride, destination, toStride, count);
                return true;
            case (Byte, Int) or (Byte, UInt):
                Widen<byte, uint, ByteToUInt>(source, fromStride, destination, toStride, count);
                return true;
            default:
                return false;
        }
    }

    // One bounds check for the batch, then unchecked unaligned loads and stores: the loop the
    // upgrade spends its conversion time in (10M records, two fields: 20M iterations).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen<TFrom, TTo, TWiden>(ReadOnlySpan<byte> source, int fromStride, Span<byte> destination, int toStride, int count)
        where TFrom : unmanaged
        where TTo : unmanaged
        where TWiden : struct, IWidening<TFrom, TTo>
    {
        if (count <= 0)
        {
            return;
        }

        if (((long)(count - 1) * fromStride) + Unsafe.SizeOf<TFrom>() > source.Length
            || ((long)(count - 1) * toStride) + Unsafe.SizeOf<TTo>() > destination.Length)
        {
            throw new ArgumentException($"{count} records of {fromStride} and {toStride} bytes do not fit spans of {source.Length} and {destination.Length} bytes.");
        }

        ref byte read = ref MemoryMarshal.GetReference(source);
        ref byte write = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < count; i++)
        {
            Unsafe.WriteUnaligned(ref write, TWiden.Widen(Unsafe.ReadUnaligned<TFrom>(ref read)));
            read = ref Unsafe.Add(ref read, fromStride);
            write = ref Unsafe.Add(ref write, toStride);
        }
    }

    // Structs, so that each loop is compiled for its pair with the conversion inlined.
    private interface IWidening<TFrom, TTo>
    {
        static abstract TTo Widen(TFrom value);
    }

    private readonly struct IntToLong : IWidening<int, long>
    {
        public static long Widen(int value) => value;
    }

    private readonly struct UIntToULong : IWidening<uint, ulong>
    {
        public static ulong Widen(uint value) => value;
    }

    private readonly struct FloatToDouble : IWidening<float, double>
    {
        public static double Widen(float value) => value;
    }

    private readonly struct IntToDouble : IWidening<int, double>
    {
        public static double Widen(int value) => value;
    }

    private readonly struct ShortToInt : IWidening<short, int>
    {
        public static int Widen(short value) => value;
    }

    private readonly struct UShortToUInt : IWidening<ushort, uint>
    {
        public static uint Widen(ushort value) => value;
    }

    private readonly struct ByteToUInt : IWidening<byte, uint>
    {
        public static uint Widen(byte value) => value;
    }
}
