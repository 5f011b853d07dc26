using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Overlay.Indexes;

// Enumeration: in slot order, which is no order a caller should rely on.
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>Enumerates the entries, keys copied out and values as views, without allocating.</summary>
    /// <returns>The enumerator; a change to the index makes its next <c>MoveNext</c> throw <see cref="InvalidOperationException"/>.</returns>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public Enumerator GetEnumerator()
    {
        ThrowIfDisposed();
        return new Enumerator(this);
    }

    private TKey KeyAt(long slot) => _keys.Read(new ReadOnlySpan<byte>(Slot(slot) + sizeof(ulong), _keySize));

    /// <summary>Enumerates a <see cref="MappedHashIndex{TKey, TValue}"/>.</summary>
    public struct Enumerator
    {
        private readonly MappedHashIndex<TKey, TValue> _index;
        private readonly int _version;
        private long _slot;
        private KeyValuePair<TKey, TValue> _current;

        internal Enumerator(MappedHashIndex<TKey, TValue> index)
        {
            _index = index;
            _version = index._version;
            _slot = -1;
            _current = default;
        }

        /// <summary>The current entry: its key, and a view of its value.</summary>
        public readonly KeyValuePair<TKey, TValue> Current => _current;

        /// <summary>Moves to the next entry.</summary>
        /// <returns>False after the last.</returns>
        /// <exception cref="InvalidOperationException">The index changed since the enumeration began.</exception>
        /// <exception cref="ObjectDisposedException">The index is closed.</exception>
        public bool MoveNext()
        {
            MappedHashIndex<TKey, TValue> index = _index ?? throw new InvalidOperationException("The enumerator is default.");
            index.ThrowIfDisposed();
            if (index._version != _version)
            {
                throw new InvalidOperationException("The index changed during the enumeration.");
            }

            long limit = index._slotCount;
            while (++_slot < limit)
            {
                if (Unsafe.ReadUnaligned<ulong>(index.Slot(_slot)) > Removed)
                {
                    _current = new KeyValuePair<TKey, TValue>(index.KeyAt(_slot), index.ValueAt(_slot));
                    return true;
                }
            }

            _slot = limit;
            _current = default;
            return false;
        }
    }
}
