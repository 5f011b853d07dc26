using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Overlay.Indexes;

/// <summary>
/// The hash functions of index files (the function id in their header). Function 1 is a seeded
/// 64-bit hash of a key's bytes, built as wyhash final 4 is (two 64×64→128-bit multiply-folds over
/// the bytes, the seed mixed in first), written here so that its output is fixed by this file and
/// its test vectors (<c>StableHashTests</c>), not by a package or a .NET version.
/// <see cref="System.HashCode"/> cannot be used: it is randomised per process. Function 2 is
/// function 1 without the final multiply-fold for 8-byte keys (<see cref="Hash8Fold"/>), and
/// function 1 for every other key size.
/// </summary>
/// <remarks>
/// Why this function: a file's seed is chosen at random when it is created, so a key set built to
/// collide under one file's seed does not collide under another's (the multiply-folds make the
/// output depend on the seed in every bit); and an 8-byte key costs two 128-bit multiplies under
/// function 1, one under function 2, which keeps the hash a small part of a lookup (function 2
/// trades function 1's final avalanche for that multiply: docs/indexes.md, "What function 2 gives up"). Keys of up to 16 bytes are read as wyhash reads
/// them (overlapping 4-byte words); longer keys in 16-byte steps, one lane (wyhash uses three
/// lanes past 48 bytes; keys that long are rare here, and the output is defined by this code).
/// </remarks>
internal static class StableHash
{
    /// <summary>Function 1: <see cref="Hash"/> for every key size (<see cref="Hash8"/> for 8 bytes). Files made before function 2 record it.</summary>
    public const uint Function1 = 1;

    /// <summary>Function 2: <see cref="Hash8Fold"/> for 8-byte keys, <see cref="Hash"/> for every other size.</summary>
    public const uint Function2 = 2;

    /// <summary>The function new index files record (docs/indexes.md, "Why function 2").</summary>
    public const uint NewFileFunction = Function2;

    /// <summary>Whether <paramref name="function"/> is a function id this code can hash with.</summary>
    public static bool IsKnown(uint function) => function is Function1 or Function2;

    private const ulong S0 = 0xa0761d6478bd642f;
    private const ulong S1 = 0xe7037ed1a0b428db;

    /// <summary>The seed as the hash uses it: mixed once per file, so every call saves a multiply.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PrepareSeed(ulong seed) => seed ^ Mix(seed ^ S0, S1);

    /// <summary>The hash of <paramref name="key"/> under a seed prepared by <see cref="PrepareSeed"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> key, ulong preparedSeed)
    {
        int length = key.Length;
        ulong seed = preparedSeed;
        ulong a;
        ulong b;
        if (length <= 16)
        {
            if (length >= 4)
            {
                int step = (length >> 3) << 2;
                a = ((ulong)Read4(key, 0) << 32) | Read4(key, step);
                b = ((ulong)Read4(key, length - 4) << 32) | Read4(key, length - 4 - step);
            }
            else if (length > 0)
            {
                a = ((ulong)key[0] << 16) | ((ulong)key[length >> 1] << 8) | key[length - 1];
                b = 0;
            }
            else
            {
                a = 0;
                b = 0;
            }
        }
        else
        {
            int offset = 0;
            int remaining = length;
            while (remaining > 16)
            {
                seed = Mix(Read8(key, offset) ^ S1, Read8(key, offset + 8) ^ seed);
                offset += 16;
                remaining -= 16;
            }

            a = Read8(key, offset + remaining - 16);
            b = Read8(key, offset + remaining - 8);
        }

        return Finish(a, b, seed, (ulong)length);
    }

    /// <summary>
    /// <see cref="Hash"/> of the 8 little-endian bytes of <paramref name="key"/>, without reading
    /// them from memory: the same result (a test checks it), for the common 8-byte key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash8(ulong key, ulong preparedSeed)
    {
        // For 8 bytes, Hash reads a = (low word << 32) | high word and b = the key itself.
        ulong a = (key << 32) | (key >> 32);
        return Finish(a, key, preparedSeed, 8);
    }

    /// <summary>
    /// Function 2's hash of an 8-byte key given as its little-endian value: one 64×64→128-bit
    /// multiply, folded, then its high half folded into its low half. Exactly
    /// <c>hi:lo = (rot32(key) ^ S1) × (key ^ preparedSeed)</c>, the full 128-bit product,
    /// <c>f = hi ^ lo</c>, and the result <c>f ^ (f &gt;&gt; 32)</c>, where <c>rot32</c> swaps the
    /// key's 32-bit halves, <c>S1 = 0xe7037ed1a0b428db</c> and <c>preparedSeed</c> is
    /// <see cref="PrepareSeed"/>'s. The product is the one <see cref="Hash8"/> computes before its
    /// final <see cref="Mix"/> (a test checks it), without that second multiply.
    /// </summary>
    /// <remarks>
    /// Why the last shift: the home slot is the hash's low bits, and <c>hi ^ lo</c> alone left keys
    /// that count in a few bits (0, 1, 2, …; <c>i &lt;&lt; 20</c>; <c>i * 4096</c>) piled into long runs
    /// under 1-2 % of seeds (a mean displacement of up to 522 slots against 1.5 for a random
    /// placement); with the upper half folded down, no seed of 1,000 passed 3 (docs/indexes.md,
    /// "What function 2 gives up").
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash8Fold(ulong key, ulong preparedSeed)
    {
        ulong high = Math.BigMul(((key << 32) | (key >> 32)) ^ S1, key ^ preparedSeed, out ulong low);
        ulong folded = high ^ low;
        return folded ^ (folded >> 32);
    }

    /// <summary>Function 1's last step before its final <see cref="Mix"/>: the 128-bit product that <see cref="Hash8Fold"/> folds for function 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Product(ulong a, ulong b, ulong seed, out ulong low) => Math.BigMul(a ^ S1, b ^ seed, out low);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finish(ulong a, ulong b, ulong seed, ulong length)
    {
        ulong high = Product(a, b, seed, out ulong low);
        return Mix(low ^ S0 ^ length, high ^ S1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }

    private static uint Read4(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    private static ulong Read8(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]);
}
