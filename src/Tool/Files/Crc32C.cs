using System;
using System.Buffers.Binary;
using System.Numerics;

namespace Overlay.Tool.Files;

/// <summary>CRC-32C (Castagnoli) as the index headers use it (docs/indexes.md): initial and final value all ones.</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (byte value in data)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        return ~crc;
    }
}
