using System.Runtime.InteropServices;
using Overlay.Platform.Unix;

namespace Overlay.Platform.Linux;

/// <summary>
/// Linux's numbers (the asm-generic values shared by x86-64, arm64, loongarch64 and riscv64).
/// <see cref="MapFlags"/>, <see cref="MapProtection"/> and <see cref="MapAdvice"/> carry Linux's
/// values, so they pass unchanged: the kernel judges every named value itself.
/// </summary>
internal sealed class LinuxConstants : UnixConstants
{
    public static readonly LinuxConstants Instance = new();

    private LinuxConstants()
    {
    }

    public override string OSName => "Linux";
    public override int O_RDONLY => 0;
    public override int O_RDWR => 2;
    public override int O_CREAT => 0x40;
    public override int O_EXCL => 0x80;
    public override int O_CLOEXEC => 0x80000;
    public override int F_DUPFD_CLOEXEC => 1030;
    public override int MS_ASYNC => 1;
    public override int MS_SYNC => 4;

    // msync(MS_SYNC) waits for the device write on Linux; there is no separate full sync.
    public override int F_FULLFSYNC => 0;
    public override int MREMAP_MAYMOVE => 1;
    public override bool VariadicOnStack => false;

    // Kernels before 5.14 refuse it with EINVAL: UnixMapPlatform.TryPrefaultForWrite then stops asking.
    public override int MADV_POPULATE_WRITE => 23;

    // A kernel built without transparent huge pages refuses both with EINVAL:
    // UnixMapPlatform.TryAdviseLargeFolios then stops asking.
    public override int MADV_HUGEPAGE => 14;
    public override int MADV_NOHUGEPAGE => 15;

    // struct stat differs by architecture: the offsets of st_mode (32 bits) and st_size.
    public override StatLayout? Stat { get; } = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => new StatLayout(24, 4, 48, UseInode64Symbol: false),
        Architecture.Arm64 or Architecture.LoongArch64 or Architecture.RiscV64 => new StatLayout(16, 4, 48, UseInode64Symbol: false),
        _ => null,
    };

    public override int TranslateFlags(MapFlags flags) => (int)flags;

    public override int TranslateProtection(MapProtection protection) => (int)protection;

    public override int TranslateAdvice(MapAdvice advice, MapFlags flags) => (int)advice;
}
