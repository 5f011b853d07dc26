using Overlay.Platform.MacOS;
using Xunit;

namespace Overlay.Tests.Platforms;

/// <summary>
/// The macOS layer runs nowhere in CI, so its numbers are checked here against the Darwin header
/// values written out by hand from the macOS SDK (MacOSX.sdk/usr/include, xnu's bsd/sys):
/// <c>sys/mman.h</c>, <c>sys/fcntl.h</c>, <c>sys/errno.h</c> and <c>sys/stat.h</c>. (The boot id,
/// <c>sysctl kern.bootsessionuuid</c>, is read by name and needs no number.)
/// </summary>
public class DarwinConstantsTests
{
    [Fact]
    public void MmanValuesAreDarwins()
    {
        // sys/mman.h: #define MAP_SHARED 0x0001, MAP_PRIVATE 0x0002, MAP_NORESERVE 0x0040, MAP_ANON 0x1000
        Assert.Equal(0x0001, DarwinConstants.MAP_SHARED);
        Assert.Equal(0x0002, DarwinConstants.MAP_PRIVATE);
        Assert.Equal(0x0040, DarwinConstants.MAP_NORESERVE);
        Assert.Equal(0x1000, DarwinConstants.MAP_ANON);

        // sys/mman.h: PROT_READ 0x01, PROT_WRITE 0x02, PROT_EXEC 0x04
        Assert.Equal(0x01, DarwinConstants.PROT_READ);
        Assert.Equal(0x02, DarwinConstants.PROT_WRITE);
        Assert.Equal(0x04, DarwinConstants.PROT_EXEC);

        // sys/mman.h: MS_ASYNC 0x0001, MS_SYNC 0x0010 (Linux: 1 and 4)
        Assert.Equal(0x0001, DarwinConstants.Instance.MS_ASYNC);
        Assert.Equal(0x0010, DarwinConstants.Instance.MS_SYNC);

        // sys/mman.h: MADV_NORMAL 0 .. MADV_DONTNEED 4, MADV_FREE 5 (Linux's MADV_FREE is 8)
        Assert.Equal(0, DarwinConstants.MADV_NORMAL);
        Assert.Equal(1, DarwinConstants.MADV_RANDOM);
        Assert.Equal(2, DarwinConstants.MADV_SEQUENTIAL);
        Assert.Equal(3, DarwinConstants.MADV_WILLNEED);
        Assert.Equal(4, DarwinConstants.MADV_DONTNEED);
        Assert.Equal(5, DarwinConstants.MADV_FREE);
    }

    [Fact]
    public void FcntlValuesAreDarwins()
    {
        // sys/fcntl.h: O_RDONLY 0x0000, O_RDWR 0x0002, O_CREAT 0x00000200, O_EXCL 0x00000800,
        // O_CLOEXEC 0x01000000, F_FULLFSYNC 51, F_DUPFD_CLOEXEC 67
        DarwinConstants darwin = DarwinConstants.Instance;
        Assert.Equal(0x0000, darwin.O_RDONLY);
        Assert.Equal(0x0002, darwin.O_RDWR);
        Assert.Equal(0x0200, darwin.O_CREAT);
        Assert.Equal(0x0800, darwin.O_EXCL);
        Assert.Equal(0x01000000, darwin.O_CLOEXEC);
        Assert.Equal(51, darwin.F_FULLFSYNC);
        Assert.Equal(67, darwin.F_DUPFD_CLOEXEC);
        Assert.Equal(0, darwin.MREMAP_MAYMOVE); // no mremap: resize maps afresh
    }

    [Fact]
    public void ErrnoValuesTheRuntimeUsesAreDarwinsToo()
    {
        // sys/errno.h: EPERM 1, ENOENT 2, EINTR 4, EBADF 9, ENOMEM 12, EACCES 13, EBUSY 16,
        // EEXIST 17, ENOTDIR 20, EINVAL 22, ENOSPC 28: the same numbers as Linux's, so Errno serves both.
        Assert.Equal(1, Overlay.Platform.Errno.EPERM);
        Assert.Equal(2, Overlay.Platform.Errno.ENOENT);
        Assert.Equal(4, Overlay.Platform.Errno.EINTR);
        Assert.Equal(9, Overlay.Platform.Errno.EBADF);
        Assert.Equal(12, Overlay.Platform.Errno.ENOMEM);
        Assert.Equal(13, Overlay.Platform.Errno.EACCES);
        Assert.Equal(16, Overlay.Platform.Errno.EBUSY);
        Assert.Equal(17, Overlay.Platform.Errno.EEXIST);
        Assert.Equal(20, Overlay.Platform.Errno.ENOTDIR);
        Assert.Equal(22, Overlay.Platform.Errno.EINVAL);
        Assert.Equal(28, Overlay.Platform.Errno.ENOSPC);
    }

