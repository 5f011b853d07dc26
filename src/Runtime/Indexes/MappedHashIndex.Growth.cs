using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;

namespace Overlay.Indexes;

// Growth: the table doubles in place, in the same file (docs/indexes.md, "Growth").
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>
    /// Doubles the table in place. The file grows (new slots are zeros); the entries of the old
    /// tail are taken out; then each old slot j, in increasing order, whose entry's new home is not
    /// j is emptied and its entry placed at the first empty slot from its new home. Why that is
    /// enough: the new home of an entry with old home i is i or i + capacity; from i the first empty
    /// slot is at most j (just emptied), and every slot before j was already placed and stays full,
    /// so no run that a placed entry relies on is broken later; the upper half holds only placed
    /// entries. The old tail's entries, and any placement that would run off the end, are inserted
    /// last, as ordinary insertions.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        // Growth resizes (system calls anyway) after writing the header: one fstat first refuses a
        // file another process cut under the map, before anything touches the lost pages.
        _map.ThrowIfFileTruncated("Growing the index");
        MarkDirty();
        long oldCapacity = _capacity;
        long newCapacity = oldCapacity * 2;
        long newSlotCount = newCapacity + _tail;
        if (newCapacity > MaximumCapacity || newSlotCount > (long.MaxValue - _base - HashIndexHeader.Size) / _stride)
        {
            throw new IOException($"{_path}: the index cannot grow past {oldCapacity} slots of {_stride} bytes.");
        }

        try
        {
            _map.ResizeAsOwner(_base + HashIndexHeader.Size + (newSlotCount * _stride));
        }
        finally
        {
            // A failed resize leaves the old length, but the pages may have moved: take the address again.
            _slots = _map.OwnerPointer(SlotsOffset, _slotCount * _stride);
        }

        var pending = new List<byte[]>();
        long oldEnd = oldCapacity + _tail;
        _slots = _map.OwnerPointer(SlotsOffset, newSlotCount * _stride);
        for (long i = oldCapacity; i < oldEnd; i++)
        {
            TakeOut(i, pending);
        }

        SetCapacity(newCapacity);
        byte[] moving = new byte[_stride];
        fixed (byte* temp = moving)
        {
            for (long j = 0; j < oldCapacity; j++)
            {
                byte* p = Slot(j);
                ulong hash = Unsafe.ReadUnaligned<ulong>(p);
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
                    Buffer.MemoryCopy(temp, Slot(target), _stride, _stride);
                }
            }
        }

        foreach (byte[] entry in pending)
        {
            PlaceWhole(entry);
        }

        _version++;
    }

    private void TakeOut(long slot, List<byte[]> into)
    {
        byte* p = Slot(slot);
        if (Unsafe.ReadUnaligned<ulong>(p) != 0)
        {
            into.Add(new ReadOnlySpan<byte>(p, _stride).ToArray());
            new Span<byte>(p, _stride).Clear();
        }
    }

    /// <summary>Places a whole slot's bytes (hash, key, value) at the first empty slot from its home, growing if the run reaches the end.</summary>
    private void PlaceWhole(byte[] entry)
    {
        ulong hash = BitConverter.ToUInt64(entry, 0);
        long target;
        while ((target = FindEmpty(hash)) < 0)
        {
            Grow();
        }

        entry.AsSpan().CopyTo(new Span<byte>(Slot(target), _stride));
    }
}
