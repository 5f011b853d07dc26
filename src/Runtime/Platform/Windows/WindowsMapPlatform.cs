namespace Overlay.Platform.Windows;

/// <summary>
/// Windows maps files through <c>CreateFileMapping</c>/<c>MapViewOfFile</c>, with a 64 KiB
/// allocation granularity and no in-place resize. Until that layer is written and tested on
/// Windows, every call says so.
/// </summary>
internal sealed class WindowsMapPlatform : UnsupportedMapPlatform
{
    public WindowsMapPlatform()
        : base("Windows", "it needs CreateFileMapping/MapViewOfFile, which the Windows layer does not call yet")
    {
    }

    /// <summary>Windows aligns view offsets to 64 KiB, not to the page size.</summary>
    public override long AllocationGranularity => 64 * 1024;
}
