using System;

namespace Overlay;

/// <summary>The lines of a <see cref="MemoryMap"/> from its cursor, for <c>foreach</c>; see <see cref="MemoryMap.EnumerateLines"/>.</summary>
public readonly ref struct MappedLineEnumerable
{
    private readonly MemoryMap _map;

    internal MappedLineEnumerable(MemoryMap map) => _map = map;

    /// <summary>Starts the walk; the map is held open until the enumerator is disposed.</summary>
    /// <returns>The enumerator.</returns>
    public MappedLineEnumerator GetEnumerator() => new(_map);
}

/// <summary>
/// Walks lines as spans over the mapped bytes. Holds an export on the map from creation to
/// <see cref="Dispose"/> (which <c>foreach</c> calls), so no line span can outlive the mapping.
/// </summary>
public ref struct MappedLineEnumerator
{
    private readonly MemoryMap _map;
    private ReadOnlySpan<byte> _current;
    private bool _released;

    internal MappedLineEnumerator(MemoryMap map)
    {
        map.AddExport();
        _map = map;
        _current = default;
        _released = false;
    }

    /// <summary>The current line, its <c>\n</c> included (the last line may lack one).</summary>
    public readonly ReadOnlySpan<byte> Current => _current;

    /// <summary>Moves the map's cursor past the next line.</summary>
    /// <returns>False at the end of the map.</returns>
    /// <exception cref="ObjectDisposedException">The enumerator was disposed.</exception>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_released, typeof(MappedLineEnumerator));
        return _map.TryTakeLine(out _current);
    }

    /// <summary>Ends the walk and its hold on the map.</summary>
    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _current = default;
            _map.ReleaseExport();
        }
    }
}
