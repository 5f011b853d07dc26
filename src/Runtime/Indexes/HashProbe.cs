using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Indexes;

/// <summary>
/// The hash table's lookup, shared by <see cref="MappedHashIndex{TKey, TValue}"/> and its pins
/// (<see cref="PinnedHashIndex{TKey, TRef}"/>): a key's stored hash, then a linear probe from its
/// home slot that ends at an empty slot or at the end of the table, whatever the slots hold.
/// Static and given every value it needs, so each caller keeps the table's numbers where it
/// likes (an index in its fields, a pin in its own) and the JIT inlines the same code into both.
/// </summary>
internal static unsafe class HashProbe
{
    /// <summary>The stored hash of a removed entry's slot (0 is an empty slot; no key hashes to either).</summary>
    internal const ulong Removed = 1;

    /// <summary>The stored hash of an 8-byte key given as its little-endian value, never 0 or 1.</summary>
    /// <param name="key">The key's value.</param>
    /// <param name="preparedSeed">The file's seed, prepared (<see cref="StableHash.PrepareSeed"/>).</param>
    /// <param name="fold">True under hash function 2.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong HashOf8(ulong key, ulong preparedSeed, bool fold)
    {
        ulong hash = fold ? StableHash.Hash8Fold(key, preparedSeed) : StableHash.Hash8(key, preparedSeed);
        return hash > Removed ? hash : hash + 2;
    }

    /// <summary>The stored hash of a key's bytes under a prepared seed and hash function, never 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong HashOf(ReadOnlySpan<byte> key, ulong preparedSeed, uint function)
    {
        ulong hash = key.Length != sizeof(ulong) ? StableHash.Hash(key, preparedSeed)
            : function == StableHash.Function2 ? StableHash.Hash8Fold(MemoryMarshal.Read<ulong>(key), preparedSeed)
            : StableHash.Hash8(MemoryMarshal.Read<ulong>(key), preparedSeed);
        return hash > Removed ? hash : hash + 2;
    }

    /// <summary>
    /// The slot holding the key, or -1. The slots are <paramref name="limit"/> records of
    /// <paramref name="stride"/> bytes from <paramref name="slots"/>, each its stored hash, then the
    /// key; the caller vouches that they lie in memory it holds in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Find<TKeyMatch>(byte* slots, ulong mask, long limit, long stride, ulong hash, TKeyMatch key)
        where TKeyMatch : IKeyMatch, allows ref struct
    {
        long i = (long)(hash & mask);
        byte* p = slots + (i * stride);
        while (true)
        {
            ulong stored = Unsafe.ReadUnaligned<ulong>(p);
            if (stored == hash)
            {
                if (key.Matches(p + sizeof(ulong)))
                {
                    return i;
                }
            }
            else if (stored == 0)
            {
                return -1;
            }

            if (++i >= limit)
            {
                return -1;
            }

            p += stride;
        }
    }

    /// <summary><see cref="Find{TKeyMatch}"/> for a key's bytes: compared as one number when there are eight of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Find(byte* slots, ulong mask, long limit, long stride, ulong hash, ReadOnlySpan<byte> key) =>
        key.Length == sizeof(ulong)
            ? Find(slots, mask, limit, stride, hash, new EightBytes(MemoryMarshal.Read<ulong>(key)))
            : Find(slots, mask, limit, stride, hash, new AnyBytes(key));

    /// <summary>Compares the key a probe looks for with a slot's stored key.</summary>
    internal interface IKeyMatch
    {
        /// <summary>Whether the stored key at <paramref name="stored"/> is this one.</summary>
        bool Matches(byte* stored);
    }

    /// <summary>An 8-byte key, compared as one number.</summary>
    internal readonly struct EightBytes(ulong key) : IKeyMatch
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Matches(byte* stored) => Unsafe.ReadUnaligned<ulong>(stored) == key;
    }

    /// <summary>A key of any size, compared byte for byte.</summary>
    internal readonly ref struct AnyBytes(ReadOnlySpan<byte> key) : IKeyMatch
    {
        private readonly ReadOnlySpan<byte> _key = key;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Matches(byte* stored) => new ReadOnlySpan<byte>(stored, _key.Length).SequenceEqual(_key);
    }
}
