using System;

namespace Overlay.Layouts;

public readonly partial struct MappedArray<TView>
{
    /// <summary>
    /// Holds the records in place for <paramref name="body"/> and hands it a <see cref="MappedSpan{TRef}"/>
    /// over them: the loop-scope fast path. Inside the callback an access checks only the index, as
    /// a raw pointer plus one compare; in exchange <see cref="MemoryMap.Close"/>, <see cref="MemoryMap.Resize"/>
    /// and <see cref="MemoryMap.Protect"/> throw <see cref="InvalidOperationException"/> until it returns.
    /// </summary>
    /// <remarks>
    /// The span and its records are <c>ref struct</c>s and <typeparamref name="TResult"/> cannot be one,
    /// so nothing the callback sees can outlive it: no call sequence reaches memory after it is unmapped.
    /// </remarks>
    /// <typeparam name="TRef">The layout's generated <c>Ref</c> (the same layout as <typeparamref name="TView"/>).</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TView"/>.</exception>
    /// <exception cref="NotSupportedException">The array is of read-only views, or the map is read-only: use <see cref="PinReadOnly{TRef, TResult}(Func{ReadOnlyMappedSpan{TRef}, TResult})"/>.</exception>
    /// <exception cref="InvalidOperationException">The array holds more than <see cref="int.MaxValue"/> records (pin a <see cref="Slice"/>), or is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The records no longer lie inside the map (it shrank).</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public TResult Pin<TRef, TResult>(Func<MappedSpan<TRef>, TResult> body)
        where TRef : IMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        return Pin(body, static (MappedSpan<TRef> span, Func<MappedSpan<TRef>, TResult> inner) => inner(span));
    }

    /// <summary>As <see cref="Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/>, for a callback that returns nothing.</summary>
    /// <typeparam name="TRef">The layout's generated <c>Ref</c>.</typeparam>
    /// <param name="body">The callback.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TView"/>.</exception>
    /// <exception cref="NotSupportedException">The array is of read-only views, or the map is read-only.</exception>
    /// <exception cref="InvalidOperationException">The array holds more than <see cref="int.MaxValue"/> records, or is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The records no longer lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public void Pin<TRef>(Action<MappedSpan<TRef>> body)
        where TRef : IMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        Pin(body, static (MappedSpan<TRef> span, Action<MappedSpan<TRef>> inner) =>
        {
            inner(span);
            return true;
        });
    }

    /// <summary>
    /// As <see cref="Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/>, passing <paramref name="state"/>
    /// to the callback so that a <c>static</c> lambda needs no closure (nothing is allocated).
    /// </summary>
    /// <typeparam name="TRef">The layout's generated <c>Ref</c>.</typeparam>
    /// <typeparam name="TState">What the callback needs.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="state">Passed to <paramref name="body"/>.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TView"/>.</exception>
    /// <exception cref="NotSupportedException">The array is of read-only views, or the map is read-only.</exception>
    /// <exception cref="InvalidOperationException">The array holds more than <see cref="int.MaxValue"/> records, or is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The records no longer lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public TResult Pin<TRef, TState, TResult>(TState state, Func<MappedSpan<TRef>, TState, TResult> body)
        where TRef : IMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        // One reading of the record size for the check, the pinned range and the span (see CheckPin).
        int size = MappedSpan<TRef>.RecordSize;
        CheckPin(size, TRef.LayoutFingerprint, typeof(TRef), write: true);
        ref byte start = ref _map.BeginPin(_offset, _count * size, write: true);
        try
        {
            return body(new MappedSpan<TRef>(ref start, (int)_count), state);
        }
        finally
        {
            _map.EndPin();
        }
    }

    /// <summary>
    /// Holds the records in place for <paramref name="body"/> and hands it a <see cref="ReadOnlyMappedSpan{TRef}"/>
    /// over them: <see cref="Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/> for reading, on
    /// any readable map and for arrays of either kind of view.
    /// </summary>
    /// <typeparam name="TRef">The layout's generated <c>ReadOnlyRef</c>.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TView"/>.</exception>
    /// <exception cref="NotSupportedException">The map is not readable.</exception>
    /// <exception cref="InvalidOperationException">The array holds more than <see cref="int.MaxValue"/> records, or is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The records no longer lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public TResult PinReadOnly<TRef, TResult>(Func<ReadOnlyMappedSpan<TRef>, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        return PinReadOnly(body, static (ReadOnlyMappedSpan<TRef> span, Func<ReadOnlyMappedSpan<TRef>, TResult> inner) => inner(span));
    }

    /// <summary>As <see cref="PinReadOnly{TRef, TResult}(Func{ReadOnlyMappedSpan{TRef}, TResult})"/>, for a callback that returns nothing.</summary>
    /// <typeparam name="TRef">The layout's generated <c>ReadOnlyRef</c>.</typeparam>
    /// <param name="body">The callback.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TView"/>.</exception>
    /// <exception cref="NotSupportedException">The map is not readable.</exception>
    /// <exception cref="InvalidOperationException">The array holds more than <see cref="int.MaxValue"/> records, or is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The records no longer lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public void PinReadOnly<TRef>(Action<ReadOnlyMappedSpan<TRef>> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        PinReadOnly(body, static (ReadOnlyMappedSpan<TRef> span, Action<ReadOnlyMappedSpan<TRef>> inner) =>
        {
            inner(span);
            return true;
        });
    }

    /// <summary>
    /// As <see cref="PinReadOnly{TRef, TResult}(Func{ReadOnlyMappedSpan{TRef}, TResult})"/>, passing
    /// <paramref name="state"/> to the callback so that a <c>static</c> lambda needs no closure.
    /// </summary>
    /// <typeparam name="TRef">The layout's generated <c>ReadOnlyRef</c>.</typeparam>
    /// <typeparam name="TState">What the callback needs.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="state">Passed to <paramref name="body"/>.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> is not of the layout of <typeparamref name="TView"/>.</exception>
    /// <exception cref="NotSupportedException">The map is not readable.</exception>
    /// <exception cref="InvalidOperationException">The array holds more than <see cref="int.MaxValue"/> records, or is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The records no longer lie inside the map.</exception>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public TResult PinReadOnly<TRef, TState, TResult>(TState state, Func<ReadOnlyMappedSpan<TRef>, TState, TResult> body)
        where TRef : IReadOnlyMappedRef<TRef>, allows ref struct
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        int size = ReadOnlyMappedSpan<TRef>.RecordSize;
        CheckPin(size, TRef.LayoutFingerprint, typeof(TRef), write: false);
        ref byte start = ref _map.BeginPin(_offset, _count * size, write: false);
        try
        {
            return body(new ReadOnlyMappedSpan<TRef>(ref start, (int)_count), state);
        }
        finally
        {
            _map.EndPin();
        }
    }

    // Everything about the array and the Ref type, before the map is asked to pin (which checks
    // closed, access and range against the live mapping). The view's size and fingerprint are read
    // once here and only compared: the range pinned and the span use refSize, the span's own single
    // reading, so a hand-written view or Ref that answers differently each time cannot make the
    // pinned range and the span disagree.
    private void CheckPin(int refSize, ulong refFingerprint, Type refType, bool write)
    {
        int viewSize = TView.SizeInBytes;
        ulong viewFingerprint = TView.LayoutFingerprint;
        if (refFingerprint != viewFingerprint || refSize != viewSize)
        {
            throw new ArgumentException($"{refType.FullName} is not of the layout of {typeof(TView).FullName} (fingerprint 0x{refFingerprint:X16}, {refSize} bytes; the array's: 0x{viewFingerprint:X16}, {viewSize} bytes).", "TRef");
        }

        if (_map is null)
        {
            throw new InvalidOperationException("The array is default: it has no map.");
        }

        // A pinned span steps by the Ref's size, a JIT constant: the loop's fast path. Records
        // further apart (a file written by a newer layout, docs/formats.md Schemas §8.3) are read
        // through views or Load instead: a stride read from the span cost 2-4x raw per access
        // (docs/benchmarks.md, Stride from the file). A hand-written view whose size changed since
        // the array was made lands here too.
        if (refSize != _stride)
        {
            throw new ArgumentException($"{refType.FullName} records are {refSize} bytes; the array's are {_stride} bytes apart (records of another version of the layout): a pinned span needs them back to back. Use views or Load, or upgrade the file.", "TRef");
        }

        if (write && TView.IsReadOnly)
        {
            throw new NotSupportedException($"The array is of read-only views ({typeof(TView).Name}): use PinReadOnly.");
        }

        if (_count > int.MaxValue)
        {
            throw new InvalidOperationException($"The array holds {_count} records; a pin holds at most int.MaxValue: pin a Slice.");
        }
    }
}
