using System;

namespace Overlay.Platform.Unix;

/// <summary>
/// The numbers one Unix gives the calls <see cref="UnixMapPlatform"/> makes: the public enums
/// carry Linux's values, and each OS translates them here, refusing (before any system call)
/// what it does not have. One subclass per OS, each in that OS's folder.
/// </summary>
internal abstract class UnixConstants
{
    /// <summary>The OS's name in messages.</summary>
    public abstract string OSName { get; }

    public abstract int O_RDONLY { get; }
    public abstract int O_RDWR { get; }
    public abstract int O_CREAT { get; }
    public abstract int O_EXCL { get; }
    public abstract int O_CLOEXEC { get; }
    public abstract int F_DUPFD_CLOEXEC { get; }
    public abstract int MS_ASYNC { get; }
    public abstract int MS_SYNC { get; }

    /// <summary><c>F_FULLFSYNC</c> where <c>msync(MS_SYNC)</c> does not reach the device (macOS), else 0.</summary>
    public abstract int F_FULLFSYNC { get; }

    /// <summary><c>MREMAP_MAYMOVE</c> where <c>mremap</c> exists (Linux), else 0.</summary>
    public abstract int MREMAP_MAYMOVE { get; }

    /// <summary><c>MADV_POPULATE_WRITE</c> where the OS has it (Linux 5.14 and later), else 0.</summary>
    public virtual int MADV_POPULATE_WRITE => 0;

    /// <summary><c>MADV_HUGEPAGE</c> where the OS has it (Linux), else 0.</summary>
    public virtual int MADV_HUGEPAGE => 0;

    /// <summary><c>MADV_NOHUGEPAGE</c> where the OS has it (Linux), else 0.</summary>
    public virtual int MADV_NOHUGEPAGE => 0;

    /// <summary>The layout of <c>struct stat</c> for the running architecture, or null where it is not known.</summary>
    public abstract StatLayout? Stat { get; }

    /// <summary>The OS's <c>MAP_*</c> bits for <paramref name="flags"/> (Linux's values, as in <see cref="MapFlags"/>).</summary>
    /// <exception cref="PlatformNotSupportedException">A flag this OS does not have.</exception>
    public abstract int TranslateFlags(MapFlags flags);

    /// <summary>The OS's <c>PROT_*</c> bits.</summary>
    /// <exception cref="PlatformNotSupportedException">A bit this OS does not have.</exception>
    public abstract int TranslateProtection(MapProtection protection);

    /// <summary>The OS's <c>MADV_*</c> value for <paramref name="advice"/> on a map with <paramref name="flags"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">Advice this OS does not have, or whose meaning differs for this kind of map.</exception>
    public abstract int TranslateAdvice(MapAdvice advice, MapFlags flags);

    /// <summary>Whether variadic arguments go on the stack (Apple arm64): see <see cref="AppleArm64Interop"/>.</summary>
    public abstract bool VariadicOnStack { get; }

    protected PlatformNotSupportedException NotSupported(string what) =>
        new($"{what} is not supported on {OSName}.");
}

/// <summary>Where <c>st_mode</c> and <c>st_size</c> are in <c>struct stat</c>, and how wide <c>st_mode</c> is.</summary>
internal sealed record StatLayout(int ModeOffset, int ModeSize, int SizeOffset, bool UseInode64Symbol);
