using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Overlay.Layouts;
using Overlay.Layouts.Support;

namespace Overlay.Formats;

/// <summary>
/// A heap of variable-length values in a <see cref="MappedContainer"/> (<c>docs/formats.md</c> §1.3):
/// <see cref="Allocate(int)"/> returns a <see cref="HeapRef"/>, <see cref="Free"/> gives the block back
/// (reusable after the next <see cref="MappedContainer.Commit"/>). Every reference is checked against
/// the heap's bounds before it is used, so a reference read from a hostile file throws
/// <see cref="InvalidDataException"/> rather than reaching outside the heap.
/// </summary>
/// <remarks>
/// Bytes are reached through copies (<see cref="Read"/>, <see cref="ToArray"/>, <see cref="Write"/>)
/// or through <see cref="Pin{TResult}"/>, whose span cannot outlive the callback. Not thread-safe.
/// </remarks>
public sealed class HeapSection
{
    // First-fit looks at this many free blocks before it gives up and bumps the heap's length:
    // allocation stays O(1), a long list of small holes costs space, not time.
    private const int FirstFitProbes = 16;

    private readonly MappedContainer _container;
    private readonly SectionEntry _entry;

    internal HeapSection(MappedContainer container, SectionEntry entry)
    {
        _container = container;
        _entry = entry;
    }

    /// <summary>The heap's name.</summary>
    public string Name => _entry.Name;

