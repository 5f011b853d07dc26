using System;
using System.Buffers.Binary;

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
    public static bool TryApply(ReadOnlySpan<byte> source, int fromStride, int from, Span<byte> destination, int toStride, int to, int count)
    {
        switch ((from, to))
        {
            case (Int, Long):
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(destination[(i * toStride)..], BinaryPrimitives.ReadInt32LittleEndian(source[(i * fromStride)..]));
                }

                return true;
            case (UInt, Long) or (UInt, ULong):
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(destination[(i * toStride)..], BinaryPrimitives.ReadUInt32LittleEndian(source[(i * fromStride)..]));
                }

                return true;
            case (Float, Double):
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(destination[(i * toStride)..], BinaryPrimitives.ReadSingleLittleEndian(source[(i * fromStride)..]));
                }

                return true;
            case (Int, Double):
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(destination[(i * toStride)..], BinaryPrimitives.ReadInt32LittleEndian(source[(i * fromStride)..]));
                }

                return true;
            case (Short, Int):
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination[(i * toStride)..], BinaryPrimitives.ReadInt16LittleEndian(source[(i * fromStride)..]));
                }

                return true;
            case (UShort, Int) or (UShort, UInt):
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[(i * toStride)..], BinaryPrimitives.ReadUInt16LittleEndian(source[(i * fromStride)..]));
                }

                return true;
            case (Byte, Int) or (Byte, UInt):
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[(i * toStride)..], source[i * fromStride]);
                }

                return true;
            default:
                return false;
        }
    }
}
