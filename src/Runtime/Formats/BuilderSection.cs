using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Formats;

/// <summary>
/// One section a <see cref="ContainerBuilder"/> is writing: its entry and a chunk its bytes are
/// stored into in place (records by <c>Store</c>, strings encoded, blobs copied). A full chunk is
/// written with one <c>pwrite</c>: into the output file itself for the section that fills a chunk
/// first (it streams in place), into a temporary file for the others; a section that never fills
/// a chunk is written once, by <see cref="ContainerBuilder.Seal"/> (<c>docs/formats.md</c> §1.4).
/// A section with a capacity hint has an extent of the output file reserved for it: its chunks go
/// there, and what passes the reservation spills to a temporary file.
/// A full chunk is written on a pool thread while the next one is filled (two chunks, swapped): the
/// write is joined before the next one starts, by <see cref="Settle"/>, by <see cref="Rewind"/> and
/// by an append over a chunk before it returns. A failed write is reported by the call that joins it
/// and its chunk is kept, to be written again (same bytes, same place) before any other.
/// </summary>
internal sealed class BuilderSection
{
    /// <summary>Bytes a section holds in memory before it writes them out: one write per chunk.</summary>
    internal const int ChunkSize = 1 << 20;

    private byte[] _chunk;
    private int _used;
    private long _written;
    private long _reached;

    // The chunk handed to a write: the section's bytes [_written - _outLength, _written), on a pool
    // thread while _writing is not null; kept after a failed write (_writing null) until it is written
    // again. Null when every write is done. _spare is a zeroed full chunk the next one swaps in.
    private byte[]? _out;
    private int _outLength;
    private Task? _writing;
    private byte[]? _spare;

    public BuilderSection(ContainerBuilder owner, SectionEntry entry)
    {
        Owner = owner;
        Entry = entry;

        // Sections start small (a schema is a few hundred bytes) and take a whole chunk when they grow.
        _chunk = new byte[256];
    }

    public ContainerBuilder Owner { get; }

    public SectionEntry Entry { get; }

    /// <summary>Where the full chunks went: the output file or a temporary file; null while none was written.</summary>
    public SafeFileHandle? Handle { get; private set; }

    /// <summary>Whether <see cref="Handle"/> is the output file (the section is in its final place from byte 0).</summary>
    public bool InPlace { get; private set; }

    /// <summary>Where the section's first byte is in <see cref="Handle"/>.</summary>
    public long Origin { get; private set; }

    /// <summary>Bytes handed to writes (done, in flight, or failed and to be written again): to <see cref="Handle"/>, and past a reservation to <see cref="Overflow"/>.</summary>
    public long Written => _written;

    /// <summary>The bytes of the output file reserved for the section at <see cref="Origin"/> (a capacity hint); 0 without one.</summary>
    public long Reserved { get; private set; }

    /// <summary>Where a reserved section's bytes past <see cref="Reserved"/> went; null while none did.</summary>
    public SafeFileHandle? Overflow { get; private set; }

    /// <summary>The bytes of the section that are in the output file at <see cref="Origin"/> (for an in-place section, all it wrote).</summary>
    public long InOutput => !InPlace ? 0 : Reserved == 0 ? _written : Math.Min(_written, Reserved);

    /// <summary>
    /// How far into the output file at <see cref="Origin"/> the section's writes ever reached: past
    /// <see cref="InOutput"/> only after a <see cref="Rewind"/> over bytes already written out, whose
    /// stale bytes <see cref="ContainerBuilder.Seal"/> must then clear where no section covers them.
    /// </summary>
    public long Reached => _reached;

    /// <summary>The bytes not yet written out.</summary>
    public ReadOnlySpan<byte> Pending => _chunk.AsSpan(0, _used);

    /// <summary>
    /// <paramref name="length"/> contiguous zeroed bytes at the section's end (at section offset
    /// <see cref="SectionEntry.Length"/>), to be filled and then kept by <see cref="Commit"/>; not
    /// part of the section until then. <paramref name="length"/> is at most <see cref="ChunkSize"/>.
    /// </summary>
    public Span<byte> Claim(int length)
    {
        if (length > _chunk.Length - _used)
        {
            MakeRoom(length);
        }

        return _chunk.AsSpan(_used, length);
    }

    /// <summary>Keeps the first <paramref name="length"/> bytes of the last <see cref="Claim"/>.</summary>
    public void Commit(int length)
    {
        _used += length;
        Entry.Length += length;
    }

    /// <summary>Zeroes a claim that was filled but not committed (its <c>Store</c> threw), so later claims start zeroed.</summary>
    public void Abandon(int length) => _chunk.AsSpan(_used, length).Clear();

