using System;
using System.Buffers.Binary;

namespace Overlay.Platform.Windows;

/// <summary>The boot id a record file compares to tell a process crash from a lost page cache (docs/durability.md).</summary>
internal sealed unsafe partial class WindowsMapPlatform
{
    // "Win.Boot": the id's last eight bytes, so that it can never equal a Linux or macOS boot id
    // (random UUIDs) by its first eight alone.
    private static ReadOnlySpan<byte> BootIdTag => "Win.Boot"u8;

    private static readonly Lazy<Guid> s_bootId = new(ReadBootId);

    /// <summary>
    /// The kernel's boot time (<c>SYSTEM_TIMEOFDAY_INFORMATION.BootTime</c>, 100 ns units since
    /// 1601) and a tag, read once: <see cref="Guid.Empty"/> if the call fails.
    /// </summary>
    /// <remarks>
    /// Why the boot time: it is one value the kernel stores at boot, so every process of a boot
    /// reads exactly the same number (boot time computed as "now − <c>GetTickCount64</c>" jitters by
    /// a tick from one process to the next), and a new boot always has another. The registry's
    /// <c>PrefetchParameters\BootId</c> is a small counter (two machines share its values, Wine has
    /// none). Hibernation and sleep keep it, as they keep the page cache. Windows moves it when
    /// the system clock is set: the id then changes within a boot, which costs, after a crash, only
    /// the appends since the last <c>Flush</c> (the safe direction: a changed id never trusts a
    /// count the disk may not hold). Under Wine it is the wineserver's start time.
    /// </remarks>
    public Guid BootId => s_bootId.Value;

    private static Guid ReadBootId()
    {
        Kernel32.TimeOfDayInformation info;
        uint returned;
        int status = Kernel32.NtQuerySystemInformation(Kernel32.SystemTimeOfDayInformation, &info, (uint)sizeof(Kernel32.TimeOfDayInformation), &returned);
        if (status < 0 || info.BootTime == 0)
        {
            return Guid.Empty;
        }

        Span<byte> id = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(id, info.BootTime);
        BootIdTag.CopyTo(id[8..]);
        return new Guid(id);
    }
}
