using System;
using System.Runtime.InteropServices;

namespace Overlay.Benchmarks;

/// <summary>The bare calls of the writable baselines (issue #3): read-write mmap, ftruncate, mremap.</summary>
internal static unsafe partial class Native
{
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int PROT_WRITE = 2;
    public const int MREMAP_MAYMOVE = 1;
    public const int MADV_POPULATE_WRITE = 23;

    [LibraryImport(LibC, EntryPoint = "ftruncate")]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport(LibC, EntryPoint = "madvise")]
    public static partial int MAdvise(nint address, nuint length, int advice);

    [LibraryImport(LibC, EntryPoint = "mremap")]
    public static partial nint MRemap(nint oldAddress, nuint oldLength, nuint newLength, int flags);

    /// <summary>Maps <paramref name="length"/> bytes of a file read-write and shared; the caller unmaps them.</summary>
    public static byte* MapReadWrite(string path, long length)
    {
        int fd = Open(path, O_RDWR | O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new InvalidOperationException($"open({path}) failed");
        }

        try
        {
            nint address = MMap(0, (nuint)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
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
