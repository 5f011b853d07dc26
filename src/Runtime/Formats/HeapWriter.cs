using System;
using System.Buffers.Binary;

namespace Overlay.Formats;

/// <summary>Appends blobs to a heap of a <see cref="ContainerBuilder"/>, in the heap format (a block header before each, padded to 8).</summary>
public sealed class HeapWriter
{
    private readonly BuilderSection _section;

    internal HeapWriter(BuilderSection section) => _section = section;

    internal bool BelongsTo(ContainerBuilder builder) => ReferenceEquals(_section.Owner, builder);

    /// <summary>The blobs appended so far.</summary>
    public long Count => _section.Entry.Count;

    /// <summary>Appends a copy of <paramref name="blob"/>.</summary>
    /// <param name="blob">The bytes; empty gives the null reference and writes nothing.</param>
    /// <returns>The reference to store in a record.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The blob is longer than <see cref="int.MaxValue"/> - 16 bytes.</exception>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public HeapRef Append(ReadOnlySpan<byte> blob)
    {
        _section.Owner.ThrowIfSealed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blob.Length, int.MaxValue - ContainerFormat.HeapMinimumBlockSize, nameof(blob));
        if (blob.IsEmpty)
        {
            return default;
        }

        long payload = ContainerFormat.AlignUp(Math.Max(blob.Length, ContainerFormat.HeapGranule), ContainerFormat.HeapGranule);
        Span<byte> header = stackalloc byte[ContainerFormat.HeapBlockHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(ContainerFormat.HeapBlockHeaderSize + payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], ContainerFormat.HeapBlockAllocated);
        long block = _section.Append(header);
        _section.Append(blob);
        _section.Append(stackalloc byte[(int)(payload - blob.Length)]);
        _section.Entry.Count++;
        return new HeapRef(block + ContainerFormat.HeapBlockHeaderSize, blob.Length);
    }
}
