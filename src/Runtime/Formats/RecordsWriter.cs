using System;
using System.IO;
using Overlay.Layouts;

namespace Overlay.Formats;

/// <summary>Appends records to a section of a <see cref="ContainerBuilder"/>.</summary>
/// <typeparam name="TRecord">The section's layout.</typeparam>
public sealed class RecordsWriter<TRecord>
    where TRecord : struct, IMappedLayout<TRecord>
{
    private readonly BuilderSection _section;
    private readonly int _stride;

    internal RecordsWriter(BuilderSection section)
    {
        _section = section;
        _stride = checked((int)section.Entry.Stride);
    }

    /// <summary>The records appended so far.</summary>
    public long Count => _section.Entry.Count;

    /// <summary>Appends a copy of <paramref name="value"/>; a value the layout refuses appends nothing.</summary>
    /// <param name="value">The record.</param>
    /// <returns>Its index.</returns>
    /// <exception cref="ArgumentException">The layout's <c>Store</c> refused the value.</exception>
    /// <exception cref="IOException">Writing a full chunk of the records out failed (a full disk, a file-size limit); nothing is appended, and the builder takes further values.</exception>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public long Append(in TRecord value)
    {
        _section.Owner.ThrowIfSealed();
        if (_stride > BuilderSection.ChunkSize)
        {
            byte[] buffer = new byte[_stride];
            TRecord.Store(buffer, value);
            _section.Append(buffer);
            return _section.Entry.Count++;
        }

        // Stored straight into the section's chunk, which is zeroed: no buffer, no copy.
        Span<byte> destination = _section.Claim(_stride);
        try
        {
            TRecord.Store(destination, value);
        }
        catch
        {
            _section.Abandon(_stride);
            throw;
        }

        _section.Commit(_stride);
        return _section.Entry.Count++;
    }

    /// <summary>
    /// Appends a copy of <paramref name="value"/>, its variable-length fields (<c>[VarString]</c>,
    /// <c>[VarBytes]</c>, <c>[VarList]</c>) appended to <paramref name="heap"/> first and the record
    /// holding their references: records and their heap are written in one pass. Reopened, the
    /// records' views read them with that heap (<c>view.Load(container.Heap(name))</c>). A value
    /// refused after some of its fields were appended (a list too long for a heap value) takes the
    /// heap back to where it was: its <see cref="HeapWriter.Count"/>, its length and the place of the
    /// next block are as before, and the sealed file holds no trace of the refused bytes.
    /// </summary>
    /// <param name="value">The record.</param>
    /// <param name="heap">A heap of the same builder.</param>
    /// <returns>The record's index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="heap"/> is null.</exception>
    /// <exception cref="ArgumentException">A field cannot be stored, or the heap belongs to another builder; nothing is appended, to the records or to the heap.</exception>
    /// <exception cref="IOException">Writing a full chunk of the records or of the heap out failed (a full disk, a file-size limit); nothing is appended, to the records or to the heap, and the builder takes further values.</exception>
    /// <exception cref="InvalidOperationException">The builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public long Append(in TRecord value, HeapWriter heap)
    {
        ArgumentNullException.ThrowIfNull(heap);
        _section.Owner.ThrowIfSealed();
        if (!heap.BelongsTo(_section.Owner))
        {
            throw new ArgumentException("The heap belongs to another builder: the references would name bytes of another file.", nameof(heap));
        }

        // Store appends the fields to the heap one by one and a later one may still be refused:
        // the mark (two reads) lets the failure take back what the earlier ones appended.
        BuilderSection.Marker heapMark = heap.Mark();
        if (_stride > BuilderSection.ChunkSize)
        {
            // The record goes in parts, each of which may write a chunk out; a failed one takes the
            // parts before it back itself (BuilderSection.Append), and the heap goes back here.
            try
            {
                byte[] buffer = new byte[_stride];
                TRecord.Store(buffer, value, heap);
                _section.Append(buffer);
            }
            catch
            {
                heap.Rewind(heapMark);
                throw;
            }

            return _section.Entry.Count++;
        }

        // The heap is another section with its own chunk: storing into this one's claim while the
        // heap appends cannot move it.
        Span<byte> destination = _section.Claim(_stride);
        try
        {
            TRecord.Store(destination, value, heap);
        }
        catch
        {
            _section.Abandon(_stride);
            heap.Rewind(heapMark);
            throw;
        }

        _section.Commit(_stride);
        return _section.Entry.Count++;
    }
}
