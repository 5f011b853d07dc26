using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Overlay.Probes;

/// <summary>
/// The process's file-size limit (<c>RLIMIT_FSIZE</c>): a write that would pass it writes what
/// fits and the next one fails with <c>EFBIG</c>, a real I/O failure of <c>pwrite</c> that nothing
/// in the process can tell from a full disk. Only the soft limit is lowered, so it can be lifted again.
/// </summary>
internal static partial class FileSizeLimit
{
    private const int RlimitFsize = 1;

    // SIGXFSZ, which the kernel sends with EFBIG: its default action kills the process.
    private const int Sigxfsz = 25;

    /// <summary>Refuses to run unless SIGXFSZ is ignored (set by the parent, kept across <c>exec</c>), so that EFBIG is an error and not a kill.</summary>
    public static void RequireSignalIgnored()
    {
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        ulong ignored = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        if ((ignored & (1UL << (Sigxfsz - 1))) == 0)
        {
            throw new InvalidOperationException($"SIGXFSZ is not ignored ({line}): run the probe through bash -c 'trap \"\" XFSZ; exec dotnet ...'");
        }
    }

    /// <summary>From now on no file of the process may grow past <paramref name="bytes"/>.</summary>
    public static void Set(long bytes)
    {
        Limit limit = Get();
        limit.Current = (ulong)bytes;
        Put(limit);
    }

    /// <summary>Raises the limit back to the hard limit (the disk was freed).</summary>
    public static void Lift()
    {
        Limit limit = Get();
        limit.Current = limit.Maximum;
        Put(limit);
    }

    private static Limit Get() =>
        GetRlimit(RlimitFsize, out Limit limit) == 0 ? limit : throw new IOException($"getrlimit failed: errno {Marshal.GetLastPInvokeError()}");

    private static void Put(Limit limit)
    {
        if (SetRlimit(RlimitFsize, limit) != 0)
        {
            throw new IOException($"setrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRlimit(int resource, out Limit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRlimit(int resource, in Limit limit);

    // struct rlimit on 64-bit Linux: rlim_cur, rlim_max.
    [StructLayout(LayoutKind.Sequential)]
    private struct Limit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
