using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Indexes;

/// <summary>
/// What a pin of a <see cref="MappedHashIndex{TKey, TValue}"/> looks keys up in: the table's
/// address and numbers as they were when the pin began. The pin holds the mapping in place and
/// the index refuses every change to its table until the pin ends, so these stay true for as long
/// as a <see cref="PinnedHashIndex{TKey, TRef}"/> or <see cref="ReadOnlyPinnedHashIndex{TKey, TRef}"/>
/// can exist; the probe is bounded by the slot count whatever the slots hold.
/// </summary>
internal readonly unsafe struct PinnedHashTable<TKey>
    where TKey : struct
{
    private readonly IndexKeyFormat<TKey> _keys;
    private readonly byte* _slots;
    private readonly ulong _mask;
    private readonly long _slotCount;
    private readonly long _stride;
    private readonly ulong _preparedSeed;
    private readonly uint _hashFunction;
    private readonly bool _fold;
    private readonly int _keySize;

    public PinnedHashTable(IndexKeyFormat<TKey> keys, byte* slots, ulong mask, long slotCount, int stride, int keySize, ulong preparedSeed, uint hashFunction, long count)
    {
        _keys = keys;
        _slots = slots;
        _mask = mask;
        _slotCount = slotCount;
        _stride = stride;
        _keySize = keySize;
        _preparedSeed = preparedSeed;
        _hashFunction = hashFunction;
        _fold = hashFunction == StableHash.Function2;
        Count = count;
    }

    /// <summary>The number of entries when the pin began (the table cannot change while pinned).</summary>
    public long Count { get; }

    /// <summary>The slot holding <paramref name="key"/>, or -1: the index's own lookup, minus the checks a pin makes once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Find(TKey key)
    {
        if (_slotCount == 0)
        {
            // A default pin (no table; the pins the index hands out have 16 slots at least) is
            // an empty index: one predictable compare, instead of a probe that reads address 0.
            return -1;
        }

        if (!IndexKeyFormat<TKey>.IsPrimitive)
        {
            return FindLayoutKey(key);
        }

        if (typeof(TKey) == typeof(ulong) || typeof(TKey) == typeof(long))
        {
            ulong k = Unsafe.BitCast<TKey, ulong>(key);
            return HashProbe.Find(_slots, _mask, _slotCount, _stride, HashProbe.HashOf8(k, _preparedSeed, _fold), new HashProbe.EightBytes(k));
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key));
        return Find(bytes);
    }

    /// <summary>
    /// The value bytes of <paramref name="slot"/>, a slot <see cref="Find(TKey)"/> returned;
    /// <paramref name="size"/> is the value's size, which the pin checked against the file's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> ValueBytes(long slot, int size) => new(_slots + (slot * _stride) + sizeof(ulong) + _keySize, size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Find(ReadOnlySpan<byte> bytes)
    {
        ulong hash = bytes.Length == sizeof(ulong)
            ? HashProbe.HashOf8(MemoryMarshal.Read<ulong>(bytes), _preparedSeed, _fold)
            : HashProbe.HashOf(bytes, _preparedSeed, _hashFunction);
        return HashProbe.Find(_slots, _mask, _slotCount, _stride, hash, bytes);
    }

    /// <summary><see cref="Find(TKey)"/> for a layout key: its stored format in a stack buffer (a method with <c>stackalloc</c> is never inlined).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long FindLayoutKey(TKey key)
    {
        Span<byte> scratch = stackalloc byte[_keySize];
        _keys.Write(in key, scratch);
        return Find(scratch);
    }
}
