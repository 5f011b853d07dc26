using System.Runtime.CompilerServices;
using Overlay.Layouts;

namespace Overlay.Indexes;

/// <summary>
/// A <see cref="MappedSortedIndex{TKey, TValue}"/> held in place for the callback of
/// <see cref="MappedSortedIndex{TKey, TValue}.PinReadOnly{TRef, TState, TResult}"/>: point lookups that
/// hand out the value as the layout's generated <c>ReadOnlyRef</c> over the mapped bytes. The
/// loop-scope fast path: the index's checks (closed, value view in the live mapping) are made once
/// when the pin begins, so a lookup is the search and nothing else.
/// </summary>
/// <remarks>
/// A <c>ref struct</c>, and so is every <typeparamref name="TRef"/> it hands out: nothing it gives
/// can outlive the callback. Until the callback returns, the index refuses to close
/// (<see cref="System.InvalidOperationException"/>), and its map refuses to close, resize or
/// change protection. It carries the index's value type (unlike the hash index's pins) because it
/// searches through the index itself, whose search then inlines into the caller's loop. A
/// <c>default</c> one is an empty index.
/// </remarks>
/// <typeparam name="TKey">The index's key type.</typeparam>
/// <typeparam name="TValue">The index's value type.</typeparam>
/// <typeparam name="TRef">The value layout's generated <c>ReadOnlyRef</c>.</typeparam>
public readonly ref struct ReadOnlyPinnedSortedIndex<TKey, TValue, TRef>
    where TKey : struct
    where TValue : struct, IMappedView<TValue>
    where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
{
    private readonly MappedSortedIndex<TKey, TValue>? _index;

    internal ReadOnlyPinnedSortedIndex(MappedSortedIndex<TKey, TValue> index) => _index = index;

    /// <summary>The number of keys.</summary>
    public long Count => _index?.PinnedCount ?? 0;

    /// <summary>Looks <paramref name="key"/> up and hands out its value in place.</summary>
    /// <param name="key">The key (by value, unlike the index's own lookups, so that an integer key stays in a register).</param>
    /// <param name="value">The value's <c>ReadOnlyRef</c> over the mapped bytes; <c>default</c> if the key is absent.</param>
    /// <returns>True if the key is present.</returns>
    /// <exception cref="System.ArgumentException">A layout key cannot be stored in its format (a string too long, ...).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(TKey key, out TRef value)
    {
        MappedSortedIndex<TKey, TValue>? index = _index;
        long at = index is null ? -1 : index.FindPinned(key, prefetchValue: true);
        if (at < 0)
        {
            value = default!;
            return false;
        }

        // The size the pin checked against the file's, read once per TRef: a constant to the JIT, so
        // the Ref's own length check folds away.
        value = TRef.Create(index!.PinnedValueBytes(at, ReadOnlyMappedSpan<TRef>.RecordSize));
        return true;
    }

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True if it is.</returns>
    /// <exception cref="System.ArgumentException">A layout key cannot be stored in its format.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContainsKey(TKey key) => _index is { } index && index.FindPinned(key, prefetchValue: false) >= 0;
}
