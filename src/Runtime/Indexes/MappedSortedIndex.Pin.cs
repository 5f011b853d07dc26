using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Overlay.Layouts;

namespace Overlay.Indexes;

// Pins: the loop-scope fast path of point lookups, as the hash index's (MappedHashIndex.Pin.cs).
// The checks every lookup through the index makes (closed? the value view's bytes in the live
// mapping?) are made once here; inside the callback a lookup is the search and the value a Ref
// over its bytes. What keeps that safe: the map's pin (no close, resize or protection change, so
// the regions' addresses hold) and the index's own count of pins, which makes Dispose refuse.
public sealed unsafe partial class MappedSortedIndex<TKey, TValue>
{
    // Pins in progress, on any thread.
    private int _pins;

    /// <summary>
    /// Holds the index in place for <paramref name="body"/> and hands it lookups whose values are
    /// the layout's <c>ReadOnlyRef</c> over the mapped bytes, with no check beyond the search's own
    /// bounds (see <see cref="ReadOnlyPinnedSortedIndex{TKey, TValue, TRef}"/>). Until it returns, the index
    /// refuses to close and its map refuses to close or resize.
    /// </summary>
    /// <typeparam name="TRef">The value layout's generated <c>ReadOnlyRef</c>.</typeparam>
    /// <typeparam name="TState">What the callback needs.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="state">Passed to <paramref name="body"/>, so that a <c>static</c> lambda needs no closure.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TValue"/>.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public TResult PinReadOnly<TRef, TState, TResult>(TState state, Func<ReadOnlyPinnedSortedIndex<TKey, TValue, TRef>, TState, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        BeginPin(ReadOnlyMappedSpan<TRef>.RecordSize, TRef.LayoutFingerprint, typeof(TRef), write: false);
        try
        {
            return body(new ReadOnlyPinnedSortedIndex<TKey, TValue, TRef>(this), state);
        }
        finally
        {
            EndPin();
        }
    }

    /// <summary>As <see cref="PinReadOnly{TRef, TState, TResult}"/>, without a state.</summary>
    /// <typeparam name="TRef">The value layout's generated <c>ReadOnlyRef</c>.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TValue"/>.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public TResult PinReadOnly<TRef, TResult>(Func<ReadOnlyPinnedSortedIndex<TKey, TValue, TRef>, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        return PinReadOnly(body, static (ReadOnlyPinnedSortedIndex<TKey, TValue, TRef> index, Func<ReadOnlyPinnedSortedIndex<TKey, TValue, TRef>, TResult> inner) => inner(index));
    }

    /// <summary>
    /// As <see cref="PinReadOnly{TRef, TState, TResult}"/>, with values as the layout's <c>Ref</c>,
    /// writable in place (see <see cref="PinnedSortedIndex{TKey, TValue, TRef}"/>): ordinary stores into
    /// the mapping, made durable by the next <see cref="Flush"/>.
    /// </summary>
    /// <typeparam name="TRef">The value layout's generated <c>Ref</c>.</typeparam>
    /// <typeparam name="TState">What the callback needs.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="state">Passed to <paramref name="body"/>.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TValue"/>.</exception>
    /// <exception cref="NotSupportedException">The index's values are read-only views.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public TResult Pin<TRef, TState, TResult>(TState state, Func<PinnedSortedIndex<TKey, TValue, TRef>, TState, TResult> body)
        where TRef : IMappedRef<TRef>, allows ref struct
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        BeginPin(MappedSpan<TRef>.RecordSize, TRef.LayoutFingerprint, typeof(TRef), write: true);
        try
        {
            return body(new PinnedSortedIndex<TKey, TValue, TRef>(this), state);
        }
        finally
        {
            EndPin();
        }
    }

    /// <summary>As <see cref="Pin{TRef, TState, TResult}"/>, without a state.</summary>
    /// <typeparam name="TRef">The value layout's generated <c>Ref</c>.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TValue"/>.</exception>
    /// <exception cref="NotSupportedException">The index's values are read-only views.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public TResult Pin<TRef, TResult>(Func<PinnedSortedIndex<TKey, TValue, TRef>, TResult> body)
        where TRef : IMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        return Pin(body, static (PinnedSortedIndex<TKey, TValue, TRef> index, Func<PinnedSortedIndex<TKey, TValue, TRef>, TResult> inner) => inner(index));
    }

    /// <summary>
    /// The position of <paramref name="key"/>, or -1: the lookup of <see cref="TryGetValue"/> without
    /// its check that the index is open, for a pin (which made it once, and keeps the index open).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long FindPinned(TKey key, bool prefetchValue) => IsNumeric ? FindNumericUnchecked(key, prefetchValue) : FindBytesPinned(key);

    /// <summary>The bytes of the value at <paramref name="position"/> (one <see cref="FindPinned"/> returned), <paramref name="size"/> the value's size the pin checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<byte> PinnedValueBytes(long position, int size) => new(_valueBase + (position * size), size);

    /// <summary>The key count, for a pin (the keys never change).</summary>
    internal long PinnedCount => _count;

    /// <summary><see cref="FindPinned"/> for keys compared as bytes, whose stored form needs a stack buffer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long FindBytesPinned(TKey key)
    {
        Span<byte> scratch = stackalloc byte[_keySize];
        ReadOnlySpan<byte> bytes = KeyBytes(in key, scratch);
        long at = LowerBound(bytes);
        return at < _count && IndexKeyFormat<TKey>.Compare(KeyAt(at), bytes) == 0 ? at : -1;
    }

    /// <summary>Every check a pinned lookup no longer makes, then the pin: counted by the index (Dispose refuses from here) and by the map.</summary>
    private void BeginPin(int refSize, ulong refFingerprint, Type refType, bool write)
    {
        ThrowIfDisposed();
        if (refFingerprint != TValue.LayoutFingerprint || refSize != _valueSize)
        {
            throw new ArgumentException(
                $"{refType.Name} (fingerprint 0x{refFingerprint:X16}, {refSize} bytes) is not the layout of the index's values, {typeof(TValue).Name} (0x{TValue.LayoutFingerprint:X16}, {_valueSize} bytes).",
                "TRef");
        }

        if (write && TValue.IsReadOnly)
        {
            throw new NotSupportedException($"The index's values are read-only views ({typeof(TValue).Name}): pin it with PinReadOnly.");
        }

        Interlocked.Increment(ref _pins);
        try
        {
            // The whole region, checked against the live mapping once the map counts the pin.
            _map.BeginPin(_base, _regionLength, write);
        }
        catch
        {
            Interlocked.Decrement(ref _pins);
            throw;
        }
    }

    private void EndPin()
    {
        _map.EndPin();
        Interlocked.Decrement(ref _pins);
    }

    /// <summary>Refuses to close while a pin's lookups read the regions.</summary>
    private void ThrowIfPinned()
    {
        if (Volatile.Read(ref _pins) != 0)
        {
            throw new InvalidOperationException($"{_path} is pinned (MappedSortedIndex.Pin or PinReadOnly): it cannot close until the pin's callback returns.");
        }
    }
}