    /// <summary>The heap's used bytes (blocks, live and free, and the 8 reserved bytes).</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Length
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Length;
        }
    }

    /// <summary>The bytes reserved for the heap.</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Capacity
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Capacity;
        }
    }

    /// <summary>The number of live values.</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long Count
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Count;
        }
    }

    /// <summary>Bytes in the committed free list (blocks freed since the last commit are not counted yet).</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long FreeBytes
    {
        get
        {
            _container.ThrowIfDisposed();
            return _entry.Aux1;
        }
    }

    /// <summary>Allocates a zeroed value of <paramref name="length"/> bytes.</summary>
    /// <param name="length">The value's length; 0 gives the null reference.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or above <see cref="int.MaxValue"/> - 16.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The heap must grow while memory of the map is exported or pinned.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public HeapRef Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, int.MaxValue - ContainerFormat.HeapMinimumBlockSize);
        _container.ThrowIfNotWritable();
        if (length == 0)
        {
            return default;
        }

        long size = BlockSize(length);
        MemoryMap map = _container.LiveMap;
        long block = TakeFree(map, size, out long taken);
        if (block == 0)
        {
            block = _entry.Length;
            _container.EnsureCapacity(_entry, block + size);
            _container.PrepareBytes(_entry, block, size);
            _entry.Length += size;
            taken = size;
            map = _container.LiveMap;
        }
        else
        {
            map.Fill(_entry.Offset + block + ContainerFormat.HeapBlockHeaderSize, taken - ContainerFormat.HeapBlockHeaderSize, 0);
        }

        ValueAccess.Write(map, _entry.Offset + block, (uint)taken, false);
        ValueAccess.Write(map, _entry.Offset + block + 4, ContainerFormat.HeapBlockAllocated, false);
        _entry.Count++;
        return new HeapRef(block + ContainerFormat.HeapBlockHeaderSize, length);
    }

    /// <summary>Allocates a value holding a copy of <paramref name="value"/>.</summary>
    /// <param name="value">The bytes.</param>
    /// <returns>The reference (null for an empty value).</returns>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The heap must grow while memory of the map is exported or pinned.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public HeapRef Allocate(ReadOnlySpan<byte> value)
    {
        HeapRef reference = Allocate(value.Length);
        if (!reference.IsNull)
        {
            _container.LiveMap.WriteAt(_entry.Offset + reference.Offset, value);
        }

        return reference;
    }

    /// <summary>
    /// Frees the value: its block is marked free now (a second free of it throws) and becomes
    /// reusable after the next commit. Freeing the null reference does nothing.
    /// </summary>
    /// <param name="reference">A reference <see cref="Allocate(int)"/> returned.</param>
    /// <exception cref="InvalidDataException">The reference is outside the heap or does not name an allocated block.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public void Free(HeapRef reference)
    {
        _container.ThrowIfNotWritable();
        if (reference.IsNull)
        {
            return;
        }

        EnsureFreeable(reference);
        MemoryMap map = _container.LiveMap;
        long block = reference.Offset - ContainerFormat.HeapBlockHeaderSize;
        ValueAccess.Write(map, _entry.Offset + block + 4, ContainerFormat.HeapBlockFree, false);
        (_entry.PendingFree ??= new List<long>()).Add(block);
        _entry.Count = Math.Max(0, _entry.Count - 1);
    }

    /// <summary>
    /// Throws what <see cref="Free"/> would throw for <paramref name="reference"/>, freeing nothing:
    /// a variable-length field checks its old value before it stores a new one (src/Runtime/Layouts).
    /// </summary>
    /// <param name="reference">A reference; null passes.</param>
    /// <exception cref="InvalidDataException">The reference is outside the heap or does not name an allocated block.</exception>
    internal void EnsureFreeable(HeapRef reference)
    {
        Check(reference);
        if (reference.IsNull)
        {
            return;
        }

        MemoryMap map = _container.LiveMap;
        long block = reference.Offset - ContainerFormat.HeapBlockHeaderSize;
        uint size = ValueAccess.Read<uint>(map, _entry.Offset + block, false);
        uint state = ValueAccess.Read<uint>(map, _entry.Offset + block + 4, false);
        if (state != ContainerFormat.HeapBlockAllocated || size < ContainerFormat.HeapMinimumBlockSize || size % ContainerFormat.HeapGranule != 0
            || size > _entry.Length - block || reference.Length > size - ContainerFormat.HeapBlockHeaderSize)
        {
            throw Bad(reference, $"it does not name an allocated block (header: size {size}, state 0x{state:X8})");
        }
    }

    /// <summary>Copies the value into <paramref name="destination"/>.</summary>
    /// <param name="reference">The value.</param>
    /// <param name="destination">At least <see cref="HeapRef.Length"/> bytes.</param>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public void Read(HeapRef reference, Span<byte> destination)
    {
        Check(reference);
        if (destination.Length < reference.Length)
        {
            throw new ArgumentException($"The value is {reference.Length} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        if (reference.Length > 0)
        {
            _container.LiveMap.ReadAt(_entry.Offset + reference.Offset, destination[..reference.Length]);
        }
    }

    /// <summary>A copy of the value.</summary>
    /// <param name="reference">The value.</param>
    /// <returns>Its bytes.</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public byte[] ToArray(HeapRef reference)
    {
        Check(reference);
        byte[] bytes = new byte[reference.Length];
        Read(reference, bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="source"/> into the value, starting <paramref name="start"/> bytes into it.</summary>
    /// <param name="reference">The value.</param>
    /// <param name="start">Where in the value to start.</param>
    /// <param name="source">The bytes; they must fit in the value.</param>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The bytes do not fit in the value.</exception>
    /// <exception cref="NotSupportedException">The map is read-only.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public void Write(HeapRef reference, int start, ReadOnlySpan<byte> source)
    {
        Check(reference);
        if (start < 0 || start > reference.Length - source.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"{source.Length} bytes at {start} do not fit in a value of {reference.Length} bytes.");
        }

        _container.LiveMap.WriteAt(_entry.Offset + reference.Offset + start, source);
    }

    /// <summary>
    /// Hands <paramref name="body"/> the value's bytes in place, with the map pinned meanwhile
    /// (no resize or close until it returns); the span cannot outlive the callback.
    /// </summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="reference">The value.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult Pin<TResult>(HeapRef reference, Func<ReadOnlySpan<byte>, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Check(reference);
        return SectionPin.Read(_container.LiveMap, _entry.Offset + reference.Offset, reference.Length, body);
    }

    /// <summary>
    /// Hands <paramref name="body"/> the whole heap in place, with the map pinned meanwhile (no
    /// resize or close until it returns): a pinned record loop follows each record's references
    /// through the <see cref="ReadOnlyHeapSpan"/> with one bounds check per value and no call.
    /// </summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult PinReadOnly<TResult>(Func<ReadOnlyHeapSpan, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return PinReadOnly(body, static (ReadOnlyHeapSpan values, Func<ReadOnlyHeapSpan, TResult> inner) => inner(values));
    }

    /// <summary>
    /// As <see cref="PinReadOnly{TResult}(Func{ReadOnlyHeapSpan, TResult})"/>, passing
    /// <paramref name="state"/> to the callback so that a <c>static</c> lambda needs no closure (the
    /// state may be a <c>ref struct</c>, such as a pinned record span).
    /// </summary>
    /// <typeparam name="TState">What the callback needs.</typeparam>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="state">Passed to <paramref name="body"/>.</param>
    /// <param name="body">The callback.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public TResult PinReadOnly<TState, TResult>(TState state, Func<ReadOnlyHeapSpan, TState, TResult> body)
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        _container.ThrowIfDisposed();
        MemoryMap map = _container.LiveMap;
        long length = _entry.Length;
        ref byte start = ref map.BeginPin(_entry.Offset, length, write: false);
        try
        {
            return body(new ReadOnlyHeapSpan(ref start, length, this), state);
        }
        finally
        {
            map.EndPin();
        }
    }

    /// <summary>
    /// The map offset of the value's first byte, after the heap-bounds check: for the list fields
    /// (src/Runtime/Layouts), which read the value in place through the map's checked accessors.
    /// </summary>
    /// <param name="reference">The value.</param>
    /// <returns>Its first byte in <see cref="LiveMap"/>; meaningless for the null reference (length 0).</returns>
    /// <exception cref="InvalidDataException">The reference is outside the heap.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    internal long Locate(HeapRef reference)
    {
        Check(reference);
        return _entry.Offset + reference.Offset;
    }

    /// <summary>The container's live map, which holds the heap.</summary>
    internal MemoryMap LiveMap => _container.LiveMap;

    /// <summary>The container the heap is a section of.</summary>
    internal MappedContainer Container => _container;

    /// <summary>An <see cref="InvalidDataException"/> naming this heap and the reference.</summary>
    internal InvalidDataException Invalid(HeapRef reference, string why) => Bad(reference, why);

    /// <inheritdoc/>
    public override string ToString() => $"HeapSection(name={_entry.Name}, length={_entry.Length}, count={_entry.Count})";

    /// <summary>The heap-bounds check every reference passes before use (docs/formats.md §4).</summary>
    private void Check(HeapRef reference)
    {
        _container.ThrowIfDisposed();
        if (reference.IsNull)
        {
            return;
        }

        if (!IsInside(reference, _entry.Length))
        {
            throw Bad(reference, $"it is not inside the heap's {_entry.Length} bytes");
        }
    }

    /// <summary>
    /// Whether a non-null reference lies in a heap of <paramref name="heapLength"/> bytes: past the
    /// reserved word and its block header, on a granule, its length inside the rest (the one rule
    /// <see cref="Check"/> and <see cref="ReadOnlyHeapSpan"/> share). False for the null reference.
    /// </summary>
    internal static bool IsInside(HeapRef reference, long heapLength)
    {
        const long Payload = ContainerFormat.HeapReservedBytes + ContainerFormat.HeapBlockHeaderSize;
        return reference.Offset >= Payload && (reference.Offset & (ContainerFormat.HeapGranule - 1)) == 0 && reference.Length >= 0
            && reference.Offset <= heapLength - reference.Length;
    }

    /// <summary>Strict UTF-8: invalid bytes throw, as every string field decodes.</summary>
    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private InvalidDataException Bad(HeapRef reference, string why) =>
        new($"Heap reference (offset {reference.Offset}, length {reference.Length}) into section '{_entry.Name}' is invalid: {why}.");

    private static long BlockSize(int length) =>
        ContainerFormat.HeapBlockHeaderSize + ContainerFormat.AlignUp(Math.Max(length, ContainerFormat.HeapGranule), ContainerFormat.HeapGranule);

    /// <summary>
    /// First fit among the first free blocks of the committed list; 0 if none fits. A block that
    /// is not what the list says (a crash or a hostile file) ends the list: its rest is leaked, never used.
    /// </summary>
    private long TakeFree(MemoryMap map, long size, out long taken)
    {
        taken = 0;
        long previous = 0;
        long current = _entry.Aux0;
        for (int probe = 0; probe < FirstFitProbes && current != 0; probe++)
        {
            long header = _entry.Offset + current;
            uint blockSize = 0;
            bool valid = current >= ContainerFormat.HeapReservedBytes && current % ContainerFormat.HeapGranule == 0
                && current <= _entry.Length - ContainerFormat.HeapMinimumBlockSize;
            if (valid)
            {
                blockSize = ValueAccess.Read<uint>(map, header, false);
                valid = ValueAccess.Read<uint>(map, header + 4, false) == ContainerFormat.HeapBlockFree
                    && blockSize >= ContainerFormat.HeapMinimumBlockSize && blockSize % ContainerFormat.HeapGranule == 0
                    && blockSize <= _entry.Length - current;
            }

            if (!valid)
            {
                SetNext(map, previous, 0);
                _entry.Aux1 = 0;
                return 0;
            }

            long next = (long)ValueAccess.Read<ulong>(map, header + ContainerFormat.HeapBlockHeaderSize, false);
            if (!IsFreeLink(next))
            {
                // A link out of the heap ends the list here. Taken as it is, it would become the
                // committed head, which Open refuses: the file could not be opened again (found by fuzzing).
                next = 0;
            }

            if (blockSize >= size)
            {
                if (blockSize - size >= ContainerFormat.HeapMinimumBlockSize)
                {
                    // Split: the front is taken, the rest stays in the list in the block's place.
                    long rest = current + size;
                    ValueAccess.Write(map, _entry.Offset + rest, (uint)(blockSize - size), false);
                    ValueAccess.Write(map, _entry.Offset + rest + 4, ContainerFormat.HeapBlockFree, false);
                    ValueAccess.Write(map, _entry.Offset + rest + ContainerFormat.HeapBlockHeaderSize, (ulong)next, false);
                    SetNext(map, previous, rest);
                    taken = size;
                }
                else
                {
                    SetNext(map, previous, next);
                    taken = blockSize;
                }

                _entry.Aux1 = Math.Max(0, _entry.Aux1 - taken);
                return current;
            }

            previous = current;
            current = next;
        }

        return 0;
    }

    /// <summary>Whether a free-list link can name a block: 0 (the end), or a granule inside the heap with room for a block (what Open checks of the head).</summary>
    private bool IsFreeLink(long link) =>
        link == 0 || (link >= ContainerFormat.HeapReservedBytes && link % ContainerFormat.HeapGranule == 0 && link <= _entry.Length - ContainerFormat.HeapMinimumBlockSize);

    private void SetNext(MemoryMap map, long previous, long next)
    {
        if (previous == 0)
        {
            _entry.Aux0 = next;
        }
        else
        {
            ValueAccess.Write(map, _entry.Offset + previous + ContainerFormat.HeapBlockHeaderSize, (ulong)next, false);
        }
    }
}
