using System.Runtime.InteropServices;

namespace Overlay.Platform.Linux;

/// <summary>
/// The libc calls only Linux has (the shared ones are in <see cref="Unix.UnixInterop"/>). Resolved
/// on first call, so a process on another OS that never calls them never looks them up.
/// </summary>
internal static partial class LinuxInterop
{
    private const string LibC = "libc";

    /// <summary><c>SYNC_FILE_RANGE_WRITE</c>: start writing the range's dirty pages, do not wait.</summary>
    public const uint SYNC_FILE_RANGE_WRITE = 2;

    /// <summary><c>ENOSYS</c> (Linux's number; macOS has another): the kernel has no such call.</summary>
    public const int ENOSYS = 38;

    [LibraryImport(LibC, EntryPoint = "sync_file_range", SetLastError = true)]
    public static partial int SyncFileRange(int fd, long offset, long length, uint flags);
}
