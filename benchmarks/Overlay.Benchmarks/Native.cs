using System;
using System.Runtime.InteropServices;

namespace Overlay.Benchmarks;

/// <summary>
/// The bare libc calls, for the baselines: what any mapping library has to do at least.
/// No <c>SetLastError</c>: a failure throws without errno, which a baseline can afford.
/// </summary>
internal static unsafe partial class Native
{
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int PROT_READ = 1;
    public const int MAP_SHARED = 1;

    /// <summary>MAP_FAILED.</summary>
    public const nint MapFailed = -1;

    private const string LibC = "libc";

    [LibraryImport(LibC, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(LibC, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(LibC, EntryPoint = "fstat")]
    public static partial int FStat(int fd, byte* buffer);

    [LibraryImport(LibC, EntryPoint = "mmap")]
    public static partial nint MMap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(LibC, EntryPoint = "munmap")]
    public static partial int MUnmap(nint address, nuint length);

    /// <summary>The offset of st_size in struct stat: 48 on x64 and arm64 (glibc).</summary>
    public static int StatSizeOffset =>
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
            ? 48
            : throw new PlatformNotSupportedException("The benchmarks know struct stat on x64 and arm64 only.");

    /// <summary>Maps a whole file read-only with the bare calls; the caller unmaps it.</summary>
    public static byte* MapWholeFile(string path, out long length)
    {
        int fd = Open(path, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new InvalidOperationException($"open({path}) failed");
        }

        try
        {
            byte* stat = stackalloc byte[256];
            if (FStat(fd, stat) != 0)
            {
                throw new InvalidOperationException("fstat failed");
            }

            length = *(long*)(stat + StatSizeOffset);
            nint address = MMap(0, (nuint)length, PROT_READ, MAP_SHARED, fd, 0);
            if (address == MapFailed)
            {
                throw new InvalidOperationException("mmap failed");
            }

            return (byte*)address;
        }
        finally
        {
            Close(fd);
        }
    }
}
