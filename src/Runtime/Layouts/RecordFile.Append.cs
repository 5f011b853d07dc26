using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Overlay.Layouts.Support;

namespace Overlay.Layouts;

// Appending: the hot paths (Append, Append(in T)) and the range append.
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    /// <summary>Appends a zeroed record and returns a view of it.</summary>
    /// <returns>A view of the new record, valid for as long as the file is open.</returns>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    /// <exception cref="MapIOException">The file could not grow.</exception>
    public TRecordView Append()
    {
        long offset = Reserve(1);
        Commit(_count + 1);
        MarkMapHandedOut(); // the view holds the map (RecordFile.StreamedSeal.cs)
        return TRecordView.Create(new CheckedOffset(_map, offset));
    }

    /// <summary>Appends a copy of <paramref name="value"/> and returns a view of it.</summary>
    /// <typeparam name="TRecord">The record layout: its size and fingerprint must be <typeparamref name="TRecordView"/>'s.</typeparam>
    /// <param name="value">The record.</param>
    /// <returns>A view of the new record.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is another layout than <typeparamref name="TRecordView"/>'s, or the layout's <c>Store</c> refused the value (a string too long, ...): nothing is appended.</exception>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    public TRecordView Append<TRecord>(in TRecord value)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        CheckRecordLayout<TRecord>();
        long offset = Reserve(1);
        StoreHeld(offset, _count, value);
        Commit(_count + 1);
        MarkMapHandedOut();
        return TRecordView.Create(new CheckedOffset(_map, offset));
    }

    /// <summary>
    /// Appends a copy of every record in <paramref name="values"/>, growing the file at most once.
    /// All or nothing: if a value is refused, none is appended.
    /// </summary>
    /// <typeparam name="TRecord">The record layout: its size and fingerprint must be <typeparamref name="TRecordView"/>'s.</typeparam>
    /// <param name="values">The records.</param>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is another layout than <typeparamref name="TRecordView"/>'s, or the layout's <c>Store</c> refused a value.</exception>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    /// <exception cref="IOException">The file could not grow, or a range of 64 KiB or more, written through the file handle, could not be written (a full disk; a file-size limit, <c>EFBIG</c>, is a <see cref="MapIOException"/>): nothing is appended (<see cref="Count"/> is as before), and the file takes further appends.</exception>
    public void AppendRange<TRecord>(ReadOnlySpan<TRecord> values)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        CheckRecordLayout<TRecord>();
        if ((long)values.Length * _stride >= WriteThroughMinimumBytes && _map.CanWriteThroughFile)
        {
            AppendRangeThroughFile(values);
            return;
        }

        long offset = Reserve(values.Length);
        if (IsStoredAsInMemory<TRecord>() && (long)values.Length * _stride <= int.MaxValue)
        {
            // The values' own bytes are the records' (as through the file, below): one copy into the
            // map, no Store per record, and nothing that can throw once the range is reserved.
            int length = values.Length * _stride;
            ref byte records = ref _map.OwnerRange(offset, length);
            MemoryMarshal.AsBytes(values).CopyTo(MemoryMarshal.CreateSpan(ref records, length));
            StreamSealFromMap(_count, values.Length, ref records);
            Commit(_count + values.Length);
            return;
        }

        int stored = 0;
        int size = RecordSize;
        int stride = _stride;

        // The whole range checked once, and held while TRecord.Store runs on its spans: see StoreHeld.
        ref byte first = ref _map.OwnerRange(offset, (long)values.Length * stride);
        _storing = true;
        try
        {
            for (; stored < values.Length; stored++)
            {
                TRecord.Store(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref first, (nint)stored * stride), size), values[stored]);
            }
        }
        catch
        {
            _zeroFrom = Math.Max(_zeroFrom, _count + stored + 1);
            throw;
        }
        finally
        {
            _storing = false;
        }

        StreamSealFromMap(_count, values.Length, ref first);
        Commit(_count + values.Length);
    }

    /// <summary>
    /// <see cref="AppendRange{TRecord}"/> of many records: written through the file handle
    /// (<see cref="MemoryMap.WriteThroughFile"/>), which copies into the page cache without the page
    /// fault per fresh page a store through the map takes (issue 8: the range append was 0.11x a
    /// <c>FileStream</c> writing the same bytes). The records are the map's at once, and the count
    /// is committed after the last byte, as before.
    /// </summary>
    private void AppendRangeThroughFile<TRecord>(ReadOnlySpan<TRecord> values)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        ThrowIfNotAppendable();
        long first = _count;
        if (values.Length > _capacity - first)
        {
            Grow(first + values.Length);
        }

        _storing = true;
        _wroteThroughFile = true;

        // The seal's hash of these records, taken as they are written (RecordFile.StreamedSeal.cs),
        // kept only if every write succeeds.
        bool hash = SealStreamReaches(first);
        SealStream stream = _sealStream;
        try
        {
            if (IsStoredAsInMemory<TRecord>())
            {
                // The values' own bytes are the records' (issue 8: the per-record Store into a
                // chunk cost as much as a third of the range append): one write, no copy of ours.
                WriteThroughFileSealed(_recordsOffset + (first * _stride), MemoryMarshal.AsBytes(values), hash, ref stream);
            }
            else
            {
                StoreThroughFile(first, values, hash, ref stream);
            }
        }
        catch
        {
            // Slots up to the end of the range may hold some of the records now: not known zero.
            _zeroFrom = Math.Max(_zeroFrom, first + values.Length);
            throw;
        }
        finally
        {
            _storing = false;
        }

        _sealStream = stream;
        _sealStreamTo = hash ? first + values.Length : -1;
        Commit(first + values.Length);
    }

    /// <summary>
    /// Whether <typeparamref name="TRecord"/>'s values can be written as they lie in memory: the
    /// generator says the layout's bytes are the struct's (<see cref="IMappedLayout{TSelf}.HasInMemoryLayout"/>),
    /// this machine is little-endian, and the struct is exactly the file's record, references-free
    /// (checked again here against a hand-written layout that claims it). Constants once compiled.
    /// </summary>
    private bool IsStoredAsInMemory<TRecord>()
        where TRecord : struct, IMappedLayout<TRecord> =>
        TRecord.HasInMemoryLayout && BitConverter.IsLittleEndian
        && !RuntimeHelpers.IsReferenceOrContainsReferences<TRecord>()
        && Unsafe.SizeOf<TRecord>() == TRecord.SizeInBytes && _stride == TRecord.SizeInBytes;

    /// <summary>Each chunk of <paramref name="values"/> stored into a buffer by the layout's <c>Store</c>, then written through the file.</summary>
    private void StoreThroughFile<TRecord>(long first, ReadOnlySpan<TRecord> values, bool hash, ref SealStream stream)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        int size = RecordSize;
        int stride = _stride;
        int perChunk = Math.Max(1, WriteThroughChunkBytes / stride);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(perChunk * stride);
        long offset = _recordsOffset + (first * stride);
        try
        {
            for (int stored = 0; stored < values.Length;)
            {
                int count = Math.Min(perChunk, values.Length - stored);
                Span<byte> bytes = chunk.AsSpan(0, count * stride);

                // Store writes the fields alone: the bytes of a layout's padding, and of a newer
                // layout's longer records that this code does not know, must be zeros, not what
                // the pooled buffer held before.
                bytes.Clear();
                for (int i = 0; i < count; i++)
                {
                    TRecord.Store(bytes.Slice(i * stride, size), values[stored + i]);
                }

                // Every byte of the slots is written, so slack a crashed writer left needs no clearing.
                WriteThroughFileSealed(offset + ((long)stored * stride), bytes, hash, ref stream);
                stored += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private long Reserve(int count)
    {
        ThrowIfNotAppendable();
        long first = _count;
        if (count > _prefaulted - first)
        {
            MakeRoom(first + count);
        }

        // The file's stride: a record of a newer layout (longer than the code's) is zeroed whole, so
        // the fields this code does not know read as zero, never as stale bytes.
        long offset = _recordsOffset + (first * _stride);
        if (first < _zeroFrom)
        {
            long dirty = Math.Min(count, _zeroFrom - first);
            _map.Fill(offset, dirty * _stride, 0);
        }

        return offset;
    }

    /// <summary>
    /// Stores <paramref name="value"/> into the slot at <paramref name="offset"/> through the
    /// layout's span <c>Store</c> (one range check for the record, not one per field). The span
    /// stays valid while <c>Store</c> runs: the file's hold on its map refuses everyone else's
    /// <c>Resize</c>/<c>Close</c>/<c>Protect</c>, and <see cref="_storing"/> refuses the file's own
    /// (a hand-written <c>Store</c> is user code, and could append to this very file). A plain flag,
    /// not a pin: appends are single-threaded, and a pin costs two atomic operations a record.
    /// </summary>
    /// <remarks>
    /// Inlined into <see cref="Append{TRecord}(in TRecord)"/> and so into the caller's loop: .NET 10
    /// inlines a method with a try/finally, and drops the try where the layout's <c>Store</c> cannot
    /// throw (a generated one of fixed fields), and with it the bookkeeping of a failed store.
    /// Issue 8: out of line, the call and its frame, plus that bookkeeping done before every
    /// store, cost a seventh of an append's CPU time (14 %, docs/benchmarks/formats.md).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreHeld<TRecord>(long offset, long index, in TRecord value)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        int size = RecordSize;
        ref byte slot = ref _map.OwnerRange(offset, size);
        bool stored = false;
        _storing = true;
        try
        {
            TRecord.Store(MemoryMarshal.CreateSpan(ref slot, size), value);
            stored = true;
        }
        finally
        {
            _storing = false;

            // Store validates before it writes, but if it throws, the slot it may have touched is
            // no longer known zero: the next Reserve clears it. A finally, not a catch (.NET 10
            // inlines a try/finally, not a catch); where the try is dropped, so is this test.
            if (!stored)
            {
                _zeroFrom = Math.Max(_zeroFrom, index + 1);
            }
        }
    }

    // The test compares constants and folds away once inlined; the message is built in a method
    // of its own so that this one stays small enough to inline (it was a call per Append).
    private static void CheckRecordLayout<TRecord>()
        where TRecord : struct, IMappedLayout<TRecord>
    {
        if (TRecord.SizeInBytes != TRecordView.SizeInBytes || TRecord.LayoutFingerprint != TRecordView.LayoutFingerprint)
        {
            ThrowOtherLayout<TRecord>();
        }
    }

    [DoesNotReturn]
    private static void ThrowOtherLayout<TRecord>()
        where TRecord : struct, IMappedLayout<TRecord>
    {
        throw new ArgumentException(
            $"{typeof(TRecord).FullName} ({TRecord.SizeInBytes} bytes, fingerprint 0x{TRecord.LayoutFingerprint:X16}) is not the layout of {typeof(TRecordView).FullName} ({TRecordView.SizeInBytes} bytes, fingerprint 0x{TRecordView.LayoutFingerprint:X16}).",
            nameof(TRecord));
    }
}
