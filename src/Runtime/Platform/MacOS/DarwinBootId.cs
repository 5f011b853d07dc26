using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Overlay.Platform.MacOS;

/// <summary>
/// macOS's boot id: <c>sysctl kern.bootsessionuuid</c>, a random UUID xnu makes at each boot
/// (bsd/kern/kern_sysctl.c), the counterpart of Linux's <c>/proc/sys/kernel/random/boot_id</c>.
/// </summary>
internal static unsafe partial class DarwinBootId
{
    private const string LibC = "libc";

    /// <summary>The running boot's id, or <see cref="Guid.Empty"/> when it cannot be read.</summary>
    public static Guid Read()
    {
        // A UUID string: 36 characters and the terminating zero.
        byte* buffer = stackalloc byte[64];
        nuint length = 64;
        if (SysctlByName("kern.bootsessionuuid", buffer, &length, null, 0) != 0 || length == 0)
        {
            return Guid.Empty;
        }

        string text = Encoding.ASCII.GetString(buffer, (int)length).TrimEnd('\0');
        return Guid.TryParse(text, out Guid id) ? id : Guid.Empty;
    }

    [LibraryImport(LibC, EntryPoint = "sysctlbyname", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SysctlByName(string name, byte* value, nuint* length, byte* newValue, nuint newLength);
}
