using System;

namespace Overlay.Platform;

/// <summary>Chooses the implementation of <see cref="IMapPlatform"/> for the running OS, once.</summary>
internal static class MapPlatform
{
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
            return new Unix.UnixMapPlatform(Linux.LinuxConstants.Instance);
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
