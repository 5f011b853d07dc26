using System;
using System.IO;
using Overlay.Formats;

namespace Overlay.Indexes;

// The index hosted in a section (kind 4) of a container (docs/indexes.md, "As a container
// section"): the same header, slots, probes and relayouts at the section's offset. What differs:
// the container owns the map (it tells the index when the map moved or closed), the region grows
// by the container's relocation, and the durable point is the container's Commit, at which the
// index flushes and its count and table length are folded into the section entry.
public sealed unsafe partial class MappedHashIndex<TKey, TValue> : IHostedIndex
{
    // The section's offset in the table of the last commit (or of the open): an extent a committed
    // table names never grows in place, so that a crash leaves recovery every byte it needs inside
    // the committed extent. -1 for a section added since.
    private long _committedBase = -1;

    // Bytes of a new section's table, relative to its start, to pre-fault at the first change; none when equal.
    private long _prefaultFrom;
    private long _prefaultTo;

    /// <summary>Adds an index to <paramref name="entry"/>, a new section of <paramref name="header"/>'s region length: zeros, then the header.</summary>
    internal static MappedHashIndex<TKey, TValue> CreateInSection(MappedContainer host, SectionEntry entry, in HashIndexHeader header, IndexKeyFormat<TKey> keyFormat)
    {
        MemoryMap map = host.LiveMap;

        // Inserts land on random slots: as the file form's Create pre-faults its table, the fresh
        // part of the extent (zero already: the file grew there) is faulted in with one call, at the
        // first change (MarkDirtySlow), not now: a Commit of the empty index in between would
        // otherwise write every pre-faulted (dirty) zero page. Old bytes are cleared now.
        long fresh = host.ClearUnlessZero(entry, 0, entry.Length);
        Span<byte> bytes = stackalloc byte[HashIndexHeader.Size];
        header.Write(bytes);
        map.WriteAt(entry.Offset, bytes);
        return new MappedHashIndex<TKey, TValue>(keyFormat, host, entry, header, 0)
        {
            _prefaultFrom = Math.Max(fresh, HashIndexHeader.Size),
            _prefaultTo = entry.Length,
        };
    }

    /// <summary>
    /// Opens the index of section <paramref name="entry"/>: every check a file's <c>Open</c> makes,
    /// against the section's capacity instead of the file's length, and the entry's own fields
    /// against the header's.
    /// </summary>
    internal static MappedHashIndex<TKey, TValue> OpenInSection(MappedContainer host, SectionEntry entry, IndexKeyFormat<TKey>? keyFormat, ulong tag, bool recover)
    {
        keyFormat ??= IndexKeyFormat<TKey>.Default;
        int stride = SlotStride(keyFormat);
        string path = $"{host.Path} (section '{entry.Name}')";
        bool writer = host.CanWrite;
        if (!writer && !TValue.IsReadOnly)
        {
            throw new NotSupportedException($"{host.Path} is not writable, so its index '{entry.Name}' hands out read-only views only, but {typeof(TValue).FullName} is writable: use the layout's ReadOnlyView.");
        }

        if (recover && !writer)
        {
            throw new ArgumentException("Only a writer can recover an index: open the container with MapAccess.Write.", nameof(recover));
        }

        if (entry.Aux1 != SectionIndexKinds.Hash)
        {
            throw Invalid(path, keyFormat, $"its section entry says index type {entry.Aux1}, not a hash index ({SectionIndexKinds.Hash})");
        }

        if (entry.Length < HashIndexHeader.Size)
        {
            throw Invalid(path, keyFormat, $"its section is {entry.Length} bytes long, shorter than the {HashIndexHeader.Size}-byte header");
        }

        if (entry.Stride != (uint)stride || entry.Fingerprint != TValue.LayoutFingerprint || entry.Aux0 != (long)keyFormat.Fingerprint)
        {
            throw Invalid(path, keyFormat, $"its section entry says slots of {entry.Stride} bytes, value fingerprint 0x{entry.Fingerprint:X16} and key fingerprint 0x{entry.Aux0:X16}; expected {stride} bytes, 0x{TValue.LayoutFingerprint:X16} ({typeof(TValue).FullName}) and 0x{keyFormat.Fingerprint:X16} ({keyFormat.Name}): it was made for other types");
        }

        // The container checked the extent against the file; the header is read from inside it.
        MemoryMap map = host.LiveMap;
        Span<byte> bytes = stackalloc byte[HashIndexHeader.Size];
        map.ReadAt(entry.Offset, bytes);
        HashIndexHeader header = HashIndexHeader.Read(bytes);
        long count = Validate(header, entry.Capacity, path, keyFormat, stride, tag, recover);

        // The header agrees with the committed entry when nothing changed since the commit (or
        // when the index was flushed and the commit cut short, which recovery handles alike).
        long table = HashIndexHeader.Size + (((long)header.Capacity + header.TailSlots) * stride);
        bool committed = header.State == HashIndexHeader.Clean && header.Count == (ulong)entry.Count && entry.Length == table;
        if (!committed && writer && !recover)
        {
            throw Invalid(path, keyFormat, $"it was changed after the container's last Commit (its header says state {header.State}, {header.Count} entries and a {table}-byte table; its section entry {entry.Count} entries and {entry.Length} bytes) by a writer that did not commit (it crashed or was killed); open it with recover: true to rebuild it from its slots");
        }

        var index = new MappedHashIndex<TKey, TValue>(keyFormat, host, entry, header, count) { _committedBase = entry.Offset };
        if (recover && !committed)
        {
            index.Rebuild((long)header.RescueOffset, (long)header.RescueCount);
        }

        return index;
    }

    /// <summary>
    /// Makes the region at least <paramref name="regionLength"/> bytes: a file of its own grows; a
    /// section grows through the container, relocating if its extent is the committed one. The
    /// slots' address is taken again in every case (the map may have moved).
    /// </summary>
    private void EnsureRegion(long regionLength)
    {
        try
        {
            if (_entry is null)
            {
                if (_base + regionLength > _map.Length)
                {
                    _map.ResizeAsOwner(_base + regionLength);
                }
            }
            else if (regionLength > _entry.Capacity)
            {
                // What a move must carry: the table, and the rescue area the header may name.
                _entry.Length = Math.Max(RegionLength, _liveRescueEnd);
                _host!.GrowIndexSection(_entry, regionLength, relocate: _entry.Offset == _committedBase);
                _base = _entry.Offset;
            }
        }
        finally
        {
            _slots = _map.OwnerPointer(SlotsOffset, _slotCount * _stride);
        }
    }

    /// <summary>After the index's flush: the entry's length and count are the header's, for the next commit.</summary>
    private void SyncEntry()
    {
        if (_entry is not null)
        {
            _entry.Length = RegionLength;
            _entry.Count = _count;
        }
    }

    /// <inheritdoc/>
    void IHostedIndex.FlushForCommit() => FlushIndex();

    /// <inheritdoc/>
    void IHostedIndex.Committed() => _committedBase = _base;

    /// <inheritdoc/>
    void IHostedIndex.MapMoved()
    {
        if (!_disposed)
        {
            _slots = _map.OwnerPointer(SlotsOffset, _slotCount * _stride);
        }
    }

    /// <inheritdoc/>
    void IHostedIndex.Detach() => Detach();

    private void Detach()
    {
        _disposed = true;
        _slots = null;
        GC.SuppressFinalize(this);
    }
}
