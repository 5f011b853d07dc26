using System;
using System.Runtime.CompilerServices;

namespace Overlay.Layouts;

/// <summary>
/// A version 3 seal check computed while the records are written (docs/durability.md): the
/// records' bytes in the order they lie in the file, fed in pieces of any length, then the counts
/// at <see cref="Finish"/>. The bulk goes through <see cref="SealStripeHash"/> a 64-byte stripe at a
/// time, so a piece's bytes past its last whole stripe wait in <see cref="_tail"/> for the next
/// piece: the result is the check of all the bytes fed, in one piece, whatever the cut.
/// </summary>
internal struct SealStream : ISealHash
{
    private SealStripeHash _stripes;
    private Stripe _tail;
    private int _tailLength;
    private ulong _length;

    private SealStream(SealStripeHash stripes)
    {
        _stripes = stripes;
    }

    /// <summary>A stream of no bytes yet.</summary>
    public static SealStream Start() => new(new SealStripeHash(RecordFileDurableState.SealSalt3));

    /// <summary>Hashes <paramref name="bytes"/> after every byte fed before.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        _length += (ulong)bytes.Length;
        Span<byte> tail = _tail;
        if (_tailLength > 0)
        {
            int take = Math.Min(Stripe.Length - _tailLength, bytes.Length);
            bytes[..take].CopyTo(tail[_tailLength..]);
            _tailLength += take;
            bytes = bytes[take..];
            if (_tailLength < Stripe.Length)
            {
                return;
            }

            _stripes.Add(tail);
            _tailLength = 0;
        }

        int whole = bytes.Length & ~(Stripe.Length - 1);
        _stripes.Add(bytes[..whole]);
        bytes[whole..].CopyTo(tail);
        _tailLength = bytes.Length - whole;
    }

    /// <summary>
    /// The version 3 check of the bytes fed, sealing <paramref name="sealedCount"/> records over
    /// <paramref name="basis"/>: a <see cref="RecordFileDurableState.Hasher"/> seeded with the salt
    /// takes the eight lanes, the number of bytes fed, the last 0-63 bytes past the last whole
    /// stripe, then the counts as version 2 ends.
    /// </summary>
    public readonly ulong Finish(ulong sealedCount, DurableSlot basis)
    {
        var hash = new RecordFileDurableState.Hasher(RecordFileDurableState.SealSalt3);
        for (int i = 0; i < 8; i++)
        {
            hash.Add(_stripes.Lane(i));
        }

        hash.Add(_length);
        ReadOnlySpan<byte> tail = _tail;
        hash.Add(tail[.._tailLength]);
        return RecordFileDurableState.FinishV2(hash, sealedCount, basis);
    }

    [InlineArray(Length)]
    private struct Stripe
    {
        public const int Length = SealStripeHash.StripeLength;
        private byte _first;
    }
}
