using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Overlay.Layouts;

// The seal's check computed while AppendRange writes the records (issue 8), so that Dispose need
// not read back and hash every record appended since the last Flush. docs/durability.md states
// when the streamed check is used and why that is sound.
//
// The stream is the version 3 hash of the records [_sealStreamBasis.Count, _sealStreamTo). Dispose
// uses it only when it covers exactly the records it seals, over the durable slot it extends, and
// nothing but the stream's own writes can have changed those records since they were hashed:
//   - every count change outside AppendRange breaks it: the count only grows, so once it passed
//     _sealStreamTo without the stream, the two never meet again until Flush restarts it (and
//     Append and Append(in T) hand out a view anyway);
//   - a view, an array of views or the map, once handed out, is write access to every byte of the
//     file for as long as the holder keeps it (every view has IMappedView.Map): from then on the
//     stream is never used again by this instance (_mapHandedOut), Flush or not;
//   - a failed write leaves the stream as it was (the records it wrote are not counted);
//   - Flush starts a new stream at the new durable count.
// Otherwise Dispose reads the records back and hashes them, as before (the same version 3 check).
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    private SealStream _sealStream = SealStream.Start();

    // The count the stream has hashed up to, or -1 when it does not cover the records since
    // _sealStreamBasis (a count changed without it). The constructor starts it when the file's
    // count is its durable count; Flush restarts it.
    private long _sealStreamTo = -1;
    private DurableSlot _sealStreamBasis;

    // True once a view, an array of views or the map itself was handed out: the holder may write
    // any record at any time after, unseen (see above).
    private bool _mapHandedOut;

    /// <summary>
    /// Notes that a view, an array of views or the map was handed out. The indexer calls it for
    /// every view, possibly on many threads at once: the flag is stored once, then only read, so
    /// that readers do not write the file object's cache line on every access.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkMapHandedOut()
    {
        if (!_mapHandedOut)
        {
            _mapHandedOut = true;
        }
    }

    /// <summary>The stream covers no records of an open file whose count is its durable count: a new file, one a flush left, one opened in another boot without a seal.</summary>
    private void StartSealStream()
    {
        _sealStream = SealStream.Start();
        _sealStreamBasis = _durable;
        _sealStreamTo = (ulong)_count == _durable.Count ? _count : -1;
    }

    /// <summary>Whether the next records appended at <paramref name="first"/> extend the stream.</summary>
    private bool SealStreamReaches(long first) => _sealStreamTo == first && !_mapHandedOut;

    /// <summary>
    /// After <paramref name="count"/> records were stored at <paramref name="first"/> through the map
    /// (a small <c>AppendRange</c>), before they are committed: extends the stream with their bytes,
    /// read back from the map while they are still in the cache, or breaks it.
    /// </summary>
    private void StreamSealFromMap(long first, int count, ref byte records)
    {
        if (!SealStreamReaches(first))
        {
            _sealStreamTo = -1;
            return;
        }

        long length = (long)count * _stride;
        for (long done = 0; done < length;)
        {
            int piece = (int)Math.Min(length - done, 1 << 30);
            _sealStream.Add(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref records, (nint)done), piece));
            done += piece;
        }

        _sealStreamTo = first + count;
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> through the file at <paramref name="offset"/> and, when
    /// <paramref name="hash"/>, feeds them to <paramref name="stream"/> (a copy of the file's, kept
    /// only once every write of the range succeeded). A large piece is hashed on a thread-pool
    /// thread while this one writes it (<see cref="SealHashJob"/>): with a core free, the hash (about
    /// an eighth of the <c>pwrite</c> of the same bytes with version 3's lanes) hides behind the
    /// write; on a busy machine the caller may wait for a preempted pool thread (issue 8: quiet, the
    /// calling thread's hash cost <c>AppendRange</c> 0.68-0.73x <c>FileStream</c> where the pool's gave 0.78-0.87x).
    /// </summary>
    private unsafe void WriteThroughFileSealed(long offset, ReadOnlySpan<byte> bytes, bool hash, ref SealStream stream)
    {
        if (!hash)
        {
            _map.WriteThroughFile(offset, bytes);
            return;
        }

        if (bytes.Length < SealHashJob.MinimumBytes || !SealHashJob.Parallel)
        {
            stream.Add(bytes);
            _map.WriteThroughFile(offset, bytes);
            return;
        }

        // The bytes stay pinned until the job is joined, on every path out of the write.
        fixed (byte* pinned = bytes)
        {
            var job = new SealHashJob(pinned, bytes.Length, stream);
            ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
            try
            {
                _map.WriteThroughFile(offset, bytes);
            }
            finally
            {
                job.Join();
            }

            stream = job.Stream;
        }
    }

    /// <summary>The streamed check for <see cref="Seal"/>, when the stream covers exactly the records it seals.</summary>
    private bool TryStreamedSealCheck(out ulong check)
    {
        if (!_mapHandedOut && _sealStreamTo == _count && _sealStreamBasis == _durable)
        {
            check = _sealStream.Finish((ulong)_count, _durable);
            return true;
        }

        check = 0;
        return false;
    }
}
