using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Overlay.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// Hostile embedded schemas at scale (<c>LayoutSchema.Decode</c>, <c>docs/formats.md</c> §8.2): the
/// schemas of five layouts (fixed strings, [VarString]/[VarBytes], nested layouts and arrays of
/// them, big-endian arrays, a Guid), mutated generically or in their structure — header fields,
/// a 1, 2 or 4-byte number anywhere (name lengths, kinds, counts, offsets, sizes, nested indexes),
/// cut or grown with the header's length made to agree half the time so that the deeper checks
/// run — then decoded, compared both ways with every fuzz layout and encoded again
/// (<see cref="SchemaTarget"/>). 8,000 iterations in CI (no file: the decoder reads bytes).
/// </summary>
public class SchemaFuzzTests
{
    private readonly ITestOutputHelper _output;

    public SchemaFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void MutatedSchemasDecodeOrAreRefusedWithoutOtherExceptions() =>
        new FormatFuzzer(new SchemaTarget(), Mutate, _output, maximumMutations: 1).Run(FormatFuzzer.Iterations(8_000), FormatFuzzer.Seed(20261214));

    private static readonly (int At, int Size, string Name)[] s_header =
        [(0, 4, "magic"), (4, 2, "version"), (6, 2, "flags"), (8, 4, "length"), (12, 2, "layout count"), (14, 2, "reserved")];

    private static byte[] Mutate(byte[] bytes, Random random, List<string> applied)
    {
        switch (random.Next(4))
        {
            case 0:
            {
                (int at, int size, string name) = s_header[random.Next(s_header.Length)];
                FormatFuzzer.SetField(bytes, at, size, random, applied, name);
                return bytes;
            }

            case 1 or 2 when bytes.Length > 20:
            {
                int size = 1 << random.Next(3);
                int at = 16 + random.Next(bytes.Length - 16 - size + 1);
                FormatFuzzer.SetField(bytes, at, size, random, applied, "number");
                return bytes;
            }

            default:
            {
                byte[] resized = FormatFuzzer.Generic(bytes, random, applied);
                if (resized.Length >= 12 && random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(resized.AsSpan(8), (uint)resized.Length);
                    applied.Add("length made to agree");
                }

                return resized;
            }
        }
    }
}
