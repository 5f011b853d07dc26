using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Overlay.Layouts.Support;

/// <summary>
/// The operations of an <c>[Atomic]</c> field, called by generated views (with the map and the
/// field's offset: checked like every access) and refs (with the field's first byte: checked when
/// the ref was made). Each checks that the field's absolute address is aligned to its size before
/// touching it: a misaligned interlocked operation is a split lock on x64 (a bus lock, and a fault
/// where the kernel refuses them) and an alignment fault on ARM.
/// </summary>
/// <remarks>
/// <c>T</c> is <c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c> (the generator
/// only emits those); any other type throws <see cref="NotSupportedException"/>. The tests of
/// <c>typeof(T)</c> are constants in each instantiation, so each method compiles to one
/// <see cref="Interlocked"/> or <see cref="Volatile"/> call after the checks.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AtomicAccess
{
    /// <summary>Atomically adds <paramref name="value"/> to the field at <paramref name="offset"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <param name="value">The amount to add (wrapping on overflow, as <see cref="Interlocked.Add(ref int, int)"/>).</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add<T>(MemoryMap map, long offset, T value)
        where T : unmanaged => Add(ref Target<T>(map, offset, write: true), value);

    /// <summary>Atomically adds 1 to the field at <paramref name="offset"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Increment<T>(MemoryMap map, long offset)
        where T : unmanaged => Increment<T>(ref Target<T>(map, offset, write: true));

    /// <summary>Atomically stores <paramref name="value"/> in the field at <paramref name="offset"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <param name="value">The new value.</param>
    /// <returns>The value it replaced.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exchange<T>(MemoryMap map, long offset, T value)
        where T : unmanaged => Exchange(ref Target<T>(map, offset, write: true), value);

    /// <summary>Atomically stores <paramref name="value"/> in the field at <paramref name="offset"/> if it holds <paramref name="comparand"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <param name="value">The new value.</param>
    /// <param name="comparand">The value the field must hold for the store to happen.</param>
    /// <returns>The value the field held (equal to <paramref name="comparand"/> when the store happened).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CompareExchange<T>(MemoryMap map, long offset, T value, T comparand)
        where T : unmanaged => CompareExchange(ref Target<T>(map, offset, write: true), value, comparand);

    /// <summary>Reads the field at <paramref name="offset"/> with acquire semantics (<see cref="Volatile.Read(ref readonly long)"/>).</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the field starts.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The field does not lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is not readable.</exception>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T VolatileRead<T>(MemoryMap map, long offset)
        where T : unmanaged => VolatileRead<T>(ref Target<T>(map, offset, write: false));

    /// <summary>Atomically adds <paramref name="value"/> to the field that starts at <paramref name="field"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="field">The field's first byte.</param>
    /// <param name="value">The amount to add (wrapping on overflow).</param>
    /// <returns>The new value.</returns>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add<T>(ref byte field, T value)
        where T : unmanaged
    {
        CheckAligned<T>(ref field);
        if (typeof(T) == typeof(int))
        {
            int result = Interlocked.Add(ref Unsafe.As<byte, int>(ref field), Unsafe.As<T, int>(ref value));
            return Unsafe.As<int, T>(ref result);
        }

        if (typeof(T) == typeof(uint))
        {
            uint result = Interlocked.Add(ref Unsafe.As<byte, uint>(ref field), Unsafe.As<T, uint>(ref value));
            return Unsafe.As<uint, T>(ref result);
        }

        if (typeof(T) == typeof(long))
        {
            long result = Interlocked.Add(ref Unsafe.As<byte, long>(ref field), Unsafe.As<T, long>(ref value));
            return Unsafe.As<long, T>(ref result);
        }

        if (typeof(T) == typeof(ulong))
        {
            ulong result = Interlocked.Add(ref Unsafe.As<byte, ulong>(ref field), Unsafe.As<T, ulong>(ref value));
            return Unsafe.As<ulong, T>(ref result);
        }

        throw Unsupported<T>();
    }

    /// <summary>Atomically adds 1 to the field that starts at <paramref name="field"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="field">The field's first byte.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Increment<T>(ref byte field)
        where T : unmanaged
    {
        CheckAligned<T>(ref field);
        if (typeof(T) == typeof(int))
        {
            int result = Interlocked.Increment(ref Unsafe.As<byte, int>(ref field));
            return Unsafe.As<int, T>(ref result);
        }

        if (typeof(T) == typeof(uint))
        {
            uint result = Interlocked.Increment(ref Unsafe.As<byte, uint>(ref field));
            return Unsafe.As<uint, T>(ref result);
        }

        if (typeof(T) == typeof(long))
        {
            long result = Interlocked.Increment(ref Unsafe.As<byte, long>(ref field));
            return Unsafe.As<long, T>(ref result);
        }

        if (typeof(T) == typeof(ulong))
        {
            ulong result = Interlocked.Increment(ref Unsafe.As<byte, ulong>(ref field));
            return Unsafe.As<ulong, T>(ref result);
        }

        throw Unsupported<T>();
    }

    /// <summary>Atomically stores <paramref name="value"/> in the field that starts at <paramref name="field"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="field">The field's first byte.</param>
    /// <param name="value">The new value.</param>
    /// <returns>The value it replaced.</returns>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exchange<T>(ref byte field, T value)
        where T : unmanaged
    {
        CheckAligned<T>(ref field);
        if (typeof(T) == typeof(int) || typeof(T) == typeof(uint))
        {
            int result = Interlocked.Exchange(ref Unsafe.As<byte, int>(ref field), Unsafe.As<T, int>(ref value));
            return Unsafe.As<int, T>(ref result);
        }

        if (typeof(T) == typeof(long) || typeof(T) == typeof(ulong))
        {
            long result = Interlocked.Exchange(ref Unsafe.As<byte, long>(ref field), Unsafe.As<T, long>(ref value));
            return Unsafe.As<long, T>(ref result);
        }

        throw Unsupported<T>();
    }

    /// <summary>Atomically stores <paramref name="value"/> in the field that starts at <paramref name="field"/> if it holds <paramref name="comparand"/>.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="field">The field's first byte.</param>
    /// <param name="value">The new value.</param>
    /// <param name="comparand">The value the field must hold for the store to happen.</param>
    /// <returns>The value the field held.</returns>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CompareExchange<T>(ref byte field, T value, T comparand)
        where T : unmanaged
    {
        CheckAligned<T>(ref field);
        if (typeof(T) == typeof(int) || typeof(T) == typeof(uint))
        {
            int result = Interlocked.CompareExchange(ref Unsafe.As<byte, int>(ref field), Unsafe.As<T, int>(ref value), Unsafe.As<T, int>(ref comparand));
            return Unsafe.As<int, T>(ref result);
        }

        if (typeof(T) == typeof(long) || typeof(T) == typeof(ulong))
        {
            long result = Interlocked.CompareExchange(ref Unsafe.As<byte, long>(ref field), Unsafe.As<T, long>(ref value), Unsafe.As<T, long>(ref comparand));
            return Unsafe.As<long, T>(ref result);
        }

        throw Unsupported<T>();
    }

    /// <summary>Reads the field that starts at <paramref name="field"/> with acquire semantics.</summary>
    /// <typeparam name="T"><c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c>.</typeparam>
    /// <param name="field">The field's first byte.</param>
    /// <returns>The value.</returns>
    /// <exception cref="DataMisalignedException">The field's address is not a multiple of its size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T VolatileRead<T>(ref byte field)
        where T : unmanaged
    {
        CheckAligned<T>(ref field);
        if (typeof(T) == typeof(int) || typeof(T) == typeof(uint))
        {
            int result = Volatile.Read(ref Unsafe.As<byte, int>(ref field));
            return Unsafe.As<int, T>(ref result);
        }

        if (typeof(T) == typeof(long) || typeof(T) == typeof(ulong))
        {
            // Volatile.Read of a long is one 8-byte load on 64-bit processes and on 32-bit ones too.
            long result = Volatile.Read(ref Unsafe.As<byte, long>(ref field));
            return Unsafe.As<long, T>(ref result);
        }

        throw Unsupported<T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte Target<T>(MemoryMap map, long offset, bool write)
        where T : unmanaged =>
        // No null test: a default view's map is null, and every access of it throws
        // NullReferenceException (docs/layouts.md), these as ValueAccess's.
        ref map.AtomicTarget(offset, Unsafe.SizeOf<T>(), write);

    // One AND and a branch. A map starts on a page, and OVL120 keeps the field aligned within
    // its record and the record's size a multiple of the field's: what is left is a record placed
    // at an offset into the map (or into a nested record, a stride from a file) that is not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CheckAligned<T>(ref byte field)
        where T : unmanaged
    {
        if (((nuint)Unsafe.AsPointer(ref field) & (nuint)(Unsafe.SizeOf<T>() - 1)) != 0)
        {
            ThrowMisaligned(Unsafe.SizeOf<T>(), (nuint)Unsafe.AsPointer(ref field));
        }
    }

    [DoesNotReturn]
    private static void ThrowMisaligned(int size, nuint address) =>
        throw new DataMisalignedException(
            $"An [Atomic] field of {size} bytes is at address 0x{address:X}, which is not a multiple of {size}: its record lies at an offset into the map that is not. " +
            "Place records holding [Atomic] fields at offsets that are multiples of their alignment (docs/layouts.md, \"Atomic fields\").");

    private static NotSupportedException Unsupported<T>() =>
        new($"[Atomic] operations work on int, uint, long and ulong, not {typeof(T)}.");
}
