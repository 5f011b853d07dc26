using System;

namespace Overlay.Platform;

/// <summary>Chooses the implementation of <see cref="IMapPlatform"/> for the running OS, once.</summary>
internal static class MapPlatform
{
    public static readonly IMapPlatform Current = Create();

    private static IMapPlatform Create()
    {
        if (OperatingSystem.IsLinux())
        {
            return new Linux.LinuxMapPlatform();
        }

        if (OperatingSystem.IsMacOS())
        {
            return new MacOS.MacOSMapPlatform();
        }

        if (OperatingSystem.IsWindows())
        {
            return new Windows.WindowsMapPlatform();
        }

        return new UnsupportedMapPlatform(Environment.OSVersion.Platform.ToString(), "no implementation exists for this operating system");
    }
}
