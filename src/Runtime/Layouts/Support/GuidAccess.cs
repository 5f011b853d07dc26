using System;
using System.ComponentModel;

namespace Overlay.Layouts.Support;

/// <summary>
/// Reads and writes a 16-byte <see cref="Guid"/> in a map; called by generated views. Little-endian
/// is the order of <see cref="Guid(ReadOnlySpan{byte})"/>; big-endian is RFC 4122 order.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GuidAccess
{
    /// <summary>Reads the <see cref="Guid"/> stored at <paramref name="offset"/>.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the value starts.</param>
    /// <param name="bigEndian">Whether it is stored in RFC 4122 (big-endian) order.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value does not lie inside the map.</exception>
    public static Guid Read(MemoryMap map, long offset, bool bigEndian)
    {
        ArgumentNullException.ThrowIfNull(map);
        Span<byte> bytes = stackalloc byte[16];
        map.ReadAt(offset, bytes);
        return new Guid(bytes, bigEndian);
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="offset"/>.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the value starts.</param>
    /// <param name="value">The value.</param>
    /// <param name="bigEndian">Whether to store it in RFC 4122 (big-endian) order.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value does not lie inside the map.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    public static void Write(MemoryMap map, long offset, Guid value, bool bigEndian)
    {
        ArgumentNullException.ThrowIfNull(map);
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian, out _);
        map.WriteAt(offset, bytes);
    }
}
