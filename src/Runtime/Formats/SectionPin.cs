using System;
using System.Runtime.InteropServices;

namespace Overlay.Formats;

/// <summary>
/// Hands a callback a span over mapped bytes with the map pinned (<see cref="MemoryMap.BeginPin"/>):
/// the map cannot be resized, moved or closed until the callback returns, and the span, a
/// <c>ref struct</c> argument, cannot outlive it (<c>docs/lifetimes.md</c>).
/// </summary>
internal static class SectionPin
{
    public static TResult Read<TResult>(MemoryMap map, long offset, int length, Func<ReadOnlySpan<byte>, TResult> body)
    {
        ref byte start = ref map.BeginPin(offset, length, write: false);
        try
        {
            return body(MemoryMarshal.CreateReadOnlySpan(ref start, length));
        }
        finally
        {
            map.EndPin();
        }
    }

    public static TResult Write<TResult>(MemoryMap map, long offset, int length, Func<Span<byte>, TResult> body)
    {
        ref byte start = ref map.BeginPin(offset, length, write: true);
        try
        {
            return body(MemoryMarshal.CreateSpan(ref start, length));
        }
        finally
        {
            map.EndPin();
        }
    }
}
