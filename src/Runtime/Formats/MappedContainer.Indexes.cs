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
