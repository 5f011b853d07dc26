using System;
using System.Buffers.Binary;

namespace Overlay.Formats;

/// <summary>
/// A reference to a value in a <see cref="HeapSection"/>: the heap offset of its first byte and its
/// length. Relative to the heap's start, so it stays valid when the heap moves. <c>default</c> is
/// the null reference (an empty value). A reference read from a file is only data: the heap checks
/// it against its bounds on every use.
/// </summary>
/// <param name="Offset">The heap offset of the value's first byte (0 for null).</param>
/// <param name="Length">The value's length in bytes.</param>
public readonly record struct HeapRef(long Offset, int Length)
{
    /// <summary>The size of a stored reference: u64 offset, u32 length, little-endian.</summary>
    public const int SizeInBytes = 12;

    /// <summary>Whether this is the null reference (offset and length 0).</summary>
    public bool IsNull => Offset == 0 && Length == 0;

    /// <summary>Decodes a stored reference; checks nothing (the heap does, on use).</summary>
    /// <param name="source">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is too short.</exception>
    public static HeapRef Read(ReadOnlySpan<byte> source)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, SizeInBytes, nameof(source));
        return new HeapRef(
            (long)BinaryPrimitives.ReadUInt64LittleEndian(source),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(source[8..]));
    }

    /// <summary>Encodes the reference into <see cref="SizeInBytes"/> bytes.</summary>
    /// <param name="destination">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="destination"/> is too short.</exception>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SizeInBytes, nameof(destination));
        BinaryPrimitives.WriteUInt64LittleEndian(destination, (ulong)Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)Length);
    }
}
