using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Platform.Linux;

/// <summary>
/// Linux open-file-description locks (<c>fcntl(F_OFD_SETLK)</c>, Linux 3.15+). Unlike classic
/// POSIX record locks they belong to the open, not the process: a second open of the same file in
/// the same process conflicts (a POSIX lock would silently merge), and closing some other descriptor
/// of the file does not drop them. Unlike <c>flock</c> they lock byte ranges, which the record
/// file's writer and reader locks need, and .NET already takes <c>flock</c> itself to emulate
/// <c>FileShare</c>.
/// </summary>
internal sealed unsafe partial class LinuxFileLocks : IFileLocks
{
    private const string LibC = "libc";
    private const int F_OFD_SETLK = 37;
    private const int F_OFD_SETLKW = 38;
    private const short F_RDLCK = 0;
    private const short F_WRLCK = 1;
    private const short F_UNLCK = 2;
    private const short SEEK_SET = 0;
    private const int EAGAIN = 11;

    public bool TryLock(SafeFileHandle file, long offset, bool exclusive)
    {
        int errno = Call(file, F_OFD_SETLK, exclusive ? F_WRLCK : F_RDLCK, offset);

        // A conflicting lock: EAGAIN, or EACCES on some systems (POSIX allows both).
        if (errno is EAGAIN or Errno.EACCES)
        {
            return false;
        }

        ThrowIfFailed(errno, "F_OFD_SETLK");
        return true;
    }

    public void Lock(SafeFileHandle file, long offset, bool exclusive) =>
        ThrowIfFailed(Call(file, F_OFD_SETLKW, exclusive ? F_WRLCK : F_RDLCK, offset), "F_OFD_SETLKW");

    public void Unlock(SafeFileHandle file, long offset) =>
        ThrowIfFailed(Call(file, F_OFD_SETLK, F_UNLCK, offset), "F_OFD_SETLK, F_UNLCK");

    /// <returns>0, or the errno of the failure (a wait interrupted by a signal is retried).</returns>
    private static int Call(SafeFileHandle file, int command, short type, long offset)
    {
        // l_pid must be 0 for an open-file-description lock.
        var request = new Flock { Type = type, Whence = SEEK_SET, Start = offset, Length = 1, Pid = 0 };
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            int fd = (int)file.DangerousGetHandle();
            while (true)
            {
                if (Fcntl(fd, command, &request) == 0)
                {
                    return 0;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    return errno;
                }
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static void ThrowIfFailed(int errno, string command)
    {
        if (errno != 0)
        {
            // EINVAL: a kernel older than 3.15 (no OFD locks); ENOLCK: a file system without locks.
            throw Errno.ToException(errno, $"fcntl({command})");
        }
    }

    // fcntl is variadic; its third argument is a pointer here, passed as any other pointer on the
    // 64-bit ABIs FileLocks admits.
    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, Flock* request);

    /// <summary><c>struct flock</c> on 64-bit Linux: 32 bytes (l_start at 8, l_len at 16, l_pid at 24).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }
}
