using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Platform.Windows;

/// <summary>
/// Windows byte-range locks (<c>LockFileEx</c>/<c>UnlockFileEx</c>), one byte each. They belong to
/// the open file object, as Linux's open-file-description locks belong to the open: a second open
/// of the file, in this process or another, conflicts; a duplicated handle shares the open and its
/// locks; closing the last handle of the open (or the process dying) releases them.
/// </summary>
/// <remarks>
/// <para>
/// Unlike POSIX locks they are mandatory: while one open holds a byte, reads and writes of that
/// byte through other opens fail. Every byte Overlay locks lies at 2^62 or beyond
/// (<see cref="Layouts.RecordFileLock"/>, <see cref="MemoryMap.AdvisoryLockByte"/>), past any data
/// a file can hold, so the locks never get in the way of the data; NTFS and ReFS accept a range
/// past the end of the file.
/// </para>
/// <para>
/// One difference remains: Linux replaces a lock an open already holds on a byte (shared to
/// exclusive and back), where Windows stacks shared locks (each needs its own unlock) and refuses
/// an exclusive lock on a byte the same open holds. Overlay never locks a byte twice through one
/// open, with one exception: two <see cref="MemoryMap.LockFile"/> calls on one map share its open,
/// and the second, exclusive, conflicts with the first on Windows (docs/platforms.md).
/// </para>
/// </remarks>
internal sealed unsafe class WindowsFileLocks : IFileLocks
{
    public bool TryLock(SafeFileHandle file, long offset, bool exclusive)
    {
        int error = Call(file, offset, Kernel32.LOCKFILE_FAIL_IMMEDIATELY | (exclusive ? Kernel32.LOCKFILE_EXCLUSIVE_LOCK : 0), unlock: false);

        // Another open holds a conflicting lock (the documented failure of LOCKFILE_FAIL_IMMEDIATELY).
        if (error == Win32Error.ERROR_LOCK_VIOLATION)
        {
            return false;
        }

        ThrowIfFailed(error, "LockFileEx");
        return true;
    }

    public void Lock(SafeFileHandle file, long offset, bool exclusive) =>
        ThrowIfFailed(Call(file, offset, exclusive ? Kernel32.LOCKFILE_EXCLUSIVE_LOCK : 0, unlock: false), "LockFileEx");

    public void Unlock(SafeFileHandle file, long offset)
    {
        int error = Call(file, offset, 0, unlock: true);

        // The interface releases "if it holds one", as Linux's F_UNLCK of a byte not locked succeeds.
        // Windows reports such a byte as ERROR_NOT_LOCKED; Wine as ERROR_LOCK_VIOLATION
        // (server/fd.c, unlock_fd: STATUS_FILE_LOCK_CONFLICT when no lock matches), which an
        // unlock has no other reason to give: it never conflicts with another open's lock.
        if (error is not (Win32Error.ERROR_NOT_LOCKED or Win32Error.ERROR_LOCK_VIOLATION))
        {
            ThrowIfFailed(error, "UnlockFileEx");
        }
    }

    /// <returns>0, or the Win32 error of the failure.</returns>
    private static int Call(SafeFileHandle file, long offset, uint flags, bool unlock)
    {
        // The range's start travels in the OVERLAPPED; the length is one byte. No event: on a
        // synchronous handle the call waits itself; on an asynchronous one (FileOptions.Asynchronous)
        // it may return ERROR_IO_PENDING, and GetOverlappedResult waits on the handle instead.
        var overlapped = new Kernel32.Overlapped { Offset = (uint)offset, OffsetHigh = (uint)(offset >> 32) };
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            nint handle = file.DangerousGetHandle();
            int result = unlock
                ? Kernel32.UnlockFileEx(handle, 0, 1, 0, &overlapped)
                : Kernel32.LockFileEx(handle, flags, 0, 1, 0, &overlapped);
            if (result != 0)
            {
                return 0;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error != Win32Error.ERROR_IO_PENDING)
            {
                return error;
            }

            uint transferred;
            return Kernel32.GetOverlappedResult(handle, &overlapped, &transferred, wait: 1) != 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static void ThrowIfFailed(int error, string call)
    {
        if (error != 0)
        {
            throw Win32Error.ToException(error, call);
        }
    }
}
