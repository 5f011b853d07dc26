using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Overlay;

/// <summary>The lines of a <see cref="MemoryMap"/> from its cursor, for <c>foreach</c>; see <see cref="MemoryMap.EnumerateLines"/>.</summary>
public readonly ref struct MappedLineEnumerable
{
    private readonly MemoryMap _map;

    internal MappedLineEnumerable(MemoryMap map) => _map = map;

    /// <summary>Starts the walk; the map is held open until the enumerator (or any copy of it) is disposed.</summary>
    /// <returns>The enumerator.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">The enumerable is <c>default</c>, or another thread is closing, resizing or re-protecting the map.</exception>
    public MappedLineEnumerator GetEnumerator() =>
        new(_map ?? throw new InvalidOperationException("A default MappedLineEnumerable has no map; use MemoryMap.EnumerateLines."));
}

/// <summary>
/// Walks lines as spans over the mapped bytes. Holds an export on the map from creation to
/// <see cref="Dispose"/> (which <c>foreach</c> calls), so no line span can outlive the mapping.
/// </summary>
/// <remarks>
/// Copies of the enumerator share one export (an <see cref="ExportLease"/>): disposing any copy
/// ends it for all: from then on every copy's <see cref="MoveNext"/> throws
/// <see cref="ObjectDisposedException"/> and its <see cref="Current"/> is empty, so no copy reads
/// memory after the map is closed.
/// </remarks>
/// <remarks>
/// Lines are short, so the walk keeps a bit mask of the newlines in the current 64-byte block
/// and hands out the next line with a trailing-zero count instead of a new search per line. The
/// mask is taken when the walk reaches a block: bytes changed ahead of the cursor during the walk
/// may be seen as they were then. Moving the cursor (<see cref="MemoryMap.Seek"/>) restarts the
/// walk there.
/// </remarks>
public ref struct MappedLineEnumerator
{
    private const int BlockSize = NewlineSearch.BlockSize;

    private readonly ExportLease _lease;
    private ReadOnlySpan<byte> _current;
    private ReadOnlySpan<byte> _window;
    private long _base;
    private int _next;
    private int _blockStart;
    private ulong _mask;

    internal MappedLineEnumerator(MemoryMap map)
    {
        _lease = new ExportLease(map);
        _base = -1;
    }

    /// <summary>The current line, its <c>\n</c> included (the last line may lack one); empty once the enumerator, or a copy of it, was disposed.</summary>
    public readonly ReadOnlySpan<byte> Current => _lease is { IsLive: true } ? _current : default;

    /// <summary>Moves the map's cursor past the next line.</summary>
    /// <returns>False at the end of the map.</returns>
    /// <exception cref="ObjectDisposedException">The enumerator, or a copy of it, was disposed.</exception>
    public bool MoveNext()
    {
        ThrowIfEnded();
        if (_lease.Map.CursorPosition != _base + _next)
        {
            Restart();
        }

        while (_mask == 0)
        {
            _blockStart += BlockSize;
            if (_blockStart >= _window.Length)
            {
                return TakeRest();
            }

            _mask = NewlineMask(_window, _blockStart);
            if (_blockStart < _next)
            {
                _mask &= ulong.MaxValue << (_next - _blockStart);
            }
        }

        int newline = _blockStart + BitOperations.TrailingZeroCount(_mask);
        _mask &= _mask - 1;
        _current = _window.Slice(_next, newline + 1 - _next);
        _next = newline + 1;
        _lease.Map.CursorPosition = _base + _next;
        return true;
    }

    /// <summary>Ends the walk and its hold on the map, for this enumerator and every copy of it.</summary>
    public void Dispose()
    {
        _current = default;
        _window = default;
        _lease?.End();
    }

    // A default enumerator has no lease: it is as good as disposed.
    private readonly void ThrowIfEnded()
    {
        if (_lease is null || !_lease.IsLive)
        {
            throw new ObjectDisposedException(nameof(MappedLineEnumerator), "The line enumerator, or a copy of it, was disposed.");
        }
    }

    private void Restart()
    {
        _base = _lease.Map.CursorPosition;
        _window = _lease.Map.WindowFrom(_base);
        _next = 0;
        _mask = 0;

        // The first block starts at the cursor; later blocks follow it 64 bytes at a time.
        _blockStart = -BlockSize;
    }

    /// <summary>No newline before the end of the window: the rest is the last line, or the walk restarts past a 2 GiB window.</summary>
    private bool TakeRest()
    {
        if (_next >= _window.Length && _base + _window.Length >= _lease.Map.Length)
        {
            _current = default;
            return false;
        }

        if (_base + _window.Length < _lease.Map.Length)
        {
            // A line crosses the window's end (maps over 2 GiB): let the map find it, then start a new window.
            bool found = _lease.Map.TryTakeLine(out _current);
            _base = -1;
            _next = 0;
            return found;
        }

        _current = _window.Slice(_next);
        _next = _window.Length;
        _lease.Map.CursorPosition = _base + _next;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong NewlineMask(ReadOnlySpan<byte> window, int start)
    {
        ref byte block = ref Unsafe.Add(ref MemoryMarshal.GetReference(window), start);
        if (window.Length - start >= BlockSize && Vector256.IsHardwareAccelerated)
        {
            return NewlineSearch.BlockMask(ref block);
        }

        ulong mask = 0;
        int count = Math.Min(BlockSize, window.Length - start);
        for (int i = 0; i < count; i++)
        {
            if (Unsafe.Add(ref block, i) == (byte)'\n')
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }
}
