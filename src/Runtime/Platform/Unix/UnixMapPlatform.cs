using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Overlay.Platform.Unix;

/// <summary>
/// Linux and macOS: <c>mmap</c> and friends from libc, with each OS's numbers from its
/// <see cref="UnixConstants"/>. A file handle is the POSIX descriptor.
/// </summary>
internal sealed unsafe partial class UnixMapPlatform : IMapPlatform
{
    private const int S_IFMT = 0xF000;
    private const int S_IFREG = 0x8000;

    private readonly UnixConstants _os;

    /// <param name="os">The OS's numbers.</param>
    /// <param name="useRemap">
    /// False to resize by mapping again instead of <c>mremap</c>, as a system without it must
    /// (macOS, whose constants have no <c>MREMAP_MAYMOVE</c>); tests use it so that path runs on Linux too.
    /// </param>
    public UnixMapPlatform(UnixConstants os, bool useRemap = true)
    {
        _os = os;
        _useRemap = useRemap && os.MREMAP_MAYMOVE != 0;
    }

    public long PageSize { get; } = Environment.SystemPageSize;

    public long AllocationGranularity => PageSize;

    public void CheckOptions(MapFlags flags, MapProtection protection)
    {
        _ = _os.TranslateFlags(flags);
        _ = _os.TranslateProtection(protection);
    }

    public nint FromFileDescriptor(int fileDescriptor) => fileDescriptor;

    public nint OpenFile(string path, bool writable)
    {
        int fd;
        do
        {
            // Not variadic here: without O_CREAT the mode is never read.
            fd = UnixInterop.Open(path, (writable ? _os.O_RDWR : _os.O_RDONLY) | _os.O_CLOEXEC, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        if (fd < 0)
        {
            throw Errno.ToFileException(Marshal.GetLastPInvokeError(), path);
        }

        return fd;
    }

    public nint Duplicate(nint file)
    {
        int copy = _os.VariadicOnStack
            ? AppleArm64Interop.Fcntl((int)file, _os.F_DUPFD_CLOEXEC, 0, 0, 0, 0, 0, 0, 0)
            : UnixInterop.Fcntl((int)file, _os.F_DUPFD_CLOEXEC, 0);
        return copy >= 0 ? copy : throw Errno.ToException(Marshal.GetLastPInvokeError(), "dup");
    }

    public void CloseFile(nint file) => UnixInterop.Close((int)file); // like memmap2's Drop: a failed close has nothing left to undo

    public FileStatus GetStatus(nint file)
    {
        StatLayout layout = _os.Stat
            ?? throw new PlatformNotSupportedException($"Overlay does not know the layout of struct stat on {_os.OSName} {RuntimeInformation.ProcessArchitecture}.");

        byte* buffer = stackalloc byte[256];
        int result = layout.UseInode64Symbol ? UnixInterop.FStatInode64((int)file, buffer) : UnixInterop.FStat((int)file, buffer);
        if (result != 0)
        {
            throw Errno.ToException(Marshal.GetLastPInvokeError(), "fstat");
        }

        uint mode = layout.ModeSize == 2 ? *(ushort*)(buffer + layout.ModeOffset) : *(uint*)(buffer + layout.ModeOffset);
        long size = *(long*)(buffer + layout.SizeOffset);
        return new FileStatus(size, (mode & S_IFMT) == S_IFREG);
    }

    public void Truncate(nint file, long size)
    {
        int result;
        do
        {
            result = UnixInterop.FTruncate((int)file, size);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        if (result != 0)
        {
            throw Errno.ToException(Marshal.GetLastPInvokeError(), "ftruncate");
        }
    }

    public byte* Map(long length, MapProtection protection, MapFlags flags, nint file, long offset)
    {
        nint address = UnixInterop.MMap(0, (nuint)length, _os.TranslateProtection(protection), _os.TranslateFlags(flags), (int)file, offset);
        return address != UnixInterop.MapFailed ? (byte*)address : throw Errno.ToException(Marshal.GetLastPInvokeError(), "mmap");
    }

    public void Unmap(byte* address, long length) => UnixInterop.MUnmap((nint)address, (nuint)length);

    public void Sync(byte* address, long length, nint file, bool wait)
    {
        if (length == 0)
        {
            // Linux's msync of 0 bytes does nothing; on macOS this also skips F_FULLFSYNC, so that
            // an empty range promises nothing on every OS (Windows' FlushViewOfFile would read 0 as
            // "the whole view").
            return;
        }

        Check(UnixInterop.MSync((nint)address, (nuint)length, wait ? _os.MS_SYNC : _os.MS_ASYNC), "msync");
        if (wait && _os.F_FULLFSYNC != 0 && file != PlatformFile.None)
        {
            // F_FULLFSYNC takes no argument, so the variadic ABI does not matter here.
            Check(UnixInterop.Fcntl((int)file, _os.F_FULLFSYNC, 0) == -1 ? -1 : 0, "fcntl(F_FULLFSYNC)");
        }
    }

    public void SyncDirectory(string directory)
    {
        int fd;
        do
        {
            fd = UnixInterop.Open(directory, _os.O_RDONLY | _os.O_CLOEXEC, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        if (fd < 0)
        {
            // A directory this process may write into but not read (mode 0300) cannot be opened to
            // be synced: as PostgreSQL's fsync_fname, not an error (the caller's rename is done).
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EACCES)
            {
                return;
            }

            throw Errno.ToFileException(errno, directory);
        }

        try
        {
            int result;
            do
            {
                // F_FULLFSYNC takes no argument, so the variadic ABI does not matter here.
                result = _os.F_FULLFSYNC != 0 ? UnixInterop.Fcntl(fd, _os.F_FULLFSYNC, 0) : UnixInterop.FSync(fd);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

            // Some file systems (some FUSE and network ones) refuse to sync a directory: as
            // PostgreSQL's fsync_fname, that is not an error; anything else is.
            if (result < 0 && Marshal.GetLastPInvokeError() != Errno.EINVAL)
            {
                throw Errno.ToException(Marshal.GetLastPInvokeError(), $"fsync of the directory {directory}");
            }
        }
        finally
        {
            UnixInterop.Close(fd);
        }
    }

    public void Advise(byte* address, long length, MapAdvice advice, MapFlags flags) =>
        Check(UnixInterop.MAdvise((nint)address, (nuint)length, _os.TranslateAdvice(advice, flags)), "madvise");

    public void Protect(byte* address, long length, MapProtection protection) =>
        Check(UnixInterop.MProtect((nint)address, (nuint)length, _os.TranslateProtection(protection)), "mprotect");

    public void Lock(byte* address, long length) => Check(UnixInterop.MLock((nint)address, (nuint)length), "mlock");

    public void Unlock(byte* address, long length) => Check(UnixInterop.MUnlock((nint)address, (nuint)length), "munlock");

    public string DescribeFile(nint file)
    {
        if (file < 0 || _os.Stat is null || !OperatingSystem.IsLinux())
        {
            // macOS has fcntl(F_GETPATH), but the name is only for diagnostics.
            return string.Empty;
        }

        byte* buffer = stackalloc byte[4096];
        nint count = UnixInterop.ReadLink($"/proc/self/fd/{file}", buffer, 4096);
        return count > 0 ? Encoding.UTF8.GetString(buffer, (int)count) : string.Empty;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw Errno.ToException(Marshal.GetLastPInvokeError(), call);
        }
    }
}
