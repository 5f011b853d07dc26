using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Overlay;

/// <summary>
/// Finds the next <c>\n</c>. Lines are short (tens of bytes), so the cost that matters is the
/// set-up per call, not the throughput: this inlines one wide compare per 64 (or 32) bytes and
/// lets the general <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, T)"/> handle the tail.
/// </summary>
internal static class NewlineSearch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(ReadOnlySpan<byte> span)
    {
        ref byte start = ref MemoryMarshal.GetReference(span);
        int offset = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<byte> newline = Vector512.Create((byte)'\n');
            for (; offset <= span.Length - Vector512<byte>.Count; offset += Vector512<byte>.Count)
            {
                ulong mask = Vector512.Equals(Vector512.LoadUnsafe(ref start, (nuint)offset), newline).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return offset + BitOperations.TrailingZeroCount(mask);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<byte> newline = Vector256.Create((byte)'\n');
            for (; offset <= span.Length - Vector256<byte>.Count; offset += Vector256<byte>.Count)
            {
                uint mask = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)offset), newline).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return offset + BitOperations.TrailingZeroCount(mask);
                }
            }
        }

        int tail = span.Slice(offset).IndexOf((byte)'\n');
        return tail < 0 ? -1 : offset + tail;
    }
}
