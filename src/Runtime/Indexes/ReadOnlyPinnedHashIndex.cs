using System.Runtime.CompilerServices;
using Overlay.Layouts;

namespace Overlay.Indexes;

/// <summary>
/// A <see cref="MappedHashIndex{TKey, TValue}"/> held in place for the callback of
/// <see cref="MappedHashIndex{TKey, TValue}.PinReadOnly{TRef, TState, TResult}"/>: lookups that hand out
/// the value as the layout's generated <c>ReadOnlyRef</c> over the mapped bytes. The
/// loop-scope fast path: the index's checks (closed, mapping moved, view in bounds) are made once
/// when the pin begins, so a lookup is the hash and the probe and nothing else.
/// </summary>
/// <remarks>
/// A <c>ref struct</c>, and so is every <typeparamref name="TRef"/> it hands out: nothing it gives
/// can outlive the callback. Until the callback returns, the index refuses every change to its
/// table (<see cref="System.InvalidOperationException"/>), and its map refuses to close, resize
/// or change protection.
/// </remarks>
/// <typeparam name="TKey">The index's key type.</typeparam>
/// <typeparam name="TRef">The value layout's generated <c>ReadOnlyRef</c>.</typeparam>
public readonly ref struct ReadOnlyPinnedHashIndex<TKey, TRef>
    where TKey : struct
    where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
{
    private readonly PinnedHashTable<TKey> _table;

    internal ReadOnlyPinnedHashIndex(PinnedHashTable<TKey> table) => _table = table;

    /// <summary>The number of entries (the table cannot change while pinned).</summary>
    public long Count => _table.Count;

    /// <summary>Looks <paramref name="key"/> up and hands out its value in place.</summary>
    /// <param name="key">The key (by value, unlike the index's own lookups, so that an integer key stays in a register).</param>
    /// <param name="value">The value's <c>ReadOnlyRef</c> over the mapped bytes; <c>default</c> if the key is absent.</param>
    /// <returns>True if the key is present.</returns>
    /// <exception cref="System.ArgumentException">A layout key cannot be stored in its format (a string too long, ...).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(TKey key, out TRef value)
    {
        long slot = _table.Find(key);
        if (slot < 0)
        {
            value = default!;
            return false;
        }

        // The size the pin checked against the file's, read once per TRef: a constant to the JIT, so
        // the Ref's own length check folds away.
        value = TRef.Create(_table.ValueBytes(slot, ReadOnlyMappedSpan<TRef>.RecordSize));
        return true;
    }

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True if it is.</returns>
    /// <exception cref="System.ArgumentException">A layout key cannot be stored in its format.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContainsKey(TKey key) => _table.Find(key) >= 0;
}
