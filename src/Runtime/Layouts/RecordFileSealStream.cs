using System;
using System.Runtime.CompilerServices;

namespace Overlay.Layouts;

/// <summary>
/// A version 2 seal check computed while the records are written (docs/durability.md): the
/// records' bytes in the order they lie in the file, fed in pieces of any length, then the counts
/// at <see cref="Finish"/>. The hash takes its bytes a 32-byte stripe at a time and only its last
/// piece may be shorter, so a piece's bytes past its last whole stripe wait in <see cref="_tail"/>
/// for the next piece: the result is the hash of all the bytes fed, in one piece, whatever the cut.
/// </summary>
internal struct SealStream
{
    private RecordFileDurableState.Hasher _hash;
    private Stripe _tail;
    private int _tailLength;

    private SealStream(RecordFileDurableState.Hasher hash)
    {
        _hash = hash;
    }

    /// <summary>A stream of no bytes yet.</summary>
    public static SealStream Start() => new(RecordFileDurableState.SealHasherV2());

    /// <summary>Hashes <paramref name="bytes"/> after every byte fed before.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
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

            _hash.Add(tail);
            _tailLength = 0;
        }

        int whole = bytes.Length & ~(Stripe.Length - 1);
        _hash.Add(bytes[..whole]);
        bytes[whole..].CopyTo(tail);
        _tailLength = bytes.Length - whole;
    }

    /// <summary>The version 2 check of the bytes fed, sealing <paramref name="sealedCount"/> records over <paramref name="basis"/>.</summary>
    public readonly ulong Finish(ulong sealedCount, DurableSlot basis)
    {
        RecordFileDurableState.Hasher hash = _hash;
        ReadOnlySpan<byte> tail = _tail;
        hash.Add(tail[.._tailLength]);
        return RecordFileDurableState.FinishV2(hash, sealedCount, basis);
    }

    [InlineArray(Length)]
    private struct Stripe
    {
        public const int Length = 32;
        private byte _first;
    }
}
