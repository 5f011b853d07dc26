using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Overlay.Platform;

/// <summary>
/// Turns an errno into .NET's exception for it: permission errors as
/// <see cref="UnauthorizedAccessException"/>, missing files as <see cref="FileNotFoundException"/>,
/// everything else as <see cref="MapIOException"/> carrying the number.
/// </summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int EFBIG = 27;
    public const int ENOSPC = 28;

    public static Exception ToException(int errno, string call)
    {
        string message = $"{call} failed: [Errno {errno}] {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno is EACCES or EPERM
            ? new UnauthorizedAccessException(message, new MapIOException(message, errno))
            : new MapIOException(message, errno);
    }

    public static Exception ToFileException(int errno, string path)
    {
        string message = $"cannot open '{path}': [Errno {errno}] {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno switch
        {
            ENOENT => new FileNotFoundException(message, path),
            ENOTDIR => new DirectoryNotFoundException(message),
            EACCES or EPERM => new UnauthorizedAccessException(message, new MapIOException(message, errno)),
            _ => new MapIOException(message, errno),
        };
    }
}
