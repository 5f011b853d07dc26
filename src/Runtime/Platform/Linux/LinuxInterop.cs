using System.Runtime.InteropServices;

namespace Overlay.Platform.Linux;

/// <summary>The libc calls the Linux layer makes. Every one sets errno, read through <see cref="Marshal.GetLastPInvokeError"/>.</summary>
internal static unsafe partial class LinuxInterop
{
    private const string LibC = "libc";

    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_CLOEXEC = 0x80000;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int MS_ASYNC = 1;
    public const int MS_SYNC = 4;
    public const int MREMAP_MAYMOVE = 1;
    public const int S_IFMT = 0xF000;
    public const int S_IFREG = 0x8000;

    /// <summary><c>MAP_FAILED</c>.</summary>
    public static readonly nint MapFailed = -1;

    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(LibC, EntryPoint = "fstat", SetLastError = true)]
    public static partial int FStat(int fd, byte* buffer);

    [LibraryImport(LibC, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport(LibC, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint MMap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(LibC, EntryPoint = "munmap", SetLastError = true)]
    public static partial int MUnmap(nint address, nuint length);

    // mremap is variadic; the fifth argument (new_address) is only read with MREMAP_FIXED, which is never passed.
    [LibraryImport(LibC, EntryPoint = "mremap", SetLastError = true)]
    public static partial nint MRemap(nint oldAddress, nuint oldLength, nuint newLength, int flags, nint newAddress);

    [LibraryImport(LibC, EntryPoint = "msync", SetLastError = true)]
    public static partial int MSync(nint address, nuint length, int flags);

    [LibraryImport(LibC, EntryPoint = "madvise", SetLastError = true)]
    public static partial int MAdvise(nint address, nuint length, int advice);

    [LibraryImport(LibC, EntryPoint = "mprotect", SetLastError = true)]
    public static partial int MProtect(nint address, nuint length, int protection);

    [LibraryImport(LibC, EntryPoint = "mlock", SetLastError = true)]
    public static partial int MLock(nint address, nuint length);

    [LibraryImport(LibC, EntryPoint = "munlock", SetLastError = true)]
    public static partial int MUnlock(nint address, nuint length);

    [LibraryImport(LibC, EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLink(string path, byte* buffer, nuint size);
}
