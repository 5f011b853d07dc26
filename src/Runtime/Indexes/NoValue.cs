using System;
using Overlay.Layouts;

namespace Overlay.Indexes;

/// <summary>
/// The value of an index that stores keys only (a set): zero bytes, readable from any map. Use it
/// as the value type, <c>MappedHashIndex&lt;ulong, NoValue&gt;</c>, with <see cref="MappedHashIndex{TKey, TValue}.TryAdd"/>.
/// </summary>
public readonly struct NoValue : IMappedView<NoValue>
{
    private NoValue(MemoryMap map, long offset)
    {
        Map = map;
        Offset = offset;
    }

    /// <summary>0: nothing is stored.</summary>
    public static int SizeInBytes => 0;

    /// <summary>The fingerprint index headers record for a set.</summary>
    public static ulong LayoutFingerprint { get; } = IndexKeyFormat<ulong>.PrimitiveFingerprint("none");

    /// <summary>True: there is nothing to write, so a read-only map may hand it out.</summary>
    public static bool IsReadOnly => true;

    /// <inheritdoc/>
    public MemoryMap Map { get; }

    /// <inheritdoc/>
    public long Offset { get; }

    /// <inheritdoc/>
    public static NoValue Create(MemoryMap map, long offset)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new NoValue(map, offset);
    }
}
