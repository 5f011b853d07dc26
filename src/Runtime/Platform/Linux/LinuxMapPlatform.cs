using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Overlay.Platform.Linux;

/// <summary>Linux: <c>mmap</c>, <c>mremap</c> and friends from libc.</summary>
internal sealed unsafe partial class LinuxMapPlatform : IMapPlatform
{
    /// <param name="useRemap">
    /// False to resize by mapping again instead of <c>mremap</c>, as a system without it must
    /// (macOS); tests use it so that path runs on Linux too.
    /// </param>
    public LinuxMapPlatform(bool useRemap = true) => _useRemap = useRemap;

    // struct stat differs by architecture; these are the offsets of st_mode and st_size.
    private static readonly (int Mode, int Size) s_statLayout = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (24, 48),
        Architecture.Arm64 => (16, 48),
        Architecture.LoongArch64 => (16, 48),
        Architecture.RiscV64 => (16, 48),
        _ => (-1, -1),
    };

    public long PageSize { get; } = Environment.SystemPageSize;

    public long AllocationGranularity => PageSize;

    public int OpenFile(string path, bool writable)
    {
        int fd;
        do
        {
            fd = LinuxInterop.Open(path, (writable ? LinuxInterop.O_RDWR : LinuxInterop.O_RDONLY) | LinuxInterop.O_CLOEXEC, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        if (fd < 0)
        {
            throw Errno.ToFileException(Marshal.GetLastPInvokeError(), path);
        }

        return fd;
    }

    public int Duplicate(int fd)
    {
        int copy = LinuxInterop.Fcntl(fd, LinuxInterop.F_DUPFD_CLOEXEC, 0);
        return copy >= 0 ? copy : throw Errno.ToException(Marshal.GetLastPInvokeError(), "dup");
    }

    public void CloseFile(int fd) => LinuxInterop.Close(fd); // like memmap2's Drop: a failed close has nothing left to undo

    public FileStatus GetStatus(int fd)
    {
        if (s_statLayout.Mode < 0)
        {
            throw new PlatformNotSupportedException($"Overlay does not know the layout of struct stat on {RuntimeInformation.ProcessArchitecture}.");
        }

        byte* buffer = stackalloc byte[256];
        if (LinuxInterop.FStat(fd, buffer) != 0)
        {
            throw Errno.ToException(Marshal.GetLastPInvokeError(), "fstat");
        }

        uint mode = *(uint*)(buffer + s_statLayout.Mode);
        long size = *(long*)(buffer + s_statLayout.Size);
        return new FileStatus(size, (mode & LinuxInterop.S_IFMT) == LinuxInterop.S_IFREG);
    }

    public void Truncate(int fd, long size)
    {
        int result;
        do
        {
            result = LinuxInterop.FTruncate(fd, size);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        if (result != 0)
        {
            throw Errno.ToException(Marshal.GetLastPInvokeError(), "ftruncate");
        }
    }

    public byte* Map(long length, MapProtection protection, MapFlags flags, int fd, long offset)
    {
        nint address = LinuxInterop.MMap(0, (nuint)length, (int)protection, (int)flags, fd, offset);
        return address != LinuxInterop.MapFailed ? (byte*)address : throw Errno.ToException(Marshal.GetLastPInvokeError(), "mmap");
    }

    public void Unmap(byte* address, long length) => LinuxInterop.MUnmap((nint)address, (nuint)length);

    public void Sync(byte* address, long length, bool wait) =>
        Check(LinuxInterop.MSync((nint)address, (nuint)length, wait ? LinuxInterop.MS_SYNC : LinuxInterop.MS_ASYNC), "msync");

    public void Advise(byte* address, long length, MapAdvice advice) =>
        Check(LinuxInterop.MAdvise((nint)address, (nuint)length, (int)advice), "madvise");

    public void Protect(byte* address, long length, MapProtection protection) =>
        Check(LinuxInterop.MProtect((nint)address, (nuint)length, (int)protection), "mprotect");

    public void Lock(byte* address, long length) => Check(LinuxInterop.MLock((nint)address, (nuint)length), "mlock");

    public void Unlock(byte* address, long length) => Check(LinuxInterop.MUnlock((nint)address, (nuint)length), "munlock");

    public string DescribeFile(int fd)
    {
        if (fd < 0)
        {
            return string.Empty;
        }

        byte* buffer = stackalloc byte[4096];
        nint count = LinuxInterop.ReadLink($"/proc/self/fd/{fd}", buffer, 4096);
        return count > 0 ? Encoding.UTF8.GetString(buffer, (int)count) : string.Empty;
    }

    public Guid BootId => s_bootId.Value;

    // A random UUID the kernel makes at each boot; read once (it cannot change while this process
    // runs). Unreadable (no /proc) is Guid.Empty: "unknown", which never equals a stored id.
    private static readonly Lazy<Guid> s_bootId = new(() =>
    {
        try
        {
            return Guid.TryParse(System.IO.File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), out Guid id) ? id : Guid.Empty;
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            return Guid.Empty;
        }
    });

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw Errno.ToException(Marshal.GetLastPInvokeError(), call);
        }
    }
}
