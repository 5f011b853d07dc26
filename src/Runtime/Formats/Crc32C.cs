using System;
using System.Buffers.Binary;
using System.Numerics;

namespace Overlay.Formats;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of a meta slot: computed by the CPU where it can
/// (<see cref="BitOperations.Crc32C(uint, ulong)"/>), the same value on every platform.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) =>
        ~Append(Append(uint.MaxValue, first), second);

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (byte value in data)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        return crc;
    }
}
