using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Overlay.Layouts.Support;

/// <summary>
/// Reads and writes one primitive or enum with a stored byte order; <c>bool</c> is one byte, any
/// non-zero byte reading as true, so a hostile file cannot produce an unnormalised bool.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValueAccess
{
    /// <summary>Reads a value stored at <paramref name="offset"/>.</summary>
    /// <typeparam name="T">A primitive or enum type.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the value starts.</param>
    /// <param name="bigEndian">Whether it is stored big-endian.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read<T>(MemoryMap map, long offset, bool bigEndian)
        where T : unmanaged
    {
        if (typeof(T) == typeof(bool))
        {
            bool flag = map.ReadAt<byte>(offset) != 0;
            return Unsafe.As<bool, T>(ref flag);
        }

        return ByteOrder.Convert(map.ReadAt<T>(offset), bigEndian);
    }

    /// <summary>Writes a value at <paramref name="offset"/>.</summary>
    /// <typeparam name="T">A primitive or enum type.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the value starts.</param>
    /// <param name="value">The value.</param>
    /// <param name="bigEndian">Whether to store it big-endian.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<T>(MemoryMap map, long offset, T value, bool bigEndian)
        where T : unmanaged
    {
        if (typeof(T) == typeof(bool))
        {
            map.WriteAt(offset, Unsafe.As<T, bool>(ref value) ? (byte)1 : (byte)0);
            return;
        }

        map.WriteAt(offset, ByteOrder.Convert(value, bigEndian));
    }
}
