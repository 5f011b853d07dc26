using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// The loop every format's hostile-file test runs (issue 11): take a valid file made by the public
/// API (the harness's seeds, <c>tests/Overlay.Fuzz</c>), apply one to three mutations — generic
/// ones here (bit flips, byte runs, truncation, extension) or the format's own (hostile values in
/// its header and table fields, with the checksum recomputed as the runtime computes it) — and walk
/// the result with the harness's target, which catches exactly what each call documents. Anything
/// else fails the test with the seed, the iteration and the mutations; a fault ends the test host.
/// <c>OVERLAY_FUZZ_ITERATIONS</c> sets the iterations of each format, <c>OVERLAY_FUZZ_SEED</c> the seed.
/// </summary>
internal sealed class FormatFuzzer
{
    /// <summary>A mutation of the format's own structure; returns the new bytes and says what it did.</summary>
    public delegate byte[] Structured(byte[] bytes, Random random, List<string> applied);

    private readonly FuzzTarget _target;
    private readonly Structured _structured;
    private readonly ITestOutputHelper _output;
    private readonly int _maximumMutations;

    /// <param name="maximumMutations">Mutations per file, at most (at least one): formats whose every byte is checked (schemas) need fewer for files to survive.</param>
    public FormatFuzzer(FuzzTarget target, Structured structured, ITestOutputHelper output, int maximumMutations = 3)
    {
        _target = target;
        _structured = structured;
        _output = output;
        _maximumMutations = maximumMutations;
    }

    public static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : ci;

    public static int Seed(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_FUZZ_SEED"), out int s) ? s : ci;

    /// <summary>Runs the loop; returns (opened, refused).</summary>
    public (int Opened, int Refused) Run(int iterations, int seed)
    {
        var random = new Random(seed);
        string scratch = FuzzTargets.ScratchDirectory();
        try
        {
            IReadOnlyList<(string Name, byte[] Bytes)> seeds = _target.Seeds(scratch);
            string path = Path.Combine(scratch, "mutated");
            int opened = 0;
            int refused = 0;
            int written = 0;
            for (int iteration = 0; iteration < iterations; iteration++)
            {
                (string name, byte[] bytes) = seeds[random.Next(seeds.Count)];
                var applied = new List<string> { name };
                for (int m = random.Next(1, _maximumMutations + 1); m > 0; m--)
                {
                    bytes = random.Next(2) == 0 ? Generic(bytes, random, applied) : _structured((byte[])bytes.Clone(), random, applied);
                }

                bool write = random.Next(20) == 0;
                File.WriteAllBytes(path, bytes);
                try
                {
                    FuzzOutcome outcome = _target.Walk(path, write);
                    opened += outcome == FuzzOutcome.Opened ? 1 : 0;
                    refused += outcome == FuzzOutcome.Refused ? 1 : 0;
                    written += write && outcome == FuzzOutcome.Opened ? 1 : 0;
                }
                catch (Exception e)
                {
                    Assert.Fail($"{_target.Name}, seed {seed}, iteration {iteration}{(write ? " (writer's path)" : string.Empty)}: {string.Join("; ", applied)}\n{e}");
                }
            }

            _output.WriteLine($"{_target.Name}: {iterations} mutated files (seed {seed}): {opened} opened and walked ({written} of them also down the writer's path, where the format has one), {refused} refused with InvalidDataException");
            Assert.True(opened > iterations / 20, $"only {opened} of {iterations} mutated files opened: the walk means little");
            Assert.True(refused > iterations / 20, $"only {refused} of {iterations} mutated files refused: the mutations mean little");
            return (opened, refused);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Bit flips, byte runs, truncation and extension, half of them near a place the format cares about (the start).</summary>
    public static byte[] Generic(byte[] bytes, Random random, List<string> applied)
    {
        bytes = (byte[])bytes.Clone();
        int near = Math.Max(1, Math.Min(bytes.Length, random.Next(2) == 0 ? 512 : bytes.Length));
        switch (random.Next(5))
        {
            case 0 when bytes.Length > 0:
            {
                int at = random.Next(near);
                int bit = random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                applied.Add($"bit {bit} of byte {at} flipped");
                return bytes;
            }

            case 1 when bytes.Length > 0:
            {
                int at = random.Next(near);
                int length = Math.Min(bytes.Length - at, random.Next(1, 65));
                byte fill = random.Next(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)random.Next(256) };
                bool noise = random.Next(2) == 0;
                for (int i = at; i < at + length; i++)
                {
                    bytes[i] = noise ? (byte)random.Next(256) : fill;
                }

                applied.Add($"{length} bytes at {at} set to {(noise ? "noise" : $"0x{fill:X2}")}");
                return bytes;
            }

            case 2:
            {
                int length = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 600) + 1) : random.Next(bytes.Length + 1);
                applied.Add($"truncated to {length}");
                return bytes[..length];
            }

            case 3:
            {
                int extra = random.Next(1, 9000);
                var longer = new byte[bytes.Length + extra];
                bytes.CopyTo(longer, 0);
                if (random.Next(2) == 0)
                {
                    random.NextBytes(longer.AsSpan(bytes.Length));
                }

                applied.Add($"extended by {extra}");
                return longer;
            }

            default:
            {
                // A copy of one run of the file over another (a table entry over the next, a key over a key).
                if (bytes.Length < 16)
                {
                    return bytes;
                }

                int length = random.Next(1, Math.Min(bytes.Length / 2, 256));
                int from = random.Next(bytes.Length - length);
                int to = random.Next(bytes.Length - length);
                bytes.AsSpan(from, length).CopyTo(bytes.AsSpan(to));
                applied.Add($"{length} bytes copied from {from} to {to}");
                return bytes;
            }
        }
    }

    /// <summary>A hostile value for a field: edges of its width, what the file's length makes plausible ± 1, near the old value, random.</summary>
    public static ulong Special(Random random, ulong old, long fileLength) => random.Next(14) switch
    {
        0 => 0,
        1 => 1,
        2 => ulong.MaxValue,
        3 => long.MaxValue,
        4 => uint.MaxValue,
        5 => int.MaxValue,
        6 => 1UL << random.Next(64),
        7 => (ulong)fileLength,
        8 => (ulong)fileLength + 1,
        9 => (ulong)Math.Max(0, fileLength - 8),
        10 => old + 1,
        11 => old - 1,
        12 => old + (ulong)(8 * random.Next(1, 600)),
        _ => (ulong)random.NextInt64() >> random.Next(64),
    };

    /// <summary>Writes <paramref name="value"/> into a field of <paramref name="size"/> bytes (1, 2, 4 or 8), little-endian.</summary>
    public static void Write(Span<byte> field, int size, ulong value)
    {
        switch (size)
        {
            case 1: field[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(field, value); break;
        }
    }

    /// <summary>Reads a field of <paramref name="size"/> bytes, little-endian.</summary>
    public static ulong Read(ReadOnlySpan<byte> field, int size) => size switch
    {
        1 => field[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(field),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(field),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(field),
    };

    /// <summary>Sets one field (at <paramref name="at"/>, <paramref name="size"/> bytes) to a hostile value, if the file holds it.</summary>
    public static bool SetField(byte[] bytes, int at, int size, Random random, List<string> applied, string what)
    {
        if (at < 0 || at + size > bytes.Length)
        {
            return false;
        }

        ulong old = Read(bytes.AsSpan(at), size);
        ulong value = Special(random, old, bytes.Length);
        Write(bytes.AsSpan(at), size, value);
        applied.Add($"{what} (at {at}) {old} -> {Read(bytes.AsSpan(at), size)}");
        return true;
    }
}