    /// <summary>Where the section ends and what it counts now: what <see cref="Rewind"/> returns to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on every RecordsWriter.Append(value, heap): two reads, no call
    public Marker Mark() => new(Entry.Length, Entry.Count);

    /// <summary>
    /// Takes the section back to <paramref name="mark"/>, dropping every byte appended since (a record
    /// whose store failed after its heap fields were appended: docs/formats.md §1.4). Bytes still in
    /// the chunk are zeroed, as <see cref="Spill"/> leaves it; bytes already written out stay where
    /// they went, and the next ones are written over them, because every write goes to
    /// <see cref="Origin"/> + <see cref="Written"/>.
    /// </summary>
    public void Rewind(Marker mark)
    {
        // The write in flight is joined first, without throwing (Rewind runs in a catch, for the
        // failure being reported): done, its chunk is out of the way; failed, it is kept.
        JoinQuietly();
        long keep = mark.Length - _written;
        long outStart = _written - (_out is null ? 0 : _outLength);
        if (keep >= 0)
        {
            _chunk.AsSpan((int)keep, _used - (int)keep).Clear();
            _used = (int)keep;
        }
        else if (_out is not null && mark.Length >= outStart)
        {
            // Into the chunk whose write failed: it is the chunk being filled again, cut at the mark
            // (nothing of it is on disk for sure), and the one that was being filled is dropped.
            int cut = (int)(mark.Length - outStart);
            _out.AsSpan(cut, _outLength - cut).Clear();
            _chunk.AsSpan(0, _used).Clear();
            _spare = _chunk.Length == ChunkSize ? _chunk : _spare;
            _chunk = _out;
            _out = null;
            _used = cut;
            _written = outStart;
        }
        else
        {
            _chunk.AsSpan(0, _used).Clear();
            _used = 0;
            if (_out is not null)
            {
                // A failed write wholly past the mark: dropped, never written again.
                _out.AsSpan(0, _outLength).Clear();
                _spare = _out;
                _out = null;
            }

            _written = mark.Length;
        }

        Entry.Length = mark.Length;
        Entry.Count = mark.Count;
    }

    /// <summary>Appends <paramref name="bytes"/> whole, or nothing when a chunk write fails.</summary>
    public long Append(ReadOnlySpan<byte> bytes)
    {
        Owner.ThrowIfSealed();
        long at = Entry.Length;
        if (bytes.Length > long.MaxValue / 4 - at)
        {
            throw new IOException($"Section '{Entry.Name}' would be larger than a file can be.");
        }

        Marker mark = Mark();
        try
        {
            while (!bytes.IsEmpty)
            {
                int room = _chunk.Length - _used;
                if (room == 0)
                {
                    MakeRoom(Math.Min(bytes.Length, ChunkSize));
                    room = _chunk.Length - _used;
                }

                int take = Math.Min(room, bytes.Length);
                bytes[..take].CopyTo(_chunk.AsSpan(_used));
                Commit(take);
                bytes = bytes[take..];
            }

            if (Entry.Length - at >= ChunkSize)
            {
                // A value over a chunk is written before the call returns: a failed write of its
                // last chunk is reported by it, and rewinds it, as one of its earlier chunks would.
                Settle();
            }
        }
        catch
        {
            // A chunk write that failed (a full disk) comes after the parts before it were kept:
            // they are taken back, so the caller's bytes are appended whole or not at all.
            Rewind(mark);
            throw;
        }

        return at;
    }

    /// <summary>Appends <paramref name="length"/> zero bytes, all or none when a chunk write fails (as <see cref="Append"/>).</summary>
    public void AppendZeros(int length)
    {
        Marker mark = Mark();
        try
        {
            while (length > 0)
            {
                int take = Math.Min(length, ChunkSize);
                Claim(take);
                Commit(take);
                length -= take;
            }

            if (Entry.Length - mark.Length >= ChunkSize)
            {
                Settle(); // as Append: a value over a chunk is written before the call returns
            }
        }
        catch
        {
            // The parts before the failed chunk write were committed: taken back, as in Append.
            Rewind(mark);
            throw;
        }
    }

    /// <summary>Reserves <paramref name="length"/> bytes of the output file at <paramref name="origin"/> for the section, before it wrote anything.</summary>
    public void Reserve(SafeFileHandle output, long origin, long length)
    {
        Handle = output;
        InPlace = true;
        Origin = origin;
        Reserved = length;
    }

