using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Probes;

/// <summary>Resizes whose failure leaves the map's length past its pages.</summary>
internal static partial class ResizeProbes
{
    private const uint MFD_ALLOW_SEALING = 2;
    private const int F_ADD_SEALS = 1033;
    private const int F_SEAL_SHRINK = 2;

    /// <summary>
    /// Issue 14, hole 4: a shrink the file refuses (a memfd sealed against shrinking), on a mapping
    /// that a sub-range <c>Advise</c> split into two VMAs. The map must keep its length and every
    /// byte of it must stay readable and writable.
    /// </summary>
    public static void RefusedShrinkKeepsMapping()
    {
        long page = MemoryMap.PageSize;
        int fd = MemfdCreate("overlay-probe", MFD_ALLOW_SEALING);
        if (fd < 0)
        {
            throw new IOException($"memfd_create failed: errno {Marshal.GetLastPInvokeError()}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        RandomAccess.SetLength(handle, 4 * page);
        if (Fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) != 0)
        {
            throw new IOException($"F_ADD_SEALS failed: errno {Marshal.GetLastPInvokeError()}");
        }

        using var map = new MemoryMap(handle, 0);
        map.Advise(MapAdvice.Random, 0, page);
        try
        {
            map.Resize(2 * page);
            throw new InvalidOperationException("a shrink of a memfd sealed against shrinking succeeded");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
        }

        if (map.Length != 4 * page)
        {
            throw new InvalidOperationException($"the refused shrink left Length {map.Length}, not {4 * page}");
        }

        map[-1] = 0x7E;
        if (map[map.Length - 1] != 0x7E || map[0] != 0)
        {
            throw new InvalidOperationException("the map's bytes changed");
        }
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}
