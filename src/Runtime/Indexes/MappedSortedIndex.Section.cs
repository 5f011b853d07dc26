using System;
using System.IO;
using Overlay.Formats;

namespace Overlay.Indexes;

// The sorted index hosted in a section (kind 4, aux 1 = 2) of a container (docs/indexes.md, "As a
// container section"): the same header, regions, search and views at the section's offset (the
// header's offsets are relative to the region's start, so a file's bytes and a section's are the
// same). What differs: the container owns the map (it tells the index when the map moved or
// closed), the durable point is the container's Commit, and a rebuild writes a new section that
// replaces the old one in the container's table (MappedContainer.SortedIndexes.cs).
public sealed unsafe partial class MappedSortedIndex<TKey, TValue> : IHostedIndex
{
    private MappedContainer? _host;
    private SectionEntry? _entry;

    /// <summary>
    /// Opens the sorted index of section <paramref name="entry"/>: the entry's fields against the
    /// types, then every check a file's <see cref="Open"/> makes with the section's length in place of
    /// the file's, then the entry's count against the header's.
    /// </summary>
    internal static MappedSortedIndex<TKey, TValue> OpenInSection(MappedContainer host, SectionEntry entry, IndexKeyFormat<TKey>? keyFormat, ulong tag)
    {
        keyFormat ??= IndexKeyFormat<TKey>.Default;
        string path = $"{host.Path} (section '{entry.Name}')";
        if (!host.CanWrite && !TValue.IsReadOnly)
        {
            throw new NotSupportedException($"{host.Path} is not writable, so its index '{entry.Name}' hands out read-only views only, but {typeof(TValue).FullName} is writable: use the layout's ReadOnlyView.");
        }

        if (entry.Aux1 != SectionIndexKinds.Sorted)
        {
            throw Invalid(path, keyFormat, $"its section entry says index type {entry.Aux1}, not a sorted index ({SectionIndexKinds.Sorted})");
        }

        if (entry.Stride != (uint)keyFormat.Size || entry.Fingerprint != TValue.LayoutFingerprint || entry.Aux0 != (long)keyFormat.Fingerprint)
        {
            throw Invalid(path, keyFormat, $"its section entry says keys of {entry.Stride} bytes, value fingerprint 0x{entry.Fingerprint:X16} and key fingerprint 0x{entry.Aux0:X16}; expected {keyFormat.Size} bytes, 0x{TValue.LayoutFingerprint:X16} ({typeof(TValue).FullName}) and 0x{keyFormat.Fingerprint:X16} ({keyFormat.Name}): it was made for other types");
        }

        if (entry.Length < SortedIndexHeader.Size)
        {
            throw Invalid(path, keyFormat, $"its section is {entry.Length} bytes long, shorter than the {SortedIndexHeader.Size}-byte header");
        }

        // The container checked the extent against the file; the header is read from inside it and
        // every region it names is checked against the section's length.
        MemoryMap map = host.LiveMap;
        Span<byte> bytes = stackalloc byte[SortedIndexHeader.Size];
        map.ReadAt(entry.Offset, bytes);
        SortedIndexHeader header = SortedIndexHeader.Read(bytes);
        Validate(header, bytes, entry.Length, path, keyFormat, tag);
        if (header.Count != (ulong)entry.Count)
        {
            throw Invalid(path, keyFormat, $"its header says {header.Count} keys but its section entry {entry.Count}");
        }

        return new MappedSortedIndex<TKey, TValue>(keyFormat, map, null, path, entry.Offset, header) { _host = host, _entry = entry };
    }

    /// <inheritdoc/>
    void IHostedIndex.FlushForCommit()
    {
        // Nothing to fold: the keys never change and the entry's count and length are the build's.
        // Values written in place are flushed with every section's bytes.
    }

    /// <inheritdoc/>
    void IHostedIndex.Committed()
    {
    }

    /// <inheritdoc/>
    void IHostedIndex.MapMoved()
    {
        if (!_disposed)
        {
            TakePointers();
        }
    }

    /// <inheritdoc/>
    void IHostedIndex.Detach() => Detach();
}
