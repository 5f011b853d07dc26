using System;
using System.Threading;

namespace Overlay.Layouts;

/// <summary>
/// One piece of <c>AppendRange</c>'s seal hash, run on a thread-pool thread while the calling
/// thread writes the same bytes through the file (RecordFile.StreamedSeal.cs). Whoever comes
/// first runs it: the pool thread, or the caller in <see cref="Join"/> if the pool has not started
/// it by the time the write returned (a busy machine), so a late pool thread never makes the
/// caller wait longer than hashing the piece itself would. The caller joins before the bytes it
/// pinned can move; a pool thread that comes after that finds the job taken and touches nothing.
/// </summary>
internal sealed unsafe class SealHashJob : IThreadPoolWorkItem
{
    /// <summary>Pieces shorter than this are hashed on the calling thread: handing one over costs a few microseconds, the hash of 128 KiB about as much (version 3's lanes).</summary>
    public const int MinimumBytes = 128 << 10;

    private const int Queued = 0;
    private const int Running = 1;
    private const int Taken = 2;

    private readonly byte* _bytes;
    private readonly int _length;
    private readonly ManualResetEventSlim _done = new(false);
    private int _state;

    public SealHashJob(byte* bytes, int length, SealStream stream)
    {
        _bytes = bytes;
        _length = length;
        Stream = stream;
    }

    /// <summary>Whether a second core may hash: with one, the hash would only queue behind the write.</summary>
    public static bool Parallel { get; } = Environment.ProcessorCount > 1;

    /// <summary>The stream with the piece's bytes added, once <see cref="Join"/> returned.</summary>
    public SealStream Stream;

    /// <summary>The pool thread's side: the hash, unless the caller took the job.</summary>
    public void Execute()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Queued) != Queued)
        {
            return;
        }

        Stream.Add(new ReadOnlySpan<byte>(_bytes, _length));
        _done.Set();
    }

    /// <summary>Returns once the piece is hashed: by the pool thread (waited for), or here if it never started.</summary>
    public void Join()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued)
        {
            Stream.Add(new ReadOnlySpan<byte>(_bytes, _length));
            return;
        }

        // Not disposed after: Set may still be returning on the pool thread (an event that was
        // never waited on holds no kernel handle; one that was is released by its finalizer).
        _done.Wait();
    }
}
