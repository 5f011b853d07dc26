using System;
using System.Buffers.Binary;
using System.Numerics;

namespace Overlay.Indexes;

/// <summary>
/// CRC-32C (Castagnoli; initial value and final xor 0xFFFFFFFF, reflected), the checksum of index
/// headers as of the container's meta slots (docs/formats.md §1.1): the processor computes it
/// (<see cref="BitOperations.Crc32C(uint, ulong)"/>), so no package is needed. A torn-write detector,
/// not an authenticator: every field is still checked.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        uint crc = ~0u;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]));
        }

        for (; i < bytes.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, bytes[i]);
        }

        return ~crc;
    }
}
