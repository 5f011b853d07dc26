using System;
using System.Collections.Generic;
using System.IO;

namespace Overlay.Fuzz;

/// <summary>What a walk of one file ended with. Anything else (an undocumented exception, a fault) is a finding.</summary>
public enum FuzzOutcome
{
    /// <summary>The file opened and every public way in was walked.</summary>
    Opened,

    /// <summary>The file was refused with the exception its <c>Open</c> documents (<see cref="InvalidDataException"/>).</summary>
    Refused,
}

/// <summary>
/// One file format under fuzzing: valid files made through the public API (the seeds), and a walk
/// that opens a file and goes through every public way in, catching exactly the exceptions each
/// call documents. An exception that escapes <see cref="Walk"/> is a finding: afl-fuzz records
/// it as a crash, the CI tests fail with it. A fault (a read outside a mapping) ends the process.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The tag (application magic) every seed is made with and every walk opens with.</summary>
    public const ulong Tag = 0x315A_5A55_4653_564FUL; // "OVSFUZZ1"

    /// <summary>The name the harness is run with (<c>Overlay.Fuzz container</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Valid files of the format, made by the public API in <paramref name="scratch"/>; each is small.</summary>
    /// <param name="scratch">A directory the target may write into.</param>
    /// <returns>The files' bytes, each with a short name.</returns>
    public abstract IReadOnlyList<(string Name, byte[] Bytes)> Seeds(string scratch);

    /// <summary>Opens the file at <paramref name="path"/> and walks it; with <paramref name="write"/> also opens it for writing, changes it and reads the change back.</summary>
    /// <param name="path">The (possibly hostile) file; it may be changed.</param>
    /// <param name="write">Whether to take the writer's path too.</param>
    /// <returns>Whether the file opened or was refused.</returns>
    public abstract FuzzOutcome Walk(string path, bool write);

    /// <summary>Writes <paramref name="input"/> to <paramref name="path"/> and walks it: what afl-fuzz calls per input.</summary>
    /// <param name="input">The input.</param>
    /// <param name="path">The scratch file to write it to.</param>
    /// <returns>The walk's outcome.</returns>
    public FuzzOutcome Run(ReadOnlySpan<byte> input, string path)
    {
        byte[] bytes = input.ToArray();

        // Checksums are gates afl-fuzz cannot pass by mutation (a random change fails a CRC-32C
        // 2^32 - 1 times in 2^32), so the walk would stop at the checksum check: fix them, as
        // fuzzers of PNG and zlib do, unless the input's last byte has its top bit set (so the
        // checksum checks are still reached). The CI tests mutate with and without checksums.
        if (bytes.Length > 0 && bytes[^1] < 0x80)
        {
            FixChecksums(bytes);
        }

        using (FileStream file = new(path, FileMode.Create, FileAccess.Write))
        {
            file.Write(bytes);
        }

        // The writer's path for a quarter of the inputs, chosen by the input itself so that a
        // finding replays the same way.
        bool write = bytes.Length > 0 && bytes[^1] % 4 == 1;
        return Walk(path, write);
    }

    /// <summary>Recomputes the format's checksums in <paramref name="bytes"/> as its writer does (nothing for formats without one).</summary>
    /// <param name="bytes">A file's bytes.</param>
    protected virtual void FixChecksums(Span<byte> bytes)
    {
    }

    /// <summary>CRC-32C (Castagnoli) of two spans one after the other: the checksum of containers' slots and of index headers.</summary>
    /// <param name="first">The first bytes.</param>
    /// <param name="second">The bytes after them.</param>
    /// <returns>The checksum.</returns>
    protected static uint Crc32C(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        uint crc = uint.MaxValue;
        foreach (byte value in first)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, value);
        }

        foreach (byte value in second)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, value);
        }

        return ~crc;
    }

    /// <summary>Heap references and other numbers taken from the input itself, so that the fuzzer steers them.</summary>
    /// <param name="path">The file.</param>
    /// <param name="count">How many to take.</param>
    /// <returns>Pairs of (u64, u32) read at evenly spaced places of the file's first 64 KiB.</returns>
    protected static List<(long Offset, int Length)> NumbersFrom(string path, int count)
    {
        var numbers = new List<(long, int)>();
        using FileStream file = File.OpenRead(path);
        var buffer = new byte[(int)Math.Min(file.Length, 1 << 16)];
        file.ReadExactly(buffer);
        if (buffer.Length < 12)
        {
            return numbers;
        }

        for (int i = 0; i < count; i++)
        {
            int at = (int)((long)(buffer.Length - 12) * i / Math.Max(1, count - 1)) & ~3;
            numbers.Add((BitConverter.ToInt64(buffer, at), BitConverter.ToInt32(buffer, at + 8)));
        }

        return numbers;
    }
}