    [Fact]
    public void FlagsTranslateToDarwinsAndLinuxOnlyOnesAreRefused()
    {
        DarwinConstants darwin = DarwinConstants.Instance;
        Assert.Equal(0x1001, darwin.TranslateFlags(MapFlags.Shared | MapFlags.Anonymous));
        Assert.Equal(0x0042, darwin.TranslateFlags(MapFlags.Private | MapFlags.NoReserve));
        Assert.Contains("Populate", Assert.Throws<System.PlatformNotSupportedException>(() => darwin.TranslateFlags(MapFlags.Shared | MapFlags.Populate)).Message);
        Assert.Throws<System.PlatformNotSupportedException>(() => darwin.TranslateFlags(MapFlags.SharedValidate));
        Assert.Throws<System.PlatformNotSupportedException>(() => darwin.TranslateProtection(MapProtection.Read | MapProtection.GrowsDown));
        Assert.Equal(5, darwin.TranslateAdvice(MapAdvice.Free, MapFlags.Private));
        Assert.Equal(4, darwin.TranslateAdvice(MapAdvice.DontNeed, MapFlags.Shared));
        Assert.Throws<System.PlatformNotSupportedException>(() => darwin.TranslateAdvice(MapAdvice.DontNeed, MapFlags.Private));
        Assert.Throws<System.PlatformNotSupportedException>(() => darwin.TranslateAdvice(MapAdvice.HugePage, MapFlags.Shared));
    }

    [Fact]
    public void FileLockValuesAndStructFlockAreDarwins()
    {
        // sys/fcntl.h: F_SETLK 8, F_SETLKW 9; F_RDLCK 1, F_UNLCK 2, F_WRLCK 3 (Linux: 6, 7; 0, 2, 1)
        Assert.Equal(8, DarwinFileLocks.F_SETLK);
        Assert.Equal(9, DarwinFileLocks.F_SETLKW);
        Assert.Equal(1, DarwinFileLocks.F_RDLCK);
        Assert.Equal(2, DarwinFileLocks.F_UNLCK);
        Assert.Equal(3, DarwinFileLocks.F_WRLCK);
        Assert.Equal(0, DarwinFileLocks.SEEK_SET);

        // sys/errno.h: #define EAGAIN 35 (Linux: 11)
        Assert.Equal(35, DarwinFileLocks.EAGAIN);

        // sys/fcntl.h: struct flock { off_t l_start; off_t l_len; pid_t l_pid; short l_type; short l_whence; }
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<DarwinFileLocks.Flock>());
        Assert.Equal(0, OffsetOf(nameof(DarwinFileLocks.Flock.Start)));
        Assert.Equal(8, OffsetOf(nameof(DarwinFileLocks.Flock.Length)));
        Assert.Equal(16, OffsetOf(nameof(DarwinFileLocks.Flock.Pid)));
        Assert.Equal(20, OffsetOf(nameof(DarwinFileLocks.Flock.Type)));
        Assert.Equal(22, OffsetOf(nameof(DarwinFileLocks.Flock.Whence)));

        static int OffsetOf(string field) => (int)System.Runtime.InteropServices.Marshal.OffsetOf<DarwinFileLocks.Flock>(field);
    }

    [Fact]
    public void StructStatOffsetsAreDarwins()
    {
        // sys/stat.h, struct stat with __DARWIN_64_BIT_INO_T: st_dev (dev_t, 4 bytes) at 0,
        // st_mode (mode_t, 2 bytes) at 4, st_nlink at 6, st_ino (8) at 8, st_uid, st_gid, st_rdev,
        // four struct timespec from 32, st_size (off_t) at 96.
        var layout = new Overlay.Platform.Unix.StatLayout(4, 2, 96, UseInode64Symbol: false);
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.Arm64)
        {
            Assert.Equal(layout, DarwinConstants.Instance.Stat);
        }
        else
        {
            Assert.Equal(layout with { UseInode64Symbol = true }, DarwinConstants.Instance.Stat);
        }
    }
}
