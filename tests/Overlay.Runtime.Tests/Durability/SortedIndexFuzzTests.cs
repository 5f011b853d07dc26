using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Overlay.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// Hostile sorted indexes at scale: the harness's seeds (0, 1, 17 and 70 signed keys with record
/// values; a set of Guids), mutated generically or in their structure — every header field with
/// the CRC-32C recomputed, keys swapped (unsorted), summary entries and block numbers (ranks) set
/// to hostile values — then enumerated, probed, ranged, and one in twenty edited in place and
/// rebuilt by a builder that merges it (<see cref="SortedIndexTarget"/>). 3,500 iterations in CI.
/// </summary>
public class SortedIndexFuzzTests
{
    private const int HeaderSize = 128;
    private readonly ITestOutputHelper _output;

    public SortedIndexFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void MutatedSortedIndexesOpenOrAreRefusedAndWalkWithoutFaults() =>
        new FormatFuzzer(new SortedIndexTarget(), Mutate, _output).Run(FormatFuzzer.Iterations(3_500), FormatFuzzer.Seed(20261213));

    private static readonly (int At, int Size, string Name)[] s_header =
        [(0, 8, "magic"), (8, 4, "version"), (12, 4, "header size"), (16, 4, "key size"), (20, 4, "value size"), (24, 8, "key fingerprint"), (32, 8, "value fingerprint"),
         (40, 8, "count"), (48, 4, "block size"), (52, 4, "key order"), (56, 8, "summary count"), (64, 8, "keys offset"), (72, 8, "values offset"), (80, 8, "summary offset"),
         (88, 8, "tag"), (96, 8, "reserved")];

    private static byte[] Mutate(byte[] bytes, Random random, List<string> applied)
    {
        if (bytes.Length < HeaderSize)
        {
            return bytes;
        }

        int keySize = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)), 1024);
        long count = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40)), (ulong)bytes.Length);
        long summary = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(80)), (ulong)bytes.Length);
        long summaryCount = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(56)), (ulong)bytes.Length);
        switch (random.Next(4))
        {
            case 0 when count > 1 && keySize > 0 && HeaderSize + (count * keySize) <= bytes.Length:
            {
                long a = random.NextInt64(count);
                long b = random.NextInt64(count);
                Span<byte> x = bytes.AsSpan((int)(HeaderSize + (a * keySize)), keySize);
                Span<byte> y = bytes.AsSpan((int)(HeaderSize + (b * keySize)), keySize);
                byte[] keep = x.ToArray();
                y.CopyTo(x);
                keep.CopyTo(y);
                applied.Add($"keys {a} and {b} swapped");
                break;
            }

            case 1 when summaryCount > 0 && keySize > 0:
            {
                // A block number (rank) or a summary key.
                long ranks = summary + ((summaryCount * keySize + 7) & ~7L);
                long entry = random.NextInt64(summaryCount);
                if (random.Next(2) == 0)
                {
                    FormatFuzzer.SetField(bytes, (int)Math.Min(int.MaxValue, ranks + (entry * 8)), 8, random, applied, $"block number {entry}");
                }
                else
                {
                    FormatFuzzer.SetField(bytes, (int)Math.Min(int.MaxValue, summary + (entry * keySize)), Math.Min(keySize, 8), random, applied, $"summary key {entry}");
                }

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
