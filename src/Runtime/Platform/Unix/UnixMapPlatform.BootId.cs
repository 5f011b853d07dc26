using System;
using System.IO;

namespace Overlay.Platform.Unix;

/// <summary>The boot id a record file compares to tell a process crash from a lost page cache (docs/durability.md).</summary>
internal sealed unsafe partial class UnixMapPlatform
{
    public Guid BootId => s_bootId.Value;

    // A random UUID the kernel makes at each boot, read once (it cannot change while this process
    // runs): Linux's /proc/sys/kernel/random/boot_id, macOS's sysctl kern.bootsessionuuid.
    // Guid.Empty means "unknown", which never equals a stored id, so a record file then trusts only
    // its durable count after any crash (safe, and loses the appends since the last Flush).
    private static readonly Lazy<Guid> s_bootId = new(ReadBootId);

    private static Guid ReadBootId()
    {
        if (OperatingSystem.IsMacOS())
        {
            return MacOS.DarwinBootId.Read();
        }

        if (!OperatingSystem.IsLinux())
        {
            return Guid.Empty;
        }

        try
        {
            return Guid.TryParse(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), out Guid id) ? id : Guid.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Guid.Empty;
        }
    }
}
