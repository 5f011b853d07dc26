using System;

namespace Overlay.Platform;

/// <summary>Chooses the implementation of <see cref="IMapPlatform"/> for the running OS, once.</summary>
internal static class MapPlatform
{
    /// <summary>Set to <c>1</c>, Linux resizes as macOS must, without <c>mremap</c>; read once, when the platform is chosen.</summary>
    public const string NoMremapVariable = "OVERLAY_PLATFORM_NO_MREMAP";

    public static readonly IMapPlatform Current = Create();

    [ThreadStatic]
    private static IMapPlatform? t_override;

    /// <summary>The platform a map created now on this thread uses: <see cref="Current"/>, unless a test chose another.</summary>
    public static IMapPlatform ForNewMaps => t_override ?? Current;

    /// <summary>
    /// Makes maps created on this thread use <paramref name="platform"/> until the result is
    /// disposed: the seam through which tests make a call fail after it did part of its work,
    /// which a real kernel does too rarely to test (a partial <c>mprotect</c>).
    /// </summary>
    public static IDisposable Override(IMapPlatform platform)
    {
        IMapPlatform? previous = t_override;
        t_override = platform;
        return new Restore(previous);
    }

    private sealed class Restore(IMapPlatform? previous) : IDisposable
    {
        public void Dispose() => t_override = previous;
    }

    private static IMapPlatform Create()
    {
        if (OperatingSystem.IsLinux())
        {
            // macOS's resize path (no mremap), chosen for a whole process so that CI runs every
            // runtime test through it on Linux (docs/platforms.md); internal, not a user setting.
            bool noRemap = Environment.GetEnvironmentVariable(NoMremapVariable) == "1";
            return new Unix.UnixMapPlatform(Linux.LinuxConstants.Instance, useRemap: !noRemap);
        }

        if (OperatingSystem.IsMacOS())
        {
            return new Unix.UnixMapPlatform(MacOS.DarwinConstants.Instance);
        }

        if (OperatingSystem.IsWindows())
        {
            return new Windows.WindowsMapPlatform();
        }

        return new UnsupportedMapPlatform(Environment.OSVersion.Platform.ToString(), "no implementation exists for this operating system");
    }
}
