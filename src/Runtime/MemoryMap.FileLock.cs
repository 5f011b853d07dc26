using System;
using Microsoft.Win32.SafeHandles;
using Overlay.Platform;

namespace Overlay;

// The opt-in advisory lock for processes that share a mapped file (issue 11, "external changes").
public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// The byte of the file that <see cref="LockFile"/> locks: 2^62 + 2, past any data, beside the
    /// record files' writer and reader bytes (2^62, 2^62 + 1), which it never conflicts with.
    /// </summary>
    public const long AdvisoryLockByte = (1L << 62) + 2;

    /// <summary>
    /// Takes an advisory lock on the map's file, shared or exclusive, waiting while another holder
    /// has a conflicting one; held until the result is disposed (or its process dies), even after
    /// this map is closed. Advisory: it binds only processes that take it too before they change
    /// the file's length or bytes — this method in another Overlay process, or any program that
    /// takes a POSIX or open-file-description <c>fcntl</c> lock on byte <see cref="AdvisoryLockByte"/>
    /// (Python: <c>fcntl.lockf(fd, fcntl.LOCK_EX, 1, 2**62 + 2)</c>). Nothing stops a program that
    /// does not ask (docs/durability.md, "External changes").
    /// </summary>
    /// <param name="exclusive">True for an exclusive (writer's) lock, false for a shared (reader's) one.</param>
    /// <returns>The lock; dispose it to release.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is anonymous, or was made with <c>trackFile: false</c> and holds no descriptor.</exception>
    /// <exception cref="PlatformNotSupportedException">The OS has no file locks Overlay can use (Linux 64-bit, Windows and macOS have them).</exception>
    /// <exception cref="System.IO.IOException">The OS refused the lock (a file system without locks, <c>ENOLCK</c>).</exception>
    /// <remarks>
    /// Locks belong to the open of the file, not the process (Linux <c>F_OFD_SETLKW</c>): two maps
    /// of one file in one process exclude each other as two processes do; two maps made from one
    /// handle share one open, and so one lock. Windows (<c>LockFileEx</c>) is the same, but its locks
    /// do not merge: a second exclusive lock through the same map conflicts with the first. macOS
    /// has only per-process POSIX locks: maps in one process do not exclude each other there
    /// (docs/platforms.md). Not to be called while another thread closes the map.
    /// </remarks>
    public MapFileLock LockFile(bool exclusive = true)
    {
        SafeFileHandle handle = DuplicateForLock();
        try
        {
            FileLocks.Current.Lock(handle, AdvisoryLockByte, exclusive);
            return new MapFileLock(handle, exclusive);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The same as <see cref="LockFile"/>, without waiting: null when another holder has a conflicting lock.</summary>
    /// <param name="exclusive">True for an exclusive lock, false for a shared one.</param>
    /// <returns>The lock, or null.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is anonymous, or holds no descriptor.</exception>
    /// <exception cref="PlatformNotSupportedException">The OS has no file locks Overlay can use (Linux 64-bit, Windows and macOS have them).</exception>
    /// <exception cref="System.IO.IOException">The OS refused the lock for another reason than a conflict.</exception>
    public MapFileLock? TryLockFile(bool exclusive = true)
    {
        SafeFileHandle handle = DuplicateForLock();
        try
        {
            if (FileLocks.Current.TryLock(handle, AdvisoryLockByte, exclusive))
            {
                return new MapFileLock(handle, exclusive);
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        handle.Dispose();
        return null;
    }

    // The lock's own descriptor of the map's open (a dup shares the open, and with it the lock):
    // the lock then outlives the map, and its release never meets a descriptor number that the
    // map closed and the process reused for another file.
    private SafeFileHandle DuplicateForLock()
    {
        ThrowIfClosed();
        if (_anonymous)
        {
            throw new NotSupportedException("Cannot lock an anonymous map: it has no file.");
        }

        if (_file == PlatformFile.None)
        {
            throw new NotSupportedException("Cannot lock the file: the map was created with trackFile: false and holds no file descriptor.");
        }

        return new SafeFileHandle(_platform.Duplicate(_file), ownsHandle: true);
    }
}
