using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;
using Overlay.Layouts;

namespace Overlay.Formats;

// Index sections (kind 4, docs/indexes.md "As a container section"): a MappedHashIndex whose
// region is a section's extent. The container keeps the open ones, so that Commit folds their
// state into their entries, a growth of any section gives them the map's new address, and
// Dispose closes them.
public sealed partial class MappedContainer
{
    private Dictionary<SectionEntry, IHostedIndex>? _indexes;

    /// <summary>
    /// Adds an empty hash index section (kind 4) and opens it: a <see cref="MappedHashIndex{TKey, TValue}"/>
    /// in this file, with the same format, lookups and changes as an index file of its own. It
    /// grows by relocating its section, and it is durable at the container's <see cref="Commit"/>
    /// (which its <see cref="MappedHashIndex{TKey, TValue}.Flush"/> calls).
    /// </summary>
    /// <typeparam name="TKey">The key type: an integer primitive, <see cref="Guid"/>, or a layout through <paramref name="keyFormat"/>.</typeparam>
    /// <typeparam name="TValue">The value layout's <c>View</c>, or <see cref="NoValue"/> for a set.</typeparam>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL; not used by another section.</param>
    /// <param name="options">Capacity, load factor, seed and tag; null for the defaults.</param>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys.</param>
    /// <returns>The open index; dispose it (or the container) when done. One instance per section at a time.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed, the key type needs a <paramref name="keyFormat"/>, or the value layout is too large.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public MappedHashIndex<TKey, TValue> AddHashIndex<TKey, TValue>(string name, HashIndexOptions? options = null, IndexKeyFormat<TKey>? keyFormat = null)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        keyFormat ??= IndexKeyFormat<TKey>.Default;
        HashIndexHeader header = MappedHashIndex<TKey, TValue>.PlanNew(options, keyFormat, out long length);
        SectionEntry entry = AddEntry(name, SectionKind.Index, header.SlotStride, header.ValueFingerprint, length);
        entry.Aux0 = (long)header.KeyFingerprint;
        entry.Aux1 = SectionIndexKinds.Hash;
        entry.Length = length;
        entry.Count = 0;
        MappedHashIndex<TKey, TValue> index = MappedHashIndex<TKey, TValue>.CreateInSection(this, entry, header, keyFormat);
        (_indexes ??= []).Add(entry, index);
        return index;
    }

    /// <summary>
    /// Adds a hash index section (kind 4) built in bulk from everything <paramref name="builder"/> was
    /// given, and opens it. The table is the one <see cref="HashIndexBuilder{TKey, TValue}.Build"/> writes
    /// to a file of its own (the same capacity and slot placement, so the count and every lookup
    /// agree with inserting the same keys into <see cref="AddHashIndex{TKey, TValue}(string, HashIndexOptions?, IndexKeyFormat{TKey}?)"/>
    /// with the same options), written front to back into a new extent through the file handle,
    /// with no page fault per page. The section joins the table only once its table is whole, and is
    /// durable at the container's <see cref="Commit"/>: a crash before it leaves the container as it
    /// was (the extent is free space the committed table does not name). It is then an ordinary hash
    /// section: <see cref="HashIndex{TKey, TValue}"/> opens it, and it takes inserts and grows.
    /// The builder is empty afterwards, unless it was refused before anything was written (a taken
    /// name, bad options).
    /// </summary>
    /// <remarks>
    /// The builder's spill file stays in its run directory; its partitions (past the memory budget)
    /// go beside the container as <c>{container}.hash-build-*.part*.tmp</c>, deleted as they are
    /// used; a crash may leave them for the caller to remove.
    /// </remarks>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value layout's <c>View</c>, or <see cref="NoValue"/> for a set.</typeparam>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL; not used by another section.</param>
    /// <param name="builder">The entries (its key format is the index's); of several with one key the last added is kept.</param>
    /// <param name="options">Capacity, load factor, seed and tag, as for an insert-built section; null for the defaults. The capacity is planned for every entry added.</param>
    /// <returns>The open index; dispose it (or the container) when done. One instance per section at a time.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is invalid or taken (the builder keeps its entries).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the builder keeps its entries).</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="IOException">The spill or a partition file cannot be written or read, the keys do not fit in a table, or the file cannot grow; the container is as it was.</exception>
    /// <exception cref="ObjectDisposedException">The container or the builder is closed.</exception>
    public MappedHashIndex<TKey, TValue> BuildHashIndex<TKey, TValue>(string name, HashIndexBuilder<TKey, TValue> builder, HashIndexOptions? options = null)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckNewEntry(name);
        HashIndexHeader plan = builder.Plan(options);
        SectionEntry entry = NewHashEntry(name, plan);
        WriteHashSection(entry, builder, plan);

        // A retry at twice the capacity may have moved the extent, leaving a free entry behind.
        if (_entries.Count >= MaximumEntries)
        {
            DropOneFreeEntry();
        }

        _entries.Add(entry);
        return OpenHash<TKey, TValue>(entry, builder.KeyFormat, plan.Tag);
    }

    /// <summary>
    /// Replaces the hash index section called <paramref name="name"/> with one built in bulk from
    /// <paramref name="builder"/>'s entries (and only them: add the old entries to the builder first
    /// to keep them), crash-safely: the table is written into a new extent (as
    /// <see cref="BuildHashIndex{TKey, TValue}"/>
    /// writes it), which replaces the old one in the table only once it is whole; the old extent
    /// becomes free space (reused by a later session, or dropped by <see cref="Compact"/>). Until
    /// the next <see cref="Commit"/> a crash leaves the old index. The section's open index, if any,
    /// is closed (its views, and any taken before, throw afterwards; its changes since the last
    /// commit are dropped with it); the new one is returned.
    /// </summary>
    /// <typeparam name="TKey">The key type the index was made for.</typeparam>
    /// <typeparam name="TValue">The value view type the index was made for.</typeparam>
    /// <param name="name">The section's name.</param>
    /// <param name="builder">The entries (its key format is the index's). It is empty afterwards.</param>
    /// <param name="options">The new table's capacity, load factor, seed and tag; null for the defaults. The old index must carry the same tag.</param>
    /// <returns>The new index, open.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (nothing changed; the builder keeps its entries).</exception>
    /// <exception cref="InvalidDataException">The section is not a hash index of these types and tag, or it is damaged or needs recovery (nothing changed; the builder keeps its entries).</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The section's index is open with other types, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="IOException">The spill or a partition file cannot be written or read, the keys do not fit in a table, or the file cannot grow; the old index is unchanged.</exception>
    /// <exception cref="ObjectDisposedException">The container or the builder is closed.</exception>
    public MappedHashIndex<TKey, TValue> ReplaceHashIndex<TKey, TValue>(string name, HashIndexBuilder<TKey, TValue> builder, HashIndexOptions? options = null)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        ArgumentNullException.ThrowIfNull(builder);
        SectionEntry old = GetEntry(name, SectionKind.Index);
        ThrowIfNotWritable();
        HashIndexHeader plan = builder.Plan(options);
        MappedHashIndex<TKey, TValue>? existing = null;
        if (_indexes is not null && _indexes.TryGetValue(old, out IHostedIndex? open))
        {
            existing = open as MappedHashIndex<TKey, TValue>
                ?? throw new InvalidOperationException($"{_path}: the index in section '{name}' is open as {open.GetType().Name}; dispose it before replacing it with a MappedHashIndex<{typeof(TKey).Name}, {typeof(TValue).Name}>.");
            if (old.Aux0 != (long)builder.KeyFormat.Fingerprint)
            {
                throw ContainerReader.Invalid(_path, $"section '{name}' stores keys of fingerprint 0x{old.Aux0:X16}, not the builder's 0x{builder.KeyFormat.Fingerprint:X16} ({builder.KeyFormat.Name})");
            }

            if (existing.Tag != plan.Tag)
            {
                throw ContainerReader.Invalid(_path, $"section '{name}' carries the tag 0x{existing.Tag:X16}, not 0x{plan.Tag:X16}");
            }
        }
        else
        {
            // Every check an open makes (types, tag, header, state); nothing is kept open.
            MappedHashIndex<TKey, TValue>.OpenInSection(this, old, builder.KeyFormat, plan.Tag, recover: false).Dispose();
        }

        SectionEntry fresh = NewHashEntry(name, plan);
        WriteHashSection(fresh, builder, plan);
        if (existing is not null)
        {
            // Closed without a flush: its changes since the commit would go to the extent dropped below.
            _indexes!.Remove(old);
            ((IHostedIndex)existing).Detach();
        }

        old.Stride = fresh.Stride;
        old.Fingerprint = fresh.Fingerprint;
        old.Aux0 = fresh.Aux0;
        old.Aux1 = fresh.Aux1;
        MoveToExtentOf(old, fresh, $"section '{name}' of {_path} (before its replacement)");
        return OpenHash<TKey, TValue>(old, builder.KeyFormat, plan.Tag);
    }

    /// <summary>
    /// Opens the hash index section called <paramref name="name"/>, checking its entry and its
    /// header against the types and against each other (<see cref="InvalidDataException"/> naming
    /// the difference). A read-only container gives a read-only index.
    /// </summary>
    /// <typeparam name="TKey">The key type the index was made for.</typeparam>
    /// <typeparam name="TValue">The value layout's <c>View</c>, or its <c>ReadOnlyView</c> (the only kind a read-only container hands out), or <see cref="NoValue"/>.</typeparam>
    /// <param name="name">The section's name.</param>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys.</param>
    /// <param name="tag">The application tag the index must carry (<see cref="HashIndexOptions.Tag"/>).</param>
    /// <param name="recover">
    /// For a writable container: open an index changed after the container's last <see cref="Commit"/>
    /// by a writer that crashed, and rebuild it from its slots and rescue area (as an index file's
    /// <c>Open(recover: true)</c>). Without it such an index is refused with <see cref="InvalidDataException"/>.
    /// A read-only container opens it as its pages are (lookups stay bounded; a writer recovers it).
    /// </param>
    /// <returns>The open index; dispose it (or the container) when done.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="recover"/> is set on a read-only container.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="InvalidDataException">The section is not a hash index of these types, or its entry or header is damaged, or it needs recovery.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TValue"/> is writable but the container is read-only.</exception>
    /// <exception cref="InvalidOperationException">The section's index is already open.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public MappedHashIndex<TKey, TValue> HashIndex<TKey, TValue>(string name, IndexKeyFormat<TKey>? keyFormat = null, ulong tag = 0, bool recover = false)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        SectionEntry entry = GetEntry(name, SectionKind.Index);
        if (_indexes is not null && _indexes.ContainsKey(entry))
        {
            throw new InvalidOperationException($"{_path}: the index in section '{name}' is already open; dispose it before opening it again.");
        }

        MappedHashIndex<TKey, TValue> index = MappedHashIndex<TKey, TValue>.OpenInSection(this, entry, keyFormat, tag, recover);
        (_indexes ??= []).Add(entry, index);
        return index;
    }

    private static SectionEntry NewHashEntry(string name, in HashIndexHeader plan) =>
        new()
        {
            Name = name,
            Kind = SectionKind.Index,
            Stride = plan.SlotStride,
            Fingerprint = plan.ValueFingerprint,
            Aux0 = (long)plan.KeyFingerprint,
            Aux1 = SectionIndexKinds.Hash,
        };

    private MappedHashIndex<TKey, TValue> OpenHash<TKey, TValue>(SectionEntry entry, IndexKeyFormat<TKey> keyFormat, ulong tag)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        MappedHashIndex<TKey, TValue> index = MappedHashIndex<TKey, TValue>.OpenInSection(this, entry, keyFormat, tag, recover: false);
        (_indexes ??= []).Add(entry, index);
        return index;
    }

    /// <summary>
    /// Has <paramref name="builder"/> write its table into a new extent for <paramref name="entry"/>
    /// (not in the table); the entry's length and count are then the table's. On failure the
    /// extent is freed and the builder is empty.
    /// </summary>
    private void WriteHashSection<TKey, TValue>(SectionEntry entry, HashIndexBuilder<TKey, TValue> builder, in HashIndexHeader plan)
        where TKey : struct
        where TValue : struct, IMappedView<TValue>
    {
        _map.ThrowIfFileTruncated($"Adding section '{entry.Name}'");
        try
        {
            HashIndexHeader header = builder.BuildInto(new SectionTableSink(this, entry), plan, $"{_path}.hash-build-{Guid.NewGuid():N}");
            entry.Length = HashIndexHeader.Size + (((long)header.Capacity + header.TailSlots) * header.SlotStride);
            entry.Count = (long)header.Count;

            // Every byte of the table was written; past it, an extent at the end of the file is still zeros.
            entry.ZeroFrom = Math.Max(entry.ZeroFrom, entry.Length);
        }
        catch
        {
            ReleaseExtent(entry.Offset, entry.Capacity, $"a hash index section of {_path} whose build failed");
            throw;
        }
    }

    /// <summary>
    /// A bulk-built table's extent: placed at the first attempt, grown (moved if it must) for a retry
    /// at twice the capacity. Written through the file handle (<c>pwrite</c>): the builder writes
    /// every byte of the table, header last, in large chunks, and storing them through the map would
    /// take a page fault per page; the page cache is the map's, so the commit's flush makes them durable.
    /// </summary>
    private sealed class SectionTableSink(MappedContainer container, SectionEntry entry) : HashTableSink
    {
        public override long FileOffset => entry.Offset;

        public override void Reserve(long regionLength)
        {
            if (entry.Capacity == 0)
            {
                container.Place(entry, Math.Max(regionLength, ContainerFormat.MinimumGrowthBytes));
            }
            else
            {
                // Nothing written is kept: a move copies none of the first attempt's bytes.
                entry.Length = 0;
                container.EnsureCapacity(entry, regionLength);
            }
        }

        public override void Write(ReadOnlySpan<byte> data, long offset)
        {
            if (offset < 0 || offset > entry.Capacity - data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"{data.Length} bytes at {offset} pass the section's {entry.Capacity}-byte extent.");
            }

            MemoryMap map = container._map;
            if (map.CanWriteThroughFile)
            {
                map.WriteThroughFile(entry.Offset + offset, data);
            }
            else
            {
                map.WriteAt(entry.Offset + offset, data);
            }
        }
    }

    internal bool IsClosed => _disposed;

    /// <summary>Grows an index's section to <paramref name="required"/> bytes; <paramref name="relocate"/>: to a new extent even if it is the last one.</summary>
    internal void GrowIndexSection(SectionEntry entry, long required, bool relocate) => EnsureCapacity(entry, required, relocate);

    /// <summary>An index closed: the container forgets it.</summary>
    internal void ReleaseIndex(SectionEntry entry) => _indexes?.Remove(entry);

    /// <summary>At the start of <see cref="Commit"/>: each open index flushes and folds its count and length into its entry.</summary>
    private void FlushIndexes()
    {
        if (_indexes is not null)
        {
            foreach (IHostedIndex index in _indexes.Values)
            {
                index.FlushForCommit();
            }
        }
    }

    /// <summary>At the end of <see cref="Commit"/>: the open indexes' extents are the committed ones.</summary>
    private void IndexesCommitted()
    {
        if (_indexes is not null)
        {
            foreach (IHostedIndex index in _indexes.Values)
            {
                index.Committed();
            }
        }
    }

    /// <summary>After the map was resized (it may have moved): the open indexes take their slots' address again.</summary>
    private void IndexesMapMoved()
    {
        if (_indexes is not null)
        {
            foreach (IHostedIndex index in _indexes.Values)
            {
                index.MapMoved();
            }
        }
    }

    /// <summary>When the container closes: its open indexes close too (without flushing, as the container does not commit).</summary>
    private void DetachIndexes()
    {
        if (_indexes is not null)
        {
            foreach (IHostedIndex index in _indexes.Values)
            {
                index.Detach();
            }

            _indexes = null;
        }
    }
}
