using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Overlay.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// Hostile hash indexes at scale: the harness's seeds (<c>ulong</c> keys with record values, a set
/// of layout keys, a file left dirty), mutated generically or in their structure — every header
/// field with the CRC-32C recomputed (so the value reaches the checks after the checksum), slots'
/// stored hashes (zero, one, another slot's: wrong homes, duplicates) and copies of one slot over
/// another — then opened read-only with both type pairs, enumerated and probed, and one in twenty
/// recovered for writing (<see cref="HashIndexTarget"/>). 2,500 iterations in CI (each open takes the file locks).
/// </summary>
public class HashIndexFuzzTests
{
    private const int HeaderSize = 128;
    private readonly ITestOutputHelper _output;

    public HashIndexFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void MutatedHashIndexesOpenOrAreRefusedAndWalkWithoutFaults() =>
        new FormatFuzzer(new HashIndexTarget(), Mutate, _output).Run(FormatFuzzer.Iterations(2_500), FormatFuzzer.Seed(20261212));

    private static readonly (int At, int Size, string Name)[] s_header =
        [(0, 8, "magic"), (8, 4, "version"), (12, 4, "header size"), (16, 4, "key size"), (20, 4, "value size"), (24, 8, "key fingerprint"), (32, 8, "value fingerprint"),
         (40, 4, "hash function"), (44, 4, "max load"), (48, 8, "seed"), (56, 4, "stride"), (60, 4, "tail"), (64, 8, "capacity"), (72, 8, "count"), (80, 4, "state"),
         (84, 4, "flags"), (88, 8, "tag"), (96, 8, "reserved")];

    private static byte[] Mutate(byte[] bytes, Random random, List<string> applied)
    {
        if (bytes.Length < HeaderSize)
        {
            return bytes;
        }

        int stride = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(56));
        int slots = stride is >= 8 and <= 4096 ? (bytes.Length - HeaderSize) / stride : 0;
        switch (random.Next(3))
        {
            case 0 when slots > 1:
            {
                int slot = random.Next(slots);
                int at = HeaderSize + (slot * stride);
                if (random.Next(2) == 0)
                {
                    int other = HeaderSize + (random.Next(slots) * stride);
                    bytes.AsSpan(other, 8).CopyTo(bytes.AsSpan(at));
                    applied.Add($"slot {slot} takes the stored hash of the slot at {other}");
                }
                else
                {
                    FormatFuzzer.SetField(bytes, at, 8, random, applied, $"slot {slot} hash");
                }

                break;
            }

            case 1 when slots > 1:
            {
                int from = HeaderSize + (random.Next(slots) * stride);
                int to = HeaderSize + (random.Next(slots) * stride);
                bytes.AsSpan(from, stride).CopyTo(bytes.AsSpan(to));
                applied.Add($"slot at {from} copied over the slot at {to}");
                break;
            }

            default:
            {
                (int at, int size, string name) = s_header[random.Next(s_header.Length)];
                FormatFuzzer.SetField(bytes, at, size, random, applied, name);
                break;
            }
        }

        if (random.Next(5) != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(124), Overlay.Formats.Crc32C.Compute(bytes.AsSpan(0, 124), default));
        }

        return bytes;
    }
}
