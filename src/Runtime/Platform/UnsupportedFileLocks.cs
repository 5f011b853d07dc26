using System;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Platform;

/// <summary>
/// File locks on an OS or architecture Overlay has none for (not Linux 64-bit, Windows or macOS):
/// every call throws <see cref="PlatformNotSupportedException"/>, so a record file refuses to open
/// rather than run without the locks that keep two writers apart.
/// </summary>
internal sealed class UnsupportedFileLocks : IFileLocks
{
    private readonly string _platform;

    public UnsupportedFileLocks(string platform) => _platform = platform;

    public bool TryLock(SafeFileHandle file, long offset, bool exclusive) => throw NotSupported();

    public void Lock(SafeFileHandle file, long offset, bool exclusive) => throw NotSupported();

    public void Unlock(SafeFileHandle file, long offset) => throw NotSupported();

    private PlatformNotSupportedException NotSupported() =>
        new($"Overlay does not lock files on {_platform} yet, and record files need the lock that keeps two writers apart. Linux (64-bit), Windows and macOS are supported.");
}
