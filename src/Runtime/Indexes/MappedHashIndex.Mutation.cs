using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading;
using Overlay.Layouts;

namespace Overlay.Indexes;

// Changes: every one checks its arguments and computes what it will write before the first write,
// so a bad input throws with the index unchanged.
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>
    /// A writable view of the value of <paramref name="key"/>, adding the key with a zeroed value
    /// if it is absent (growing the table if it must).
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="added">True if the key was added.</param>
    /// <returns>A view of the value's slot, valid until the next insertion of a new key, removal or clear.</returns>
    /// <exception cref="NotSupportedException">The index is read-only.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="Pin{TRef, TState, TResult}"/>, <see cref="PinReadOnly{TRef, TState, TResult}"/>): nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="ArgumentException">A layout key cannot be stored in its format.</exception>
    /// <exception cref="System.IO.IOException">The table must grow and the file cannot (the disk is full, or 2^40 slots are reached).</exception>
    public TValue GetOrAdd(in TKey key, out bool added)
    {
        ThrowIfNotWritable();
        Span<byte> scratch = IndexKeyFormat<TKey>.IsPrimitive ? default : stackalloc byte[_keySize];
        ReadOnlySpan<byte> bytes = KeyBytes(in key, scratch);
        return ValueAt(FindOrAdd(bytes, out added));
    }

    /// <summary>As <see cref="GetOrAdd(in TKey, out bool)"/>, without saying whether the key was added.</summary>
    /// <param name="key">The key.</param>
    /// <returns>A writable view of the value.</returns>
    /// <exception cref="NotSupportedException">The index is read-only.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="Pin{TRef, TState, TResult}"/>, <see cref="PinReadOnly{TRef, TState, TResult}"/>): nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="ArgumentException">A layout key cannot be stored in its format.</exception>
    /// <exception cref="System.IO.IOException">The table must grow and the file cannot.</exception>
    public TValue GetOrAdd(in TKey key) => GetOrAdd(in key, out _);

    /// <summary>Adds <paramref name="key"/> with a zeroed value if it is absent: a set's <c>Add</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True if the key was added, false if it was present (and is left as it was).</returns>
    /// <exception cref="NotSupportedException">The index is read-only.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="Pin{TRef, TState, TResult}"/>, <see cref="PinReadOnly{TRef, TState, TResult}"/>): nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="ArgumentException">A layout key cannot be stored in its format.</exception>
    /// <exception cref="System.IO.IOException">The table must grow and the file cannot.</exception>
    public bool TryAdd(in TKey key)
    {
        GetOrAdd(in key, out bool added);
        return added;
    }

    /// <summary>
    /// Sets the value of <paramref name="key"/> to <paramref name="value"/>, adding the key if it is
    /// absent. The value is stored into a buffer first: a value its layout cannot store throws
    /// before the index changes.
    /// </summary>
    /// <typeparam name="TLayout">The value's layout: the layout of <typeparamref name="TValue"/>.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>True if the key was added, false if its value was replaced.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TLayout"/> is not the layout of <typeparamref name="TValue"/>, or the value or a layout key cannot be stored.</exception>
    /// <exception cref="NotSupportedException">The index is read-only.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="Pin{TRef, TState, TResult}"/>, <see cref="PinReadOnly{TRef, TState, TResult}"/>): nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="System.IO.IOException">The table must grow and the file cannot.</exception>
    public bool Set<TLayout>(in TKey key, in TLayout value)
        where TLayout : struct, IMappedLayout<TLayout>
    {
        ThrowIfNotWritable();
        if (TLayout.LayoutFingerprint != TValue.LayoutFingerprint || TLayout.SizeInBytes != _valueSize)
        {
            throw new ArgumentException($"{typeof(TLayout).FullName} (fingerprint 0x{TLayout.LayoutFingerprint:X16}, {TLayout.SizeInBytes} bytes) is not the layout of {typeof(TValue).FullName} (0x{TValue.LayoutFingerprint:X16}, {_valueSize} bytes).", nameof(TLayout));
        }

        byte[]? rented = _valueSize > 512 ? ArrayPool<byte>.Shared.Rent(_valueSize) : null;
        try
        {
            Span<byte> valueBytes = rented is null ? stackalloc byte[_valueSize] : rented.AsSpan(0, _valueSize);
            TLayout.Store(valueBytes, value);
            Span<byte> scratch = IndexKeyFormat<TKey>.IsPrimitive ? default : stackalloc byte[_keySize];
            ReadOnlySpan<byte> bytes = KeyBytes(in key, scratch);
            long slot = FindOrAdd(bytes, out bool added);
            valueBytes.CopyTo(new Span<byte>(Slot(slot) + sizeof(ulong) + _keySize, _valueSize));
            return added;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Removes <paramref name="key"/> and its value: its slot becomes a tombstone until the next <see cref="Flush"/> (or an insertion that needs the room) compacts the table.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True if the key was present.</returns>
    /// <exception cref="NotSupportedException">The index is read-only.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="Pin{TRef, TState, TResult}"/>, <see cref="PinReadOnly{TRef, TState, TResult}"/>): nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    /// <exception cref="ArgumentException">A layout key cannot be stored in its format.</exception>
    public bool Remove(in TKey key)
    {
        ThrowIfNotWritable();
        Span<byte> scratch = IndexKeyFormat<TKey>.IsPrimitive ? default : stackalloc byte[_keySize];
        ReadOnlySpan<byte> bytes = KeyBytes(in key, scratch);
        long slot = Probe(HashOf(bytes), bytes);
        if (slot < 0)
        {
            return false;
        }

        // A tombstone, not a backward shift: moving entries that a flush made durable could lose
        // them in a power loss (the copy's page unwritten, the original's written); the flush
        // compacts the tombstones through a synced rescue area (docs/indexes.md, "Durability").
        MarkDirty();
        Volatile.Write(ref *(ulong*)Slot(slot), Removed);
        _removed.Add(slot);
        if (_count > 0)
        {
            _count--;
        }

        _version++;
        return true;
    }

    /// <summary>Removes every entry; the capacity (and the file's length) stays.</summary>
    /// <exception cref="NotSupportedException">The index is read-only.</exception>
    /// <exception cref="InvalidOperationException">The index is pinned (<see cref="Pin{TRef, TState, TResult}"/>, <see cref="PinReadOnly{TRef, TState, TResult}"/>): nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public void Clear()
    {
        ThrowIfNotWritable();
        MarkDirty();
        ClearSlots(0, _slotCount);
        _removed.Clear();
        _count = 0;
        _version++;
    }

    private long FindOrAdd(ReadOnlySpan<byte> key, out bool added)
    {
        ulong hash = HashOf(key);
        long slot = Probe(hash, key);
        if (slot >= 0)
        {
            added = false;
            return slot;
        }

        if (_removed.Count > 0 && (_count + _removed.Count >= _maxCount || FindEmpty(hash) < 0))
        {
            // Tombstones fill slots until a flush compacts them: compact before they make a growth.
            FlushIndex();
        }

        if (_count >= _maxCount)
        {
            Grow();
        }

        while ((slot = FindEmpty(hash)) < 0)
        {
            // The run from the key's home reaches the end of the tail: rare below the load factor.
            Grow();
        }

        // After any growth, which is a flush point and leaves the header clean.
        MarkDirty();

        byte* p = Slot(slot);

        // The value first (a slot once used by a hostile file may hold anything), the key, then
        // the hash that makes the slot full.
        new Span<byte>(p + sizeof(ulong) + _keySize, _valueSize).Clear();
        key.CopyTo(new Span<byte>(p + sizeof(ulong), _keySize));
        Unsafe.WriteUnaligned(p, hash);
        _count++;
        _version++;
        added = true;
        return slot;
    }

    private void ClearSlots(long first, long count)
    {
        // Spans are at most int.MaxValue bytes: clear in chunks.
        long bytes = count * _stride;
        byte* p = Slot(first);
        while (bytes > 0)
        {
            int chunk = (int)Math.Min(bytes, 1 << 30);
            new Span<byte>(p, chunk).Clear();
            p += chunk;
            bytes -= chunk;
        }
    }
}
