using System;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Overlay.Layouts.Support;

/// <summary>
/// Converts unmanaged values between the machine's byte order and a stored byte order; called by
/// generated views and the value-array accessors. The size tests fold away when the JIT specialises.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ByteOrder
{
    /// <summary>Reverses the bytes of a 1, 2, 4 or 8-byte value.</summary>
    /// <typeparam name="T">A primitive or enum type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The value with its bytes reversed.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not 1, 2, 4 or 8 bytes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T Reverse<T>(T value)
        where T : unmanaged
    {
        if (sizeof(T) == 1)
        {
            return value;
        }

        if (sizeof(T) == 2)
        {
            ushort bits = Unsafe.As<T, ushort>(ref value);
            bits = BinaryPrimitives.ReverseEndianness(bits);
            return Unsafe.As<ushort, T>(ref bits);
        }

        if (sizeof(T) == 4)
        {
            uint bits = Unsafe.As<T, uint>(ref value);
            bits = BinaryPrimitives.ReverseEndianness(bits);
            return Unsafe.As<uint, T>(ref bits);
        }

        if (sizeof(T) == 8)
        {
            ulong bits = Unsafe.As<T, ulong>(ref value);
            bits = BinaryPrimitives.ReverseEndianness(bits);
            return Unsafe.As<ulong, T>(ref bits);
        }

        throw new NotSupportedException($"{typeof(T)} is {sizeof(T)} bytes: only 1, 2, 4 and 8-byte values have a byte order.");
    }

    /// <summary>Converts between the machine's byte order and the stored one.</summary>
    /// <typeparam name="T">A primitive or enum type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="bigEndian">Whether the stored order is big-endian.</param>
    /// <returns>The value in the other order, or unchanged when the orders agree.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Convert<T>(T value, bool bigEndian)
        where T : unmanaged =>
        bigEndian == BitConverter.IsLittleEndian ? Reverse(value) : value;
}
