using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Overlay.Platform;

namespace Overlay.Layouts;

/// <summary>
/// The lock protocol of record files, in one place (issue 14, hole 6). Two advisory locks on the
/// file's open (see <see cref="IFileLocks"/>), each on one byte far past any data:
/// <list type="bullet">
/// <item><see cref="WriterByte"/>, the writer lock: a writer (<c>Create</c>, or <c>Open</c> with
/// <see cref="MapAccess.Write"/>) takes it exclusively, without waiting, before it maps or changes
/// anything; a second writer, in this process or another, gets an <see cref="IOException"/>.</item>
/// <item><see cref="ReaderByte"/>, reader presence: a reader (<c>Open</c> with
/// <see cref="MapAccess.Read"/> or <see cref="MapAccess.Copy"/>) holds it shared for its whole life.
/// A writer shrinks the file (the trim in <c>Dispose</c>) only while it holds this byte
/// exclusively, taken without waiting: with a reader present it leaves the slack.</item>
/// </list>
/// Both are held on a descriptor the record file owns (the map's duplicate shares its open, so
/// the locks last until both are closed: the map first, then this), and released in
/// <see cref="Dispose"/>; if the process dies, the kernel releases them.
/// </summary>
/// <remarks>
/// Why the writer never shrinks under a reader: a reader maps the whole file as it was when it
/// opened, slack included, and a page past the end of a truncated file raises SIGBUS when touched.
/// Growth is harmless to a reader (its mapping keeps its length), and the count only grows, so
/// the records a reader counted when it opened stay in the file for as long as it is open.
/// </remarks>
internal sealed class RecordFileLock : IDisposable
{
    /// <summary>The writer lock: 2^62, past any byte a file can hold, so the locks never cover data
    /// (on Windows, whose byte-range locks are mandatory, they must not block reads of the data).</summary>
    internal const long WriterByte = 1L << 62;

    /// <summary>Reader presence: the byte after <see cref="WriterByte"/>.</summary>
    internal const long ReaderByte = WriterByte + 1;

    private static readonly IFileLocks s_locks = FileLocks.Current;

    private readonly SafeFileHandle _file;
    private readonly long _heldByte;
    private bool _disposed;

    private RecordFileLock(SafeFileHandle file, long heldByte)
    {
        _file = file;
        _heldByte = heldByte;
    }

    /// <summary>The open the locks are held on; the record file maps it.</summary>
    public SafeFileHandle File => _file;

    /// <summary>Takes the writer lock on <paramref name="file"/>, which it then owns.</summary>
    /// <exception cref="IOException">Another record file, in this process or another, has the file open for writing.</exception>
    /// <param name="file">The open file.</param>
    /// <param name="path">The file's path, for the message.</param>
    /// <param name="owner">The type that keeps the protocol (an index reuses it), for the message.</param>
    public static RecordFileLock ForWriter(SafeFileHandle file, string path, string owner = "RecordFile")
    {
        if (!s_locks.TryLock(file, WriterByte, exclusive: true))
        {
            throw new IOException($"{path} is open for writing elsewhere (another {owner}, in this process or another, holds its writer lock): it has one writer at a time. Open it with MapAccess.Read to read beside the writer.");
        }

        return new RecordFileLock(file, WriterByte);
    }

    /// <summary>Registers a reader's presence on <paramref name="file"/>, which it then owns.</summary>
    /// <remarks>Waits only while a writer trims the file: it holds the byte exclusively for no longer than its <c>ftruncate</c>.</remarks>
    public static RecordFileLock ForReader(SafeFileHandle file)
    {
        s_locks.Lock(file, ReaderByte, exclusive: false);
        return new RecordFileLock(file, ReaderByte);
    }

    /// <summary>
    /// For a reader: whether a writer holds the file's writer lock now (a probe: a shared lock on
    /// the writer's byte, released at once). An index reader uses it to tell a live writer's
    /// unflushed changes from a crashed writer's.
    /// </summary>
    public static bool IsWriterPresent(SafeFileHandle file)
    {
        if (!s_locks.TryLock(file, WriterByte, exclusive: false))
        {
            return true;
        }

        s_locks.Unlock(file, WriterByte);
        return false;
    }

    /// <summary>
    /// For a writer: whether it may shrink the file now, which it may only if no reader is present.
    /// When true, no reader can open until <see cref="EndShrink"/>.
    /// </summary>
    public bool TryBeginShrink() => s_locks.TryLock(_file, ReaderByte, exclusive: true);

    /// <summary>Ends what a successful <see cref="TryBeginShrink"/> began.</summary>
    public void EndShrink() => s_locks.Unlock(_file, ReaderByte);

    /// <summary>Releases the lock and closes the descriptor. Call after the map is closed. A second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            s_locks.Unlock(_file, _heldByte);
        }
        finally
        {
            // The last descriptor of the open: closing it releases every lock on it anyway.
            _file.Dispose();
        }
    }
}
