using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Overlay.Platform.Unix;

namespace Overlay.Platform.MacOS;

/// <summary>
/// macOS byte-range locks: classic POSIX record locks (<c>fcntl(F_SETLK)</c>/<c>F_SETLKW</c>),
/// the only byte-range locks Darwin's public headers offer. Numbers from the macOS SDK's
/// <c>sys/fcntl.h</c> (<c>F_SETLK</c> 8, <c>F_SETLKW</c> 9, <c>F_RDLCK</c> 1, <c>F_UNLCK</c> 2,
/// <c>F_WRLCK</c> 3, <c>struct flock</c>) and <c>sys/errno.h</c> (<c>EAGAIN</c> 35);
/// <c>DarwinConstantsTests</c> compares them with the header values written out there.
/// </summary>
/// <remarks>
/// <para>
/// Why not <c>flock(2)</c>, which belongs to the open file description as Linux's OFD locks do:
/// it locks the whole file, and the record file protocol needs two independent bytes (a writer's
/// exclusive byte beside readers' shared one); and .NET itself takes <c>flock</c> on every file it
/// opens to emulate <see cref="System.IO.FileShare"/>, which an exclusive <c>flock</c> would fight.
/// Darwin's <c>F_OFD_SETLK</c> exists only under <c>#ifdef PRIVATE</c> in xnu, not in the SDK.
/// </para>
/// <para>
/// The caveat of POSIX locks (documented in docs/platforms.md): they belong to the process, not to
/// the open. Between processes they behave as on Linux. Within one process two opens of a file do
/// not exclude each other (a second record file writer in the same process is not refused by the
/// lock), and closing any descriptor of the file in the process drops every lock the process holds
/// on it. One process should open a given record file once.
/// </para>
/// </remarks>
internal sealed unsafe partial class DarwinFileLocks : IFileLocks
{
    // sys/fcntl.h
    public const int F_SETLK = 8;
    public const int F_SETLKW = 9;
    public const short F_RDLCK = 1;
    public const short F_UNLCK = 2;
    public const short F_WRLCK = 3;
    public const short SEEK_SET = 0;

    // sys/errno.h: Darwin's EAGAIN is 35 (Linux's is 11); EACCES and EINTR have Linux's numbers.
    public const int EAGAIN = 35;

    private const string LibC = "libc";

    public bool TryLock(SafeFileHandle file, long offset, bool exclusive)
    {
        int errno = Call(file, F_SETLK, exclusive ? F_WRLCK : F_RDLCK, offset);

        // A conflicting lock: EAGAIN, or EACCES (POSIX allows both).
        if (errno is EAGAIN or Errno.EACCES)
        {
            return false;
        }

        ThrowIfFailed(errno, "F_SETLK");
        return true;
    }

    public void Lock(SafeFileHandle file, long offset, bool exclusive) =>
        ThrowIfFailed(Call(file, F_SETLKW, exclusive ? F_WRLCK : F_RDLCK, offset), "F_SETLKW");

    public void Unlock(SafeFileHandle file, long offset) =>
        ThrowIfFailed(Call(file, F_SETLK, F_UNLCK, offset), "F_SETLK, F_UNLCK");

    /// <returns>0, or the errno of the failure (a wait interrupted by a signal is retried).</returns>
    private static int Call(SafeFileHandle file, int command, short type, long offset)
    {
        var request = new Flock { Start = offset, Length = 1, Pid = 0, Type = type, Whence = SEEK_SET };
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            int fd = (int)file.DangerousGetHandle();
            while (true)
            {
                // fcntl is variadic: on Apple arm64 its third argument goes on the stack.
                int result = DarwinConstants.Instance.VariadicOnStack
                    ? AppleArm64Interop.Fcntl(fd, command, 0, 0, 0, 0, 0, 0, (nint)(&request))
                    : Fcntl(fd, command, &request);
                if (result != -1)
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
            // ENOLCK: a file system without locks (some network file systems).
            throw Errno.ToException(errno, $"fcntl({command})");
        }
    }

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, Flock* request);

    /// <summary>
    /// Darwin's <c>struct flock</c> (sys/fcntl.h), 24 bytes on x86-64 and arm64: <c>l_start</c> at 0,
    /// <c>l_len</c> at 8, <c>l_pid</c> at 16, <c>l_type</c> at 20, <c>l_whence</c> at 22 (Linux puts
    /// the type and whence first).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Flock
    {
        public long Start;
        public long Length;
        public int Pid;
        public short Type;
        public short Whence;
    }
}
