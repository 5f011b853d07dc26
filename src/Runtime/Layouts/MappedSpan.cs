using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Layouts;

/// <summary>
/// Records of one layout, back to back in memory that cannot move or go away while the span lives:
/// what <see cref="MappedArray{TView}.Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/> hands its
/// callback. The indexer checks the index against <see cref="Length"/> and nothing else, so an access
/// costs what a raw pointer's does plus one compare.
/// </summary>
/// <remarks>
/// A <c>ref struct</c>, so neither the span nor the records it hands out can outlive the callback
/// that received it; the pin keeps <see cref="MemoryMap.Close"/> and <see cref="MemoryMap.Resize"/>
/// refusing until then.
/// </remarks>
/// <typeparam name="TRef">The generated <c>Ref</c> of a layout.</typeparam>
public readonly ref struct MappedSpan<TRef>
    where TRef : IMappedRef<TRef>, allows ref struct
{
    // TRef.SizeInBytes read once per TRef: a generated Ref's is a constant, but a hand-written
    // one could answer differently on each call, and the span must use one size for its length,
    // its indexing and the bytes each record is made from. A static readonly of a type
    // specialised per value type is a constant to the tier-1 JIT, so the indexer still folds it.
    private static readonly int s_size = TRef.SizeInBytes;

    private readonly ref byte _start;
    private readonly int _length;

    /// <summary>The records in <paramref name="bytes"/>: as many whole records as fit.</summary>
    /// <param name="bytes">The bytes; a partial record at the end is left out.</param>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> says its records have no bytes or a negative number.</exception>
    public MappedSpan(Span<byte> bytes)
    {
        int size = RecordSize;
        _start = ref MemoryMarshal.GetReference(bytes);
        _length = bytes.Length / size;
    }

    // From a pin: the caller checked that length records lie inside a mapping it holds in place.
    internal MappedSpan(ref byte start, int length)
    {
        _start = ref start;
        _length = length;
    }

    /// <summary>The number of records.</summary>
    public int Length => _length;

    /// <summary>True when there are no records.</summary>
    public bool IsEmpty => _length == 0;

    /// <summary>
    /// The size of one record: <typeparamref name="TRef"/>'s <c>SizeInBytes</c>, read once.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TRef"/> says its records have no bytes or a negative number.</exception>
    internal static int RecordSize
    {
        get
        {
            int size = s_size;
            if (size <= 0)
            {
                ThrowHelper.BadRecordSize(typeof(TRef), size, nameof(TRef));
            }

            return size;
        }
    }

    /// <summary>The record at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the span.</exception>
    public TRef this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)_length)
            {
                MappedSpanErrors.Index(index, _length);
            }

            // The Ref's constructor compares the span's length with its own size: both constants
            // here, so the JIT folds that check away. (uint): the index is known non-negative, and
            // zero-extending it is free where sign-extending costs an instruction per access.
            return TRef.Create(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref _start, (nint)(uint)index * s_size), s_size));
        }
    }

    /// <summary>
    /// The record at <paramref name="index"/>, as the indexer. C# refuses to set a property on a
    /// struct an indexer returns (CS1612) but allows it on one a method returns, so
    /// <c>span.At(i).Id = 5</c> writes in one statement where <c>span[i].Id = 5</c> does not compile.
    /// </summary>
    /// <param name="index">From 0 to <see cref="Length"/> - 1.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the span.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TRef At(int index) => this[index];

    /// <summary>The records <c>[start, start + length)</c>.</summary>
    /// <param name="start">The first record.</param>
    /// <param name="length">How many records.</param>
    /// <returns>The slice.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The slice is not inside the span.</exception>
    public MappedSpan<TRef> Slice(int start, int length)
    {
        if ((uint)start > (uint)_length || (uint)length > (uint)(_length - start))
        {
            MappedSpanErrors.Slice(start, length, _length);
        }

        return new MappedSpan<TRef>(ref Unsafe.Add(ref _start, (nint)(uint)start * s_size), length);
    }

    /// <summary>Enumerates the records without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates a <see cref="MappedSpan{TRef}"/>.</summary>
    public ref struct Enumerator
    {
        private readonly MappedSpan<TRef> _span;
        private int _index;

        internal Enumerator(MappedSpan<TRef> span)
        {
            _span = span;
            _index = -1;
        }

        /// <summary>The current record.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Before the first <see cref="MoveNext"/> or after the last.</exception>
        public readonly TRef Current => _span[_index];

        /// <summary>Moves to the next record.</summary>
        /// <returns>False after the last record.</returns>
        public bool MoveNext() => ++_index < _span.Length;
    }
}
