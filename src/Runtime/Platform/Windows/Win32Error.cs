using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Overlay.Platform.Windows;

/// <summary>
/// Turns a Win32 error into the exception Linux's errno would give (see <see cref="Errno"/>),
/// translating the code to an errno as CPython's <c>winerror_to_errno</c> does, and keeping it.
/// </summary>
internal static class Win32Error
{
    public const int ERROR_FILE_NOT_FOUND = 2;
    public const int ERROR_PATH_NOT_FOUND = 3;
    public const int ERROR_ACCESS_DENIED = 5;
    public const int ERROR_INVALID_HANDLE = 6;
    public const int ERROR_NOT_ENOUGH_MEMORY = 8;
    public const int ERROR_OUTOFMEMORY = 14;
    public const int ERROR_SHARING_VIOLATION = 32;
    public const int ERROR_LOCK_VIOLATION = 33;
    public const int ERROR_FILE_EXISTS = 80;
    public const int ERROR_INVALID_PARAMETER = 87;
    public const int ERROR_DISK_FULL = 112;
    public const int ERROR_NOT_LOCKED = 158;
    public const int ERROR_ALREADY_EXISTS = 183;
    public const int ERROR_IO_PENDING = 997;
    public const int ERROR_FILE_INVALID = 1006;
    public const int ERROR_USER_MAPPED_FILE = 1224;
    public const int ERROR_WORKING_SET_QUOTA = 1453;
    public const int ERROR_COMMITMENT_LIMIT = 1455;

    /// <summary>The errno for a Win32 error: the ones the mapping calls give, EINVAL otherwise (as CPython).</summary>
    public static int ToErrno(int error) => error switch
    {
        ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND => Errno.ENOENT,
        ERROR_ACCESS_DENIED or ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION => Errno.EACCES,
        ERROR_INVALID_HANDLE => Errno.EBADF,
        ERROR_NOT_ENOUGH_MEMORY or ERROR_OUTOFMEMORY or ERROR_WORKING_SET_QUOTA or ERROR_COMMITMENT_LIMIT => Errno.ENOMEM,
        ERROR_FILE_EXISTS or ERROR_ALREADY_EXISTS => Errno.EEXIST,
        ERROR_DISK_FULL => Errno.ENOSPC,

        // A file another view maps cannot be cut: busy, not forbidden.
        ERROR_USER_MAPPED_FILE => Errno.EBUSY,
        _ => Errno.EINVAL,
    };

    public static Exception ToException(int error, string call)
    {
        string message = $"{call} failed: [WinError {error}] {Marshal.GetPInvokeErrorMessage(error)}";
        int errno = ToErrno(error);
        return errno == Errno.EACCES
            ? new UnauthorizedAccessException(message, new MapIOException(message, errno, error))
            : new MapIOException(message, errno, error);
    }

    public static Exception ToFileException(int error, string path)
    {
        string message = $"cannot open '{path}': [WinError {error}] {Marshal.GetPInvokeErrorMessage(error)}";
        return error switch
        {
            ERROR_FILE_NOT_FOUND => new FileNotFoundException(message, path),
            ERROR_PATH_NOT_FOUND => new DirectoryNotFoundException(message),
            _ when ToErrno(error) == Errno.EACCES => new UnauthorizedAccessException(message, new MapIOException(message, Errno.EACCES, error)),
            _ => new MapIOException(message, ToErrno(error), error),
        };
    }

    /// <summary>The exception for the last error of a call that just failed.</summary>
    public static Exception Last(string call) => ToException(Marshal.GetLastPInvokeError(), call);
}
