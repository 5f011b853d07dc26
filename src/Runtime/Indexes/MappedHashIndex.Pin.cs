using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Overlay.Layouts;

namespace Overlay.Indexes;

// Pins: the loop-scope fast path of lookups (as MappedArray.Pin is of records). The checks every
// lookup through the index makes (closed? mapping moved? the view's bytes in bounds?) are made
// once here; inside the callback a lookup is the hash and the probe, the value a Ref over the
// slot's bytes (issue 10: the checked lookup cost 1.31x the raw-pointer hash, the table probed by
// hand 1.02x). What keeps that safe: the map's pin (no close, resize or protection change) and
// the index's own count of pins, which refuses every change to the table until the last ends.
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    // Pins in progress, on any thread (lookups, and so pins, may run on several threads at once).
    private int _pins;

    /// <summary>
    /// Holds the index in place for <paramref name="body"/> and hands it lookups whose values are
    /// the layout's <c>ReadOnlyRef</c> over the mapped bytes, with no check beyond the probe's own
    /// bound (see <see cref="ReadOnlyPinnedHashIndex{TKey, TRef}"/>). Until it returns, the index
    /// refuses every change to its table and its map refuses to close or resize.
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
    public TResult PinReadOnly<TRef, TState, TResult>(TState state, Func<ReadOnlyPinnedHashIndex<TKey, TRef>, TState, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        PinnedHashTable<TKey> table = BeginPin(ReadOnlyMappedSpan<TRef>.RecordSize, TRef.LayoutFingerprint, typeof(TRef), write: false);
        try
        {
            return body(new ReadOnlyPinnedHashIndex<TKey, TRef>(table), state);
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
    public TResult PinReadOnly<TRef, TResult>(Func<ReadOnlyPinnedHashIndex<TKey, TRef>, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        return PinReadOnly(body, static (ReadOnlyPinnedHashIndex<TKey, TRef> index, Func<ReadOnlyPinnedHashIndex<TKey, TRef>, TResult> inner) => inner(index));
    }

    /// <summary>
    /// As <see cref="PinReadOnly{TRef, TState, TResult}"/>, with values as the layout's <c>Ref</c>,
    /// writable in place (see <see cref="PinnedHashIndex{TKey, TRef}"/>). The values written are
    /// ordinary stores into the mapping, made durable by the next <see cref="Flush"/>.
    /// </summary>
    /// <typeparam name="TRef">The value layout's generated <c>Ref</c>.</typeparam>
    /// <typeparam name="TState">What the callback needs.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="state">Passed to <paramref name="body"/>.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TValue"/>.</exception>
    /// <exception cref="NotSupportedException">The index is read-only, or its values are read-only views.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public TResult Pin<TRef, TState, TResult>(TState state, Func<PinnedHashIndex<TKey, TRef>, TState, TResult> body)
        where TRef : IMappedRef<TRef>, allows ref struct
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        PinnedHashTable<TKey> table = BeginPin(MappedSpan<TRef>.RecordSize, TRef.LayoutFingerprint, typeof(TRef), write: true);
        try
        {
            return body(new PinnedHashIndex<TKey, TRef>(table), state);
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
    /// <exception cref="NotSupportedException">The index is read-only, or its values are read-only views.</exception>
    /// <exception cref="ObjectDisposedException">The index is closed.</exception>
    public TResult Pin<TRef, TResult>(Func<PinnedHashIndex<TKey, TRef>, TResult> body)
        where TRef : IMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        return Pin(body, static (PinnedHashIndex<TKey, TRef> index, Func<PinnedHashIndex<TKey, TRef>, TResult> inner) => inner(index));
    }

    /// <summary>
    /// Every check a pinned lookup no longer makes, then the pin: counted by the index (its
    /// changes refuse from here) and by the map (the slots cannot move, shrink or close).
    /// </summary>
    private PinnedHashTable<TKey> BeginPin(int refSize, ulong refFingerprint, Type refType, bool write)
    {
        ThrowIfDisposed();
        if (refFingerprint != TValue.LayoutFingerprint || refSize != _valueSize)
        {
            throw new ArgumentException(
                $"{refType.Name} (fingerprint 0x{refFingerprint:X16}, {refSize} bytes) is not the layout of the index's values, {typeof(TValue).Name} (0x{TValue.LayoutFingerprint:X16}, {_valueSize} bytes).",
                "TRef");
        }

        if (write && (!_writable || TValue.IsReadOnly))
        {
            throw new NotSupportedException(
                _writable
                    ? $"The index's values are read-only views ({typeof(TValue).Name}): pin it with PinReadOnly."
                    : $"{_path} was opened read-only: pin it with PinReadOnly, or open it with MapAccess.Write.");
        }

        Interlocked.Increment(ref _pins);
        byte* slots;
        try
        {
            // The slots' range is checked against the live mapping once the map counts the pin.
            slots = (byte*)Unsafe.AsPointer(ref _map.BeginPin(SlotsOffset, _slotCount * _stride, write));
        }
        catch
        {
            Interlocked.Decrement(ref _pins);
            throw;
        }

        return new PinnedHashTable<TKey>(_keys, slots, _mask, _slotCount, _stride, _keySize, _preparedSeed, _hashFunction, _count);
    }

    private void EndPin()
    {
        _map.EndPin();
        Interlocked.Decrement(ref _pins);
    }

    /// <summary>Refuses a change to the table while a pin's lookups rely on it.</summary>
    private void ThrowIfPinned()
    {
        if (Volatile.Read(ref _pins) != 0)
        {
            ThrowPinned();
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowPinned() =>
        throw new InvalidOperationException($"{_path} is pinned (MappedHashIndex.Pin or PinReadOnly): its table cannot change until the pin's callback returns.");
}
