using System;
using System.IO;

namespace Overlay.Formats;

// Growth by relocation with doubling (docs/formats.md §2): a section is one contiguous extent;
// the last extent in the file grows in place, any other moves to a free extent found on open or
// to the end of the file, and leaves a free extent behind that this session never reuses.
public sealed partial class MappedContainer
{
    /// <summary>Makes room for at least <paramref name="required"/> bytes in <paramref name="entry"/>'s extent; <paramref name="relocate"/>: never in place (an index's committed extent, MappedContainer.Indexes.cs).</summary>
    internal void EnsureCapacity(SectionEntry entry, long required, bool relocate = false)
    {
        ThrowIfNotWritable();
        if (required <= entry.Capacity)
        {
            return;
        }

        if (required > long.MaxValue / 4)
        {
            throw new IOException($"{_path}: section '{entry.Name}' cannot grow to {required} bytes.");
        }

        // Growth is rare and may copy the section or extend the file: one fstat first refuses a
        // file another process cut under the map, before anything touches the lost pages.
        _map.ThrowIfFileTruncated($"Growing section '{entry.Name}'");

        long capacity = ContainerFormat.AlignUp(Math.Max(required, Math.Max(entry.Capacity * 2, ContainerFormat.MinimumGrowthBytes)), ContainerFormat.ExtentAlignment);
        if (!relocate && IsLastExtent(entry))
        {
            // Resize refuses (InvalidOperationException) while anything is exported, before it changes anything.
            _map.ResizeAsOwner(entry.Offset + capacity);
            IndexesMapMoved();
            entry.Capacity = capacity;
            return;
        }

        // A moving section must not be exported or pinned: a span or Memory over its old extent would
        // silently write to dead bytes.
        if (_map.ExportCount > 1)   // the container's own hold (it owns the map) is the one allowed
        {
            throw new InvalidOperationException($"{_path}: section '{entry.Name}' must move to grow, but memory of the map is exported or pinned.");
        }

        long oldOffset = entry.Offset;
        long oldCapacity = entry.Capacity;
        long used = entry.Length;
        var moved = new SectionEntry();
        Place(moved, capacity);
        _map.Move(moved.Offset, oldOffset, used);
        entry.Offset = moved.Offset;
        entry.Capacity = moved.Capacity;
        entry.ZeroFrom = Math.Max(used, moved.ZeroFrom);

        // Views and arrays taken before the move hold offsets into the old extent: the map's typed
        // accessors now refuse them (InvalidOperationException) instead of letting them read the dead
        // copy and lose their writes. Safe for the whole session, which never reuses the extent.
        if (oldCapacity > 0)
        {
            _map.Retire(oldOffset, oldCapacity, $"section '{entry.Name}' of {_path}");
        }

        // The old extent: free, but not reusable in this session (docs/formats.md §3).
        if (oldCapacity > 0 && (_entries.Count < MaximumEntries || DropOneFreeEntry()))
        {
            _entries.Add(new SectionEntry { Kind = SectionKind.Free, Stride = 1, Offset = oldOffset, Length = 0, Capacity = oldCapacity, Reusable = false });
        }
    }

    /// <summary>Clears bytes <c>[from, from + count)</c> of a section that may hold what a crashed writer left, before they are handed out.</summary>
    internal void PrepareBytes(SectionEntry entry, long from, long count)
    {
        if (from < entry.ZeroFrom)
        {
            long dirty = Math.Min(count, entry.ZeroFrom - from);
            _map.Fill(entry.Offset + from, dirty, 0);
        }
    }

    /// <summary>
    /// Makes bytes <c>[from, from + count)</c> of <paramref name="entry"/> zero without touching
    /// what is zero already: bytes the file's growth added (a new section at the end of the file) are
    /// left alone, unfaulted and clean, and only bytes that may hold what a section or a crashed
    /// writer left (an extent from the free list) are cleared. Returns where the untouched part
    /// begins, so that the caller can pre-fault it (<see cref="MemoryMap.TryPrefaultForWrite"/>) when
    /// it is about to write it, rather than have a commit before then write zero pages.
    /// </summary>
    internal long ClearUnlessZero(SectionEntry entry, long from, long count)
    {
        long clean = Math.Clamp(entry.ZeroFrom, from, from + count);
        if (clean > from)
        {
            _map.Fill(entry.Offset + from, clean - from, 0);
        }

        return clean;
    }

    /// <summary>Gives <paramref name="entry"/> a new extent of <paramref name="capacity"/> bytes: a reusable free extent, or the end of the file.</summary>
    private void Place(SectionEntry entry, long capacity)
    {
        capacity = ContainerFormat.AlignUp(capacity, ContainerFormat.ExtentAlignment);
        for (int i = 0; i < _entries.Count; i++)
        {
            SectionEntry free = _entries[i];
            if (free.Kind != SectionKind.Free || !free.Reusable || free.Capacity < capacity || free.Offset % ContainerFormat.ExtentAlignment != 0)
            {
                continue;
            }

            entry.Offset = free.Offset;
            if (free.Capacity - capacity >= ContainerFormat.MinimumGrowthBytes)
            {
                free.Offset += capacity;
                free.Capacity -= capacity;
                entry.Capacity = capacity;
            }
            else
            {
                entry.Capacity = free.Capacity;
                RemoveEntryAt(i);
            }

            entry.ZeroFrom = entry.Capacity; // a section used these bytes once: none is known zero
            return;
        }

        long start = ContainerFormat.AlignUp(_map.Length, ContainerFormat.ExtentAlignment);
        if (start > long.MaxValue / 2 - capacity)
        {
            throw new IOException($"{_path} cannot grow by {capacity} bytes.");
        }

        _map.ResizeAsOwner(start + capacity);
        IndexesMapMoved();
        entry.Offset = start;
        entry.Capacity = capacity;
        entry.ZeroFrom = 0; // ftruncate extended the file with zeros
    }

    private bool IsLastExtent(SectionEntry entry)
    {
        if (entry.End != _map.Length)
        {
            return false;
        }

        foreach (SectionEntry other in _entries)
        {
            // Another extent at or after this one's start (even an empty one) would be overrun.
            if (!ReferenceEquals(other, entry) && (other.End > entry.Offset || other.Offset >= entry.Offset))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Forgets one free extent (its bytes stay in the file until <see cref="Compact"/>) to make room in the table.</summary>
    private bool DropOneFreeEntry()
    {
        int index = _entries.FindIndex(static e => e.Kind == SectionKind.Free);
        if (index < 0)
        {
            return false;
        }

        RemoveEntryAt(index);
        return true;
    }

    /// <summary>Removes a table entry, keeping every schema reference (a table index + 1) pointing at the same section.</summary>
    private void RemoveEntryAt(int index)
    {
        _entries.RemoveAt(index);
        foreach (SectionEntry entry in _entries)
        {
            if (entry.Schema > index + 1)
            {
                entry.Schema--;
            }
        }
    }
}
