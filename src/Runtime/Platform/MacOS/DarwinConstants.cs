using System.Runtime.InteropServices;
using Overlay.Platform.Unix;

namespace Overlay.Platform.MacOS;

/// <summary>
/// Darwin's numbers, from the macOS SDK's <c>sys/fcntl.h</c>, <c>sys/mman.h</c> and
/// <c>sys/stat.h</c> (the same on x86-64 and arm64). <c>DarwinConstantsTests</c> compares every
/// one with the header values written out there. What Darwin lacks is refused here, before any
/// system call: no <c>mremap</c> (resize maps afresh), and of Linux's flags only
/// <c>MAP_SHARED</c>, <c>MAP_PRIVATE</c>, <c>MAP_NORESERVE</c> and anonymous memory
/// (<c>MAP_ANON</c>, 0x1000, where Linux's <c>MAP_ANONYMOUS</c> is 0x20).
/// </summary>
internal sealed class DarwinConstants : UnixConstants
{
    public static readonly DarwinConstants Instance = new();

    // sys/mman.h
    public const int MAP_SHARED = 0x0001;
    public const int MAP_PRIVATE = 0x0002;
    public const int MAP_NORESERVE = 0x0040;
    public const int MAP_ANON = 0x1000;
    public const int PROT_READ = 0x01;
    public const int PROT_WRITE = 0x02;
    public const int PROT_EXEC = 0x04;
    public const int MS_ASYNC_VALUE = 0x0001;
    public const int MS_SYNC_VALUE = 0x0010;
    public const int MADV_NORMAL = 0;
    public const int MADV_RANDOM = 1;
    public const int MADV_SEQUENTIAL = 2;
    public const int MADV_WILLNEED = 3;
    public const int MADV_DONTNEED = 4;
    public const int MADV_FREE = 5;

    // sys/fcntl.h
    public const int O_RDONLY_VALUE = 0x0000;
    public const int O_RDWR_VALUE = 0x0002;
    public const int O_CREAT_VALUE = 0x0200;
    public const int O_EXCL_VALUE = 0x0800;
    public const int O_CLOEXEC_VALUE = 0x01000000;
    public const int F_DUPFD_CLOEXEC_VALUE = 67;
    public const int F_FULLFSYNC_VALUE = 51;

    private DarwinConstants()
    {
    }

    public override string OSName => "macOS";
    public override int O_RDONLY => O_RDONLY_VALUE;
    public override int O_RDWR => O_RDWR_VALUE;
    public override int O_CREAT => O_CREAT_VALUE;
    public override int O_EXCL => O_EXCL_VALUE;
    public override int O_CLOEXEC => O_CLOEXEC_VALUE;
    public override int F_DUPFD_CLOEXEC => F_DUPFD_CLOEXEC_VALUE;
    public override int MS_ASYNC => MS_ASYNC_VALUE;
    public override int MS_SYNC => MS_SYNC_VALUE;

    // Darwin's msync(MS_SYNC) and fsync hand the data to the drive but not past its write
    // cache; only F_FULLFSYNC asks the drive to flush, so a durable Flush needs it.
    public override int F_FULLFSYNC => F_FULLFSYNC_VALUE;

    // No mremap: UnixMapPlatform resizes by mapping afresh (the useRemap: false path that CI runs on Linux).
    public override int MREMAP_MAYMOVE => 0;

    public override bool VariadicOnStack => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    // struct stat with 64-bit inodes (sys/stat.h, __DARWIN_STRUCT_STAT64): st_dev (4 bytes),
    // st_mode (16 bits) at 4, st_nlink, st_ino at 8, uid, gid, rdev, four timespecs from 32,
    // st_size at 96. arm64 has only this layout under "fstat"; x86-64 names it fstat$INODE64.
    public override StatLayout? Stat { get; } = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 => new StatLayout(4, 2, 96, UseInode64Symbol: false),
        Architecture.X64 => new StatLayout(4, 2, 96, UseInode64Symbol: true),
        _ => null,
    };

    public override int TranslateFlags(MapFlags flags)
    {
        MapFlags type = flags & MapFlags.SharedValidate;
        int result = type switch
        {
            MapFlags.Shared => MAP_SHARED,
            MapFlags.Private => MAP_PRIVATE,
            MapFlags.None => 0,
            _ => throw NotSupported($"MapFlags.{type} (Linux's MAP_SHARED_VALIDATE)"),
        };

        MapFlags rest = flags & ~MapFlags.SharedValidate;
        if ((rest & MapFlags.Anonymous) != 0)
        {
            result |= MAP_ANON;
        }

        if ((rest & MapFlags.NoReserve) != 0)
        {
            result |= MAP_NORESERVE;
        }

        MapFlags unknown = rest & ~(MapFlags.Anonymous | MapFlags.NoReserve);
        if (unknown != 0)
        {
            throw NotSupported($"MapFlags.{unknown} (a Linux-only mmap flag)");
        }

        return result;
    }

    public override int TranslateProtection(MapProtection protection)
    {
        MapProtection unknown = protection & ~(MapProtection.Read | MapProtection.Write | MapProtection.Execute);
        if (unknown != 0)
        {
            throw NotSupported($"MapProtection.{unknown} (Linux's PROT_GROWSDOWN/PROT_GROWSUP)");
        }

        // PROT_READ, PROT_WRITE and PROT_EXEC have Linux's values on Darwin.
        return (int)protection;
    }

    public override int TranslateAdvice(MapAdvice advice, MapFlags flags) => advice switch
    {
        MapAdvice.Normal => MADV_NORMAL,
        MapAdvice.Random => MADV_RANDOM,
        MapAdvice.Sequential => MADV_SEQUENTIAL,
        MapAdvice.WillNeed => MADV_WILLNEED,

        // Linux drops a private map's changes on MADV_DONTNEED (anonymous memory reads back
        // zeros); Darwin's is a hint that keeps them. Only shared maps, which keep their
        // contents on both, mean the same.
        MapAdvice.DontNeed when (flags & MapFlags.SharedValidate) != MapFlags.Private => MADV_DONTNEED,
        MapAdvice.DontNeed => throw NotSupported("MapAdvice.DontNeed on a private map (Darwin keeps the changes Linux drops)"),

        // Both: the pages may be reused; they read back as before or as zeros.
        MapAdvice.Free => MADV_FREE,
        _ => throw NotSupported($"MapAdvice.{advice} (Linux-only madvise advice)"),
    };
}
