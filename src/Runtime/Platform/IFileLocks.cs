using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Platform;

/// <summary>
/// Advisory locks on single bytes of an open file, owned by the open (Linux open-file-description
/// locks, Windows <c>LockFileEx</c>): two opens of one file conflict whether they are in one process
/// or two, a lock goes away when the last descriptor of its open closes (so also when the process
/// dies), and a lock may lie past the end of the file. macOS has only per-process POSIX locks
/// (<see cref="MacOS.DarwinFileLocks"/> says what that changes). Record files build their writer and reader locks on these. Callers
/// have validated every argument; an implementation makes the call and turns a failure into an
/// exception.
/// </summary>
internal interface IFileLocks
{
    /// <summary>Takes a shared or exclusive lock on the byte at <paramref name="offset"/> without waiting.</summary>
    /// <returns>False when another open holds a conflicting lock.</returns>
    bool TryLock(SafeFileHandle file, long offset, bool exclusive);

    /// <summary>Takes a shared or exclusive lock on the byte at <paramref name="offset"/>, waiting while another open holds a conflicting one.</summary>
    void Lock(SafeFileHandle file, long offset, bool exclusive);

    /// <summary>Releases this open's lock on the byte at <paramref name="offset"/>, if it holds one.</summary>
    void Unlock(SafeFileHandle file, long offset);
}

/// <summary>Chooses the implementation of <see cref="IFileLocks"/> for the running OS, once.</summary>
internal static class FileLocks
{
    public static readonly IFileLocks Current = Create();

    private static IFileLocks Create()
    {
        // struct flock is the same on every 64-bit Linux .NET runs on; 32-bit processes would need
        // fcntl64 and its own layout.
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64)
        {
            return new Linux.LinuxFileLocks();
        }

        if (OperatingSystem.IsWindows())
        {
            return new Windows.WindowsFileLocks();
        }

        // Darwin's struct flock is the same on x86-64 and arm64, the two architectures macOS has.
        if (OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
        {
            return new MacOS.DarwinFileLocks();
        }

        return new UnsupportedFileLocks($"{RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
    }
}