    /// <summary>
    /// Hands what is pending to a write on a pool thread, to <see cref="Handle"/> (asking the builder
    /// where, the first time), and goes on with the spare chunk. The write before it is joined first
    /// (<see cref="Settle"/>): when that fails, this throws and nothing changes.
    /// </summary>
    public void Spill()
    {
        if (_used == 0)
        {
            return;
        }

        Settle();
        if (Handle is null)
        {
            (Handle, Origin) = Owner.PlaceSpill(this);
            InPlace = Owner.IsOutput(Handle);
        }

        if (InPlace)
        {
            // Counted before the write: one that fails part-way may have left bytes there too.
            long end = _written + _used;
            _reached = Math.Max(_reached, Reserved == 0 ? end : Math.Min(end, Reserved));
        }

        int fits = _used;
        if (Reserved > 0 && _written + _used > Reserved)
        {
            // More than the hint: what fits stays in the reservation, the rest goes to a temporary
            // file that Seal copies in after it (docs/formats.md §1.4). Created here, on this thread:
            // when that fails, nothing is handed out.
            fits = (int)Math.Max(0, Reserved - _written);
            Overflow ??= Owner.PlaceSpill(this).Handle;
        }

        // Counted once, when handed out: a failed write is written again, not counted again.
        if (InPlace)
        {
            Owner.Wrote(fits);
        }

        _out = _chunk;
        _outLength = _used;
        _chunk = _spare ?? new byte[_out.Length];
        _spare = null;
        _writing = WriteOutAsync(_out, _outLength, _written);
        _written += _used;
        _used = 0;
    }

    /// <summary>
    /// Joins the write in flight, and writes again (here) a chunk whose write failed: afterwards
    /// every byte handed out is written. Throws what the write threw; its chunk is then kept, to be
    /// written again by the next call.
    /// </summary>
    public void Settle()
    {
        if (_out is null)
        {
            return;
        }

        if (_writing is not null)
        {
            Task writing = _writing;
            _writing = null;
            writing.GetAwaiter().GetResult();
        }
        else
        {
            WriteOut(_out, _outLength, _written - _outLength);
        }

        _spare = _out.Length == ChunkSize ? _out : null;
        _out = null;
    }

    /// <summary>Waits for the write in flight, if any, and keeps its failure for <see cref="Settle"/> (for <see cref="Rewind"/> and for closing).</summary>
    public void JoinQuietly()
    {
        if (_writing is null)
        {
            return;
        }

        Task writing = _writing;
        _writing = null;
        writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
        if (writing.IsCompletedSuccessfully)
        {
            _spare = _out!.Length == ChunkSize ? _out : null;
            _out = null;
        }
        else
        {
            // Observed here (the chunk is kept, and Settle writes it again or reports the new failure).
            _ = writing.Exception;
        }
    }

    private Task WriteOutAsync(byte[] chunk, int length, long at) =>
        Owner.QueueWrite(() => WriteOut(chunk, length, at));

    // The chunk's bytes [0, length) are the section's [at, at + length): into the reservation and
    // past it into the overflow, or all to Handle. Zeroed once written, off the appending thread:
    // a record's padding and a blob's tail are never stale bytes.
    private void WriteOut(byte[] chunk, int length, long at)
    {
        ReadOnlySpan<byte> pending = chunk.AsSpan(0, length);
        if (Reserved > 0 && at + length > Reserved)
        {
            int fits = (int)Math.Max(0, Reserved - at);
            BuilderWrites.Write(Handle!, pending[..fits], Origin + at);
            BuilderWrites.Write(Overflow!, pending[fits..], at + fits - Reserved);
        }
        else
        {
            BuilderWrites.Write(Handle!, pending, Origin + at);
        }

        chunk.AsSpan(0, length).Clear();
    }

    /// <summary>A section's length and count at one moment (<see cref="Mark"/>).</summary>
    /// <param name="Length">The section's bytes.</param>
    /// <param name="Count">Its records or blocks.</param>
    public readonly record struct Marker(long Length, long Count);

    /// <summary>Frees the chunk once the section is in the sealed file.</summary>
    public void Release()
    {
        _chunk = Array.Empty<byte>();
        _spare = null;
    }

    private void MakeRoom(int length)
    {
        if (_chunk.Length < ChunkSize && _used + length <= ChunkSize)
        {
            // A small section's chunk grows by doubling up to a full chunk before it writes anything.
            int size = Math.Max(_chunk.Length * 2, _used + length);
            size = (int)Math.Min(ChunkSize, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size));
            Array.Resize(ref _chunk, size);
            return;
        }

        if (_chunk.Length < ChunkSize)
        {
            Array.Resize(ref _chunk, ChunkSize);
        }

        Spill();
    }
}
