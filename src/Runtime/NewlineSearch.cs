using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Overlay;

/// <summary>
/// Finds <c>\n</c> bytes 64 at a time. Lines are short (tens of bytes), so the cost that matters is
/// the set-up per call, not the throughput: <see cref="IndexOf"/> inlines one wide compare per
/// block and lets the general <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, T)"/> handle
/// the tail; <see cref="MappedLineEnumerator"/> keeps a block's mask and takes its lines from it.
/// </summary>
internal static class NewlineSearch
{
    /// <summary>The bytes <see cref="BlockMask"/> looks at.</summary>
    public const int BlockSize = 64;

    /// <summary>The index of the first <c>\n</c> in <paramref name="span"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(ReadOnlySpan<byte> span)
    {
        ref byte start = ref MemoryMarshal.GetReference(span);
        int offset = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; offset <= span.Length - BlockSize; offset += BlockSize)
            {
                ulong mask = BlockMask(ref Unsafe.Add(ref start, offset));
                if (mask != 0)
                {
                    return offset + BitOperations.TrailingZeroCount(mask);
                }
            }
        }

        int tail = span.Slice(offset).IndexOf((byte)'\n');
        return tail < 0 ? -1 : offset + tail;
    }

    /// <summary>
    /// Bit i set when byte i of the 64 at <paramref name="block"/> is <c>\n</c>. All 64 must be
    /// readable; call it only where <see cref="Vector256.IsHardwareAccelerated"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BlockMask(ref byte block)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Vector512.Equals(Vector512.LoadUnsafe(ref block), Vector512.Create((byte)'\n')).ExtractMostSignificantBits();
        }

        Vector256<byte> newline = Vector256.Create((byte)'\n');
        ulong low = Vector256.Equals(Vector256.LoadUnsafe(ref block), newline).ExtractMostSignificantBits();
        ulong high = Vector256.Equals(Vector256.LoadUnsafe(ref block, 32), newline).ExtractMostSignificantBits();
        return low | (high << 32);
    }
}
