using System.Runtime.InteropServices;

namespace Overlay.Platform.Unix;

/// <summary>
/// The libc calls the Unix layer makes, on Linux and macOS alike ("libc" resolves to glibc/musl
/// on Linux and to libSystem on macOS). Every one sets errno, read through
/// <see cref="Marshal.GetLastPInvokeError"/>. The numbers passed to them differ per OS and live in
/// <see cref="UnixConstants"/>.
/// </summary>
internal static unsafe partial class UnixInterop
{
    private const string LibC = "libc";

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

    // macOS on x86-64 keeps the 32-bit-inode struct stat under the plain name; the 64-bit one
    // (the only one on arm64) is this symbol.
    [LibraryImport(LibC, EntryPoint = "fstat$INODE64", SetLastError = true)]
    public static partial int FStatInode64(int fd, byte* buffer);

    [LibraryImport(LibC, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport(LibC, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint MMap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(LibC, EntryPoint = "munmap", SetLastError = true)]
    public static partial int MUnmap(nint address, nuint length);

    [LibraryImport(LibC, EntryPoint = "pread", SetLastError = true)]
    public static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    // Linux only. mremap is variadic; the fifth argument (new_address) is only read with
    // MREMAP_FIXED, which is never passed.
    [LibraryImport(LibC, EntryPoint = "mremap", SetLastError = true)]
    public static partial nint MRemap(nint oldAddress, nuint oldLength, nuint newLength, int flags, nint newAddress);

    [LibraryImport(LibC, EntryPoint = "msync", SetLastError = true)]
    public static partial int MSync(nint address, nuint length, int flags);

    [LibraryImport(LibC, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

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

    // glibc 2.34 and later and macOS have these in libc itself (older glibc: librt).
    [LibraryImport(LibC, EntryPoint = "shm_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ShmOpen(string name, int flags, int mode);

    [LibraryImport(LibC, EntryPoint = "shm_unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ShmUnlink(string name);
}

/// <summary>
/// Apple's arm64 ABI passes every variadic argument on the stack, where a P/Invoke of a plain
/// signature puts it in a register. <c>fcntl</c>, <c>open</c> and <c>shm_open</c> are variadic, so
/// on macOS arm64 their optional argument is passed as the ninth: the eight integer argument
/// registers (x0-x7) are filled first, and the ninth, 8 bytes wide, lands in the first stack
/// slot, where the callee's <c>va_arg</c> reads it.
/// </summary>
internal static unsafe partial class AppleArm64Interop
{
    private const string LibC = "libc";

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, nint x2, nint x3, nint x4, nint x5, nint x6, nint x7, nint argument);

    [LibraryImport(LibC, EntryPoint = "shm_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ShmOpen(string name, int flags, nint x2, nint x3, nint x4, nint x5, nint x6, nint x7, nint mode);
}
