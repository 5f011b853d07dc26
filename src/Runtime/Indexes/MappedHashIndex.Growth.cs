using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Overlay.Indexes;

// Growth and recovery lay the table out again, in the same file, crash-safely (docs/indexes.md,
// "Growth" and "Durability"): the table is flushed first; every entry that may move is copied to a
// rescue area after the table and synced; the header says "relayout" and where the rescue is, and
// is synced; only then do entries move. A crash from there on leaves the rescue, which recovery
// reads first, and the slots that did not move, which nothing wrote.
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>
    /// Doubles the table in place, and ends as a flush does (the changes made before it are then
    /// durable too). No flush is needed before it: since the last one nothing moved an entry, so
    /// the entries a crash must keep are in slots the relayout either leaves alone or copies to
    /// the rescue first. See <see cref="DoubleOnce"/> for the moves; entries a doubling cannot
    /// place (their run reaches the end of the table) are carried into the next doubling.
    /// Tombstones are dropped on the way.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        // Growth resizes (system calls anyway) after writing the header: one fstat first refuses a
        // file another process cut under the map, before anything touches the lost pages.
        _map.ThrowIfFileTruncated("Growing the index");
        MarkDirty();
        _removed.Clear();
        List<byte[]> carried = DoubleOnce([]);
        while (carried.Count > 0)
        {
            // Entries placed so far must be on disk before the next rescue replaces this one.
            _map.Flush(_base, RegionLength);
            carried = DoubleOnce(carried);
        }

        FinishRelayout();
    }

    /// <summary>
    /// One doubling in place. The entries of the old tail and each entry whose new home is not its
    /// slot (with <paramref name="carried"/>) go to the rescue area first. Then the old tail's
    /// entries are taken out, and each old slot j, in increasing order, whose entry's new home is
    /// not j is emptied and its entry placed at the first empty slot from its new home. Why that is
    /// enough: the new home of an entry with old home i is i or i + capacity; from i the first empty
    /// slot is at most j (just emptied), and every slot before j was already placed and stays full,
    /// so no run that a placed entry relies on is broken later; the upper half holds only placed
    /// entries. The old tail's entries, and any placement that would run off the end, are inserted
    /// last; those that still do not fit are returned.
    /// </summary>
    private List<byte[]> DoubleOnce(List<byte[]> carried)
    {
        long oldCapacity = _capacity;
        long newCapacity = oldCapacity * 2;
        long newSlotCount = newCapacity + _tail;
        if (newCapacity > MaximumCapacity || newSlotCount > (long.MaxValue / 2 - _base - HashIndexHeader.Size) / _stride)
        {
            throw new IOException($"{_path}: the index cannot grow past {oldCapacity} slots of {_stride} bytes.");
        }

        ulong newMask = (ulong)newCapacity - 1;
        long oldEnd = _slotCount;
        long movers = carried.Count;
        for (long j = 0; j < oldEnd; j++)
        {
            ulong hash = Unsafe.ReadUnaligned<ulong>(Slot(j));
            if (hash > Removed && (j >= oldCapacity || (long)(hash & newMask) != j))
            {
                movers++;
            }
        }

        WriteRescue(HashIndexHeader.Size + (newSlotCount * _stride), movers, (write) =>
        {
            foreach (byte[] entry in carried)
            {
                write(entry);
            }

            for (long j = 0; j < oldEnd; j++)
            {
                byte* p = Slot(j);
                ulong hash = Unsafe.ReadUnaligned<ulong>(p);
                if (hash > Removed && (j >= oldCapacity || (long)(hash & newMask) != j))
                {
                    write(new ReadOnlySpan<byte>(p, _stride));
                }
            }
        });

        // The upper half may hold a dead rescue area of an earlier relayout: zeros first.
        _slots = _map.OwnerPointer(SlotsOffset, newSlotCount * _stride);
        ClearSlots(oldEnd, newSlotCount - oldEnd);

        var pending = new List<byte[]>(carried);
        for (long i = oldCapacity; i < oldEnd; i++)
        {
            byte* p = Slot(i);
            if (Unsafe.ReadUnaligned<ulong>(p) > Removed)
            {
                pending.Add(new ReadOnlySpan<byte>(p, _stride).ToArray());
            }

            new Span<byte>(p, _stride).Clear();
        }

        SetCapacity(newCapacity);
        byte[] moving = new byte[_stride];
        fixed (byte* temp = moving)
        {
            for (long j = 0; j < oldCapacity; j++)
            {
                byte* p = Slot(j);
                ulong hash = Unsafe.ReadUnaligned<ulong>(p);
                if (hash == Removed)
                {
                    // A removal's tombstone: emptying it is a move to nowhere, which the argument
                    // above allows.
                    new Span<byte>(p, _stride).Clear();
                    continue;
                }

                if (hash == 0 || (long)(hash & _mask) == j)
                {
                    continue;
                }

                Buffer.MemoryCopy(p, temp, _stride, _stride);
                new Span<byte>(p, _stride).Clear();
                long target = FindEmpty(hash);
                if (target < 0)
                {
                    pending.Add(moving.AsSpan().ToArray());
                }
                else
                {
                    WriteSlot(target, temp);
                }
            }
        }

        return PlaceAll(pending);
    }

    /// <summary>Places whole slots (hash, key, value) at the first empty slot from their home; returns those whose run reaches the end.</summary>
    private List<byte[]> PlaceAll(List<byte[]> entries)
    {
        var unplaced = new List<byte[]>();
        foreach (byte[] entry in entries)
        {
            long target = FindEmpty(BitConverter.ToUInt64(entry, 0));
            if (target < 0)
            {
                unplaced.Add(entry);
                continue;
            }

            fixed (byte* p = entry)
            {
                WriteSlot(target, p);
            }
        }

        return unplaced;
    }

    /// <summary>
    /// Copies a whole slot into slot <paramref name="target"/>: its hash 0 first (the slot reads as
    /// empty), then key and value, then the hash. A copy cut short by a crash is an empty slot or
    /// the whole entry, never a key with another entry's value.
    /// </summary>
    private void WriteSlot(long target, byte* from)
    {
        byte* to = Slot(target);
        Volatile.Write(ref *(ulong*)to, 0UL);
        Buffer.MemoryCopy(from + sizeof(ulong), to + sizeof(ulong), _stride - sizeof(ulong), _stride - sizeof(ulong));
        Volatile.Write(ref *(ulong*)to, Unsafe.ReadUnaligned<ulong>(from));
    }

    /// <summary>
    /// Writes <paramref name="count"/> whole slots to a rescue area placed after both the table of
    /// <paramref name="tableEnd"/> bytes and the rescue the header names, if any (it stays live
    /// until this one is on disk and named instead), syncs it, then writes the header in state <see cref="HashIndexHeader.Relayout"/>
    /// (current capacity and count, the rescue's place) and syncs it. Returns the rescue's offset.
    /// </summary>
    private long WriteRescue(long tableEnd, long count, Action<SlotWriter> fill)
    {
        long page = Environment.SystemPageSize;
        long rescue = Math.Max(tableEnd, _liveRescueEnd);
        rescue = (rescue + page - 1) / page * page;
        long bytes = count * _stride;
        EnsureRegion(rescue + bytes);

        if (count > 0)
        {
            byte* to = _map.OwnerPointer(_base + rescue, bytes);
            long written = 0;
            fill(slot =>
            {
                if (written >= count)
                {
                    throw new InvalidOperationException("The rescue area is too small: a bug in its count.");
                }

                slot.CopyTo(new Span<byte>(to + (written * _stride), _stride));
                written++;
            });
            _map.Flush(_base + rescue, bytes);
        }

        _dirty = true;
        WriteHeader(HashIndexHeader.Relayout, rescue, count);
        _map.Flush(_base, HashIndexHeader.Size);
        _liveRescueEnd = rescue + bytes;
        return rescue;
    }

    /// <summary>Ends a relayout: slots, then the clean header (no rescue), each synced.</summary>
    private void FinishRelayout()
    {
        _dirty = true;
        FlushIndex();
        _version++;
    }

    /// <summary>
    /// Rebuilds the table after a crash, from the rescue area of an interrupted relayout (first: it
    /// was complete and synced before anything moved) and from every slot whose stored hash is its
    /// key's (a removed entry, a planted or damaged slot fail that; of two copies of a key, which
    /// only an interrupted relayout leaves, the rescued one wins). The rebuilt table is laid out
    /// through a rescue area of its own, so a crash during recovery loses nothing either.
    /// </summary>
    private void Rebuild(long rescueOffset, long rescueCount)
    {
        _liveRescueEnd = rescueOffset + (rescueCount * _stride);
        var entries = new HashSet<byte[]>(new SlotKeyComparer(_keySize));
        for (long i = 0; i < rescueCount; i++)
        {
            byte* p = _map.OwnerPointer(_base + rescueOffset + (i * _stride), _stride);
            Keep(entries, p);
        }

        for (long i = 0; i < _slotCount; i++)
        {
            Keep(entries, Slot(i));
        }

        long capacity = _capacity;
        while ((long)entries.Count > capacity * _maxLoadPercent / 100 && capacity < MaximumCapacity)
        {
            capacity *= 2;
        }

        long slotCount = capacity + _tail;
        if (slotCount > (long.MaxValue / 2 - _base - HashIndexHeader.Size) / _stride)
        {
            throw new IOException($"{_path}: the index cannot hold {entries.Count} entries.");
        }

        WriteRescue(HashIndexHeader.Size + (slotCount * _stride), entries.Count, write =>
        {
            foreach (byte[] entry in entries)
            {
                write(entry);
            }
        });

        _slots = _map.OwnerPointer(SlotsOffset, slotCount * _stride);
        ClearSlots(0, slotCount);
        SetCapacity(capacity);
        List<byte[]> carried = PlaceAll([.. entries]);
        _count = entries.Count - carried.Count;
        while (carried.Count > 0)
        {
            _map.Flush(_base, RegionLength);
            _count += carried.Count;
            carried = DoubleOnce(carried);
            _count -= carried.Count;
        }

        FinishRelayout();
    }

    /// <summary>
    /// Compacts the tombstones of removals (at a flush): each run of full slots from a tombstone to
    /// the next empty slot is emptied and its live entries placed again from their homes, in slot
    /// order (each lands at or before where it was, so the runs stay unbroken). The live entries of
    /// those runs go to a rescue area first, synced, as for a growth.
    /// </summary>
    private void Compact()
    {
        _removed.Sort();
        var runs = new List<(long From, long To)>();
        long end = -1;
        long movers = 0;
        foreach (long slot in _removed)
        {
            if (slot < end || Unsafe.ReadUnaligned<ulong>(Slot(slot)) != Removed)
            {
                continue;
            }

            end = slot;
            while (end < _slotCount && Unsafe.ReadUnaligned<ulong>(Slot(end)) != 0)
            {
                movers += Unsafe.ReadUnaligned<ulong>(Slot(end)) > Removed ? 1 : 0;
                end++;
            }

            runs.Add((slot, end));
        }

        _removed.Clear();
        if (movers > 0)
        {
            WriteRescue(RegionLength, movers, write =>
            {
                foreach ((long from, long to) in runs)
                {
                    for (long i = from; i < to; i++)
                    {
                        byte* p = Slot(i);
                        if (Unsafe.ReadUnaligned<ulong>(p) > Removed)
                        {
                            write(new ReadOnlySpan<byte>(p, _stride));
                        }
                    }
                }
            });
        }

        foreach ((long from, long to) in runs)
        {
            var live = new List<byte[]>();
            for (long i = from; i < to; i++)
            {
                byte* p = Slot(i);
                if (Unsafe.ReadUnaligned<ulong>(p) > Removed)
                {
                    live.Add(new ReadOnlySpan<byte>(p, _stride).ToArray());
                }
            }

            ClearSlots(from, to - from);
            if (PlaceAll(live).Count > 0)
            {
                throw new InvalidOperationException($"{_path}: an entry found no slot while tombstones were compacted, which cannot happen.");
            }
        }

        _version++;
    }

    private void Keep(HashSet<byte[]> entries, byte* p)
    {
        ulong hash = Unsafe.ReadUnaligned<ulong>(p);
        if (hash > Removed && HashOf(new ReadOnlySpan<byte>(p + sizeof(ulong), _keySize)) == hash)
        {
            entries.Add(new ReadOnlySpan<byte>(p, _stride).ToArray());
        }
    }

    private delegate void SlotWriter(ReadOnlySpan<byte> slot);

    /// <summary>Compares whole slots by their key bytes; hashes by the stored hash.</summary>
    private sealed class SlotKeyComparer(int keySize) : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) =>
            x is not null && y is not null && x.AsSpan(sizeof(ulong), keySize).SequenceEqual(y.AsSpan(sizeof(ulong), keySize));

        public int GetHashCode(byte[] obj) => BitConverter.ToInt32(obj, 0);
    }
}
