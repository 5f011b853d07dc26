using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Overlay.Layouts;

/// <summary>
/// The bulk of the version 3 seal check (docs/durability.md): eight 64-bit lanes that take the
/// records' bytes a 64-byte stripe at a time, XXH3's accumulate step with a key per stripe
/// position, and a scramble after every 16 stripes (1 KiB block) so that the order of the blocks
/// counts. Issue 8: version 2's four xxHash64 lanes run at about 15 GB/s, bound by the latency of
/// their 64-bit multiplies, which is as long as the <c>pwrite</c> of the same bytes takes on the
/// calling thread when no second core is free; this step is one 32×32-bit multiply per word,
/// independent across lanes, so AVX2 does four at once (about 4x faster here). Without AVX2 the
/// scalar loop computes the same lanes.
/// </summary>
/// <remarks>
/// Per stripe at position <c>s</c> (its index mod 16), for each word <c>i</c> (0-7, little-endian):
/// <c>x = word ^ key[s][i]</c>, <c>lane[i ^ 1] += word</c>, <c>lane[i] += (x &amp; 0xFFFFFFFF) * (x &gt;&gt; 32)</c>.
/// After position 15: <c>lane[i] = ((lane[i] ^ (lane[i] &gt;&gt; 47)) ^ key[16][i]) * Prime1</c>.
/// Lanes start at <c>salt + i * Prime2</c>; the 17 × 8 keys are SplitMix64's outputs from the salt, in order.
/// </remarks>
internal struct SealStripeHash
{
    /// <summary>The bytes one accumulate step takes.</summary>
    public const int StripeLength = 64;

    private const int StripesPerBlock = 16;
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;

    private static readonly ulong[] s_keys = MakeKeys(RecordFileDurableState.SealSalt3);

    private Lanes _lanes;
    private int _position;

    /// <summary>Lanes seeded from <paramref name="salt"/>, before any stripe.</summary>
    public SealStripeHash(ulong salt)
    {
        for (int i = 0; i < Lanes.Count; i++)
        {
            _lanes[i] = salt + ((ulong)i * Prime2);
        }
    }

    /// <summary>Lane <paramref name="index"/> (0-7) as it stands: what the finish hashes.</summary>
    public readonly ulong Lane(int index) => _lanes[index];

    /// <summary>Takes <paramref name="stripes"/>, whose length is a multiple of <see cref="StripeLength"/>.</summary>
    public void Add(ReadOnlySpan<byte> stripes) => Add(stripes, allowVectors: true);

    /// <summary>As <see cref="Add(ReadOnlySpan{byte})"/>, with the vector loop allowed or not (the tests compare the two).</summary>
    internal void Add(ReadOnlySpan<byte> stripes, bool allowVectors)
    {
        if (stripes.Length % StripeLength != 0)
        {
            throw new ArgumentException("Whole stripes only.", nameof(stripes));
        }

        if (allowVectors && Avx2.IsSupported)
        {
            AddAvx2(stripes);
        }
        else
        {
            AddScalar(stripes);
        }
    }

    private void AddScalar(ReadOnlySpan<byte> stripes)
    {
        ref ulong keys = ref MemoryMarshal.GetArrayDataReference(s_keys);
        int position = _position;
        for (int at = 0; at < stripes.Length; at += StripeLength)
        {
            ref ulong key = ref Unsafe.Add(ref keys, position * Lanes.Count);
            for (int i = 0; i < Lanes.Count; i++)
            {
                ulong word = ReadWord(stripes, at + (i * 8));
                ulong x = word ^ Unsafe.Add(ref key, i);
                _lanes[i ^ 1] += word;
                _lanes[i] += (x & 0xFFFF_FFFFUL) * (x >> 32);
            }

            if (++position == StripesPerBlock)
            {
                ref ulong scramble = ref Unsafe.Add(ref keys, StripesPerBlock * Lanes.Count);
                for (int i = 0; i < Lanes.Count; i++)
                {
                    ulong lane = _lanes[i];
                    _lanes[i] = (lane ^ (lane >> 47) ^ Unsafe.Add(ref scramble, i)) * Prime1;
                }

                position = 0;
            }
        }

        _position = position;
    }

    private void AddAvx2(ReadOnlySpan<byte> stripes)
    {
        ref ulong keys = ref MemoryMarshal.GetArrayDataReference(s_keys);
        ref ulong lanes = ref _lanes[0];
        Vector256<ulong> low = Vector256.LoadUnsafe(ref lanes);
        Vector256<ulong> high = Vector256.LoadUnsafe(ref lanes, 4);
        ref byte start = ref MemoryMarshal.GetReference(stripes);
        int position = _position;
        for (nint at = 0; at < stripes.Length; at += StripeLength)
        {
            ref ulong key = ref Unsafe.Add(ref keys, position * Lanes.Count);
            Vector256<ulong> word0 = Vector256.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref start, at)));
            Vector256<ulong> word1 = Vector256.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref start, at + 32)));
            low = Accumulate(low, word0, Vector256.LoadUnsafe(ref key));
            high = Accumulate(high, word1, Vector256.LoadUnsafe(ref key, 4));
            if (++position == StripesPerBlock)
            {
                ref ulong scramble = ref Unsafe.Add(ref keys, StripesPerBlock * Lanes.Count);
                low = Scramble(low, Vector256.LoadUnsafe(ref scramble));
                high = Scramble(high, Vector256.LoadUnsafe(ref scramble, 4));
                position = 0;
            }
        }

        low.StoreUnsafe(ref lanes);
        high.StoreUnsafe(ref lanes, 4);
        _position = position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Accumulate(Vector256<ulong> lanes, Vector256<ulong> words, Vector256<ulong> key)
    {
        Vector256<ulong> x = words ^ key;

        // vpmuludq: each lane's low 32 bits times its high 32 bits, as 64 bits. The shuffle swaps
        // the two words of each 128-bit half: lane i ^ 1 takes word i.
        Vector256<ulong> product = Avx2.Multiply(x.AsUInt32(), Avx2.ShiftRightLogical(x, 32).AsUInt32());
        Vector256<ulong> swapped = Avx2.Shuffle(words.AsUInt32(), 0b01_00_11_10).AsUInt64();
        return lanes + product + swapped;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Scramble(Vector256<ulong> lanes, Vector256<ulong> key) =>
        (lanes ^ Vector256.ShiftRightLogical(lanes, 47) ^ key) * Vector256.Create(Prime1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadWord(ReadOnlySpan<byte> bytes, int at)
    {
        ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), at));
        return BitConverter.IsLittleEndian ? word : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(word);
    }

    private static ulong[] MakeKeys(ulong seed)
    {
        var keys = new ulong[(StripesPerBlock + 1) * Lanes.Count];
        ulong state = seed;
        for (int i = 0; i < keys.Length; i++)
        {
            // SplitMix64.
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            keys[i] = z ^ (z >> 31);
        }

        return keys;
    }

    [InlineArray(Count)]
    private struct Lanes
    {
        public const int Count = 8;
        private ulong _first;
    }
}
