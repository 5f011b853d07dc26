using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;
using Overlay.Layouts;

namespace Overlay.Formats;

// Sorted index sections (kind 4, aux 1 = 2; docs/indexes.md "As a container section"): a
// MappedSortedIndex whose region is a section's extent. The builder's merge writes straight into
// a new extent (its runs and value scratch stay files, so a build larger than memory works as for a
// file); the section joins the table, or replaces the old one in it, only once it is whole, and the
// container's Commit makes that durable: a crash before it leaves the last committed table, which
// names the old extent, untouched.
public sealed partial class MappedContainer
{
    /// <summary>
    /// Builds a sorted index section (kind 4) from everything <paramref name="builder"/> was given and
    /// opens it: a <see cref="MappedSortedIndex{TKey, TValue}"/> in this file, with the same format,
    /// lookups, ranges and views as an index file of its own. It is durable at the container's
    /// <see cref="Commit"/>. The builder is empty afterwards.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value layout's <c>View</c> (values writable in place) or <c>ReadOnlyView</c>, or <see cref="NoValue"/>.</typeparam>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL; not used by another section.</param>
    /// <param name="builder">The entries (its key format is the index's).</param>
    /// <param name="tag">The application tag to record.</param>
    /// <returns>The open index; dispose it (or the container) when done. One instance per section at a time.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="IOException">A run file cannot be read, or the file cannot grow.</exception>
    /// <exception cref="ObjectDisposedException">The container or the builder is closed.</exception>
    public MappedSortedIndex<TKey, TValue> AddSortedIndex<TKey, TValue>(string name, SortedIndexBuilder<TKey, TValue> builder, ulong tag = 0)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckNewEntry(name);
        SectionEntry entry = NewSortedEntry<TKey, TValue>(name, builder.KeyFormat);
        WriteSortedSection(entry, builder, null, tag);
        _entries.Add(entry);
        return OpenSorted<TKey, TValue>(entry, builder.KeyFormat, tag);
    }

    /// <summary>
    /// Opens the sorted index section called <paramref name="name"/>, checking its entry and its
    /// header against the types and against each other (<see cref="InvalidDataException"/> naming the
    /// difference). A read-only container gives a read-only index.
    /// </summary>
    /// <typeparam name="TKey">The key type the index was made for.</typeparam>
    /// <typeparam name="TValue">The value layout's <c>View</c>, or its <c>ReadOnlyView</c> (the only kind a read-only container hands out), or <see cref="NoValue"/>.</typeparam>
    /// <param name="name">The section's name.</param>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys.</param>
    /// <param name="tag">The application tag the index must carry.</param>
    /// <returns>The open index; dispose it (or the container) when done.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="InvalidDataException">The section is not a sorted index of these types and tag, or its entry or header is damaged.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TValue"/> is writable but the container is read-only.</exception>
    /// <exception cref="InvalidOperationException">The section's index is already open.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public MappedSortedIndex<TKey, TValue> SortedIndex<TKey, TValue>(string name, IndexKeyFormat<TKey>? keyFormat = null, ulong tag = 0)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        SectionEntry entry = GetEntry(name, SectionKind.Index);
        if (_indexes is not null && _indexes.ContainsKey(entry))
        {
            throw new InvalidOperationException($"{_path}: the index in section '{name}' is already open; dispose it before opening it again.");
        }

        return OpenSorted<TKey, TValue>(entry, keyFormat, tag);
    }

    /// <summary>
    /// Rebuilds the sorted index section called <paramref name="name"/> with <paramref name="builder"/>'s
    /// changes merged in (its additions and removals win over the section's entries), crash-safely:
    /// the merge writes a new extent, which replaces the old one in the table only once it is whole;
    /// the old extent becomes free space (reused by a later session, or dropped by <see cref="Compact"/>).
    /// Until the next <see cref="Commit"/> a crash leaves the old index. The section's open index, if
    /// any, is closed (its views, and any taken before, throw afterwards); the rebuilt one is returned.
    /// </summary>
    /// <typeparam name="TKey">The key type the index was made for.</typeparam>
    /// <typeparam name="TValue">The value view type the index was made for.</typeparam>
    /// <param name="name">The section's name.</param>
    /// <param name="builder">The changes (its key format is the index's). It is empty afterwards.</param>
    /// <param name="tag">The application tag the index carries.</param>
    /// <returns>The rebuilt index, open.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="InvalidDataException">The section is not a sorted index of these types and tag, or it is damaged (its keys out of order); nothing changed and the builder is empty.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The section's index is open with other types, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="IOException">A run file cannot be read, or the file cannot grow.</exception>
    /// <exception cref="ObjectDisposedException">The container or the builder is closed.</exception>
    public MappedSortedIndex<TKey, TValue> RebuildSortedIndex<TKey, TValue>(string name, SortedIndexBuilder<TKey, TValue> builder, ulong tag = 0)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        ArgumentNullException.ThrowIfNull(builder);
        SectionEntry old = GetEntry(name, SectionKind.Index);
        ThrowIfNotWritable();
        MappedSortedIndex<TKey, TValue> existing;
        IHostedIndex? open = null;
        if (_indexes is not null && _indexes.TryGetValue(old, out open))
        {
            existing = open as MappedSortedIndex<TKey, TValue>
                ?? throw new InvalidOperationException($"{_path}: the index in section '{name}' is open as {open.GetType().Name}; dispose it before rebuilding it as a MappedSortedIndex<{typeof(TKey).Name}, {typeof(TValue).Name}>.");
            if (existing.Tag != tag)
            {
                throw ContainerReader.Invalid(_path, $"section '{name}' carries the tag 0x{existing.Tag:X16}, not 0x{tag:X16}");
            }
        }
        else
        {
            // Opened through the container, so that a growth of the file during the build (which
            // may move the map) gives it the new address.
            existing = OpenSorted<TKey, TValue>(old, builder.KeyFormat, tag);
        }

        SectionEntry fresh = NewSortedEntry<TKey, TValue>(name, builder.KeyFormat);
        try
        {
            WriteSortedSection(fresh, builder, existing, tag);
        }
        catch
        {
            if (open is null)
            {
                existing.Dispose();
            }

            throw;
        }

        existing.Dispose();
        MoveToExtentOf(old, fresh, $"section '{name}' of {_path} (before its rebuild)");
        return OpenSorted<TKey, TValue>(old, builder.KeyFormat, tag);
    }

    private static SectionEntry NewSortedEntry<TKey, TValue>(string name, IndexKeyFormat<TKey> keys)
        where TKey : struct
        where TValue : struct, IMappedView<TValue> =>
        new()
        {
            Name = name,
            Kind = SectionKind.Index,
            Stride = (uint)keys.Size,
            Fingerprint = TValue.LayoutFingerprint,
            Aux0 = (long)keys.Fingerprint,
            Aux1 = SectionIndexKinds.Sorted,
        };

    private MappedSortedIndex<TKey, TValue> OpenSorted<TKey, TValue>(SectionEntry entry, IndexKeyFormat<TKey>? keyFormat, ulong tag)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        MappedSortedIndex<TKey, TValue> index = MappedSortedIndex<TKey, TValue>.OpenInSection(this, entry, keyFormat, tag);
        (_indexes ??= []).Add(entry, index);
        return index;
    }

    /// <summary>
    /// Places <paramref name="entry"/> (not in the table) with room for every key the build can write
    /// and merges into it; its length and count are the result's. On failure the extent is freed.
    /// </summary>
    private unsafe void WriteSortedSection<TKey, TValue>(SectionEntry entry, SortedIndexBuilder<TKey, TValue> builder, MappedSortedIndex<TKey, TValue>? existing, ulong tag)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        long maximum = builder.MaximumCount(existing);
        var regions = MappedSortedIndex<TKey, TValue>.Regions(maximum, builder.KeyFormat.Size, TValue.SizeInBytes, SortedIndexHeader.DefaultBlockSize, radixBuckets: MappedSortedIndex<TKey, TValue>.RadixLimit(maximum));
        if (regions is not { } r || r.End > long.MaxValue / 4)
        {
            throw new IOException($"{_path}: {maximum} entries do not fit in a section.");
        }

        _map.ThrowIfFileTruncated($"Adding section '{entry.Name}'");
        Place(entry, Math.Max(r.End, ContainerFormat.MinimumGrowthBytes));
        try
        {
            // Nothing moves the map while the merge runs (it touches no other section), so the
            // extent's address holds; the stream writes every byte a reader checks (header,
            // keys, values, summary), so an extent reused from the free list needs no clearing.
            using var output = new UnmanagedMemoryStream(_map.OwnerPointer(entry.Offset, entry.Capacity), 0, entry.Capacity, FileAccess.ReadWrite);
            entry.Count = builder.BuildInto(output, existing, tag);
            entry.Length = output.Length;
        }
        catch
        {
            ReleaseExtent(entry.Offset, entry.Capacity, $"a sorted index section of {_path} whose build failed");
            throw;
        }
    }

    /// <summary>An extent no entry names any more: views into it refuse, and it is free space this session never reuses.</summary>
    private void ReleaseExtent(long offset, long capacity, string owner)
    {
        if (capacity <= 0)
        {
            return;
        }

        _map.Retire(offset, capacity, owner);
        if (_entries.Count < MaximumEntries || DropOneFreeEntry())
        {
            _entries.Add(new SectionEntry { Kind = SectionKind.Free, Stride = 1, Offset = offset, Length = 0, Capacity = capacity, Reusable = false });
        }
    }

    /// <summary>
    /// Gives <paramref name="entry"/> the extent <paramref name="built"/> was written into (offset,
    /// capacity, length, count, zero mark) and frees its old one: how a rebuilt or replaced index
    /// section takes its new bytes while keeping its name and place in the table.
    /// </summary>
    private void MoveToExtentOf(SectionEntry entry, SectionEntry built, string what)
    {
        long oldOffset = entry.Offset;
        long oldCapacity = entry.Capacity;
        entry.Offset = built.Offset;
        entry.Capacity = built.Capacity;
        entry.Length = built.Length;
        entry.Count = built.Count;
        entry.ZeroFrom = built.ZeroFrom;
        ReleaseExtent(oldOffset, oldCapacity, what);
    }
}
