using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Indexes;

// Lookups: the hot path. A key becomes its bytes (a primitive's own bytes, a layout's stored
// format in a stack buffer), then its hash, then a probe from its home slot.
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>Looks <paramref name="key"/> up and hands out a view of its value in the file (nothing is copied).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">A view of the value (read-only for a read-only index); <c>default</c> if the key is absent.</param>
    /// <returns>True if the key is present.</returns>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="ArgumentException">A layout key cannot be stored in its format (a string too long, ...).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(in TKey key, out TValue value)
    {
        long slot = Find(in key);
        if (slot < 0)
        {
            value = default;
            return false;
        }

        value = ValueAt(slot);
        return true;
    }

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True if it is.</returns>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="ArgumentException">A layout key cannot be stored in its format.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContainsKey(in TKey key) => Find(in key) >= 0;

    /// <summary>A view of the value of <paramref name="key"/>, which must be present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The view.</returns>
    /// <exception cref="System.Collections.Generic.KeyNotFoundException">The key is absent.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public TValue GetValue(in TKey key)
    {
        if (!TryGetValue(in key, out TValue value))
        {
            throw new System.Collections.Generic.KeyNotFoundException($"The key is not in {_path}.");
        }

        return value;
    }

    /// <summary>
    /// The slot holding <paramref name="key"/>, or -1. For primitive keys the whole search is small
    /// enough to inline into the caller's loop, and must be: independent lookups overlap their cache
    /// misses only when the processor's out-of-order window spans several of them, and a call per
    /// lookup (with a GC reference written back through an <c>out</c>) shrank that overlap so much
    /// that 1M random hits took 62 ns behind the call against 33 ns for the same probe written
    /// inline by hand (docs/indexes.md, "Why lookups inline"). Layout keys, which need a buffer on
    /// the stack for their stored format, take <see cref="FindLayoutKey"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Find(in TKey key)
    {
        if (!IndexKeyFormat<TKey>.IsPrimitive)
        {
            return FindLayoutKey(in key);
        }

        ThrowIfDisposed();
        if (typeof(TKey) == typeof(ulong) || typeof(TKey) == typeof(long))
        {
            // The key as a value, hashed and compared in registers rather than through a span over it.
            ulong k = Unsafe.BitCast<TKey, ulong>(key);
            return Probe8(HashOf8(k), k);
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key));
        return Probe(HashOf(bytes), bytes);
    }

    /// <summary><see cref="Find"/> for a layout key: its stored format in a stack buffer (a method with <c>stackalloc</c> is never inlined).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long FindLayoutKey(in TKey key)
    {
        ThrowIfDisposed();
        Span<byte> scratch = stackalloc byte[_keySize];
        ReadOnlySpan<byte> bytes = KeyBytes(in key, scratch);
        return Probe(HashOf(bytes), bytes);
    }

    /// <summary>The key's bytes: a primitive's own (no copy), a layout's stored format in <paramref name="scratch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> KeyBytes(in TKey key, Span<byte> scratch)
    {
        if (IndexKeyFormat<TKey>.IsPrimitive)
        {
            return MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key));
        }

        _keys.Write(in key, scratch);
        return scratch;
    }

    /// <summary>The key's hash under the file's function, never 0 (an empty slot) or 1 (<see cref="Removed"/>): those two become 2 and 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong HashOf(ReadOnlySpan<byte> key) =>
        key.Length == sizeof(ulong) ? HashOf8(MemoryMarshal.Read<ulong>(key)) : HashProbe.HashOf(key, _preparedSeed, _hashFunction);

    /// <summary><see cref="HashOf(ReadOnlySpan{byte})"/> of an 8-byte key given as its little-endian value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong HashOf8(ulong key) => HashProbe.HashOf8(key, _preparedSeed, _foldEightByteKeys);

    /// <summary>
    /// The stored hash of <paramref name="key"/> under a prepared seed and hash function (the bulk
    /// builder places keys by it too), never 0 or 1.
    /// </summary>
    internal static ulong HashOf(ReadOnlySpan<byte> key, ulong preparedSeed, uint function) => HashProbe.HashOf(key, preparedSeed, function);

    /// <summary>The slot holding the key, or -1. Ends at an empty slot or at the end of the table, whatever the file holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Probe(ulong hash, ReadOnlySpan<byte> key) => HashProbe.Find(_slots, _mask, _slotCount, _stride, hash, key);

    /// <summary><see cref="Probe(ulong, ReadOnlySpan{byte})"/> for an 8-byte key given as its little-endian value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Probe8(ulong hash, ulong key) => HashProbe.Find(_slots, _mask, _slotCount, _stride, hash, new HashProbe.EightBytes(key));

    /// <summary>The first empty slot at or after the home of <paramref name="hash"/>, or -1 if the run reaches the end of the table.</summary>
    private long FindEmpty(ulong hash)
    {
        long limit = _slotCount;
        for (long i = (long)(hash & _mask); i < limit; i++)
        {
            if (Unsafe.ReadUnaligned<ulong>(Slot(i)) == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
