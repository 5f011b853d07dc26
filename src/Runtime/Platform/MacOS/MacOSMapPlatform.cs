namespace Overlay.Platform.MacOS;

/// <summary>
/// macOS: the POSIX calls exist, but the constants differ from Linux's (<c>MAP_ANON</c> is 0x1000,
/// <c>MS_SYNC</c> is 0x10) and there is no <c>mremap</c>, so resizing must unmap and map again.
/// Until that is written and tested on a Mac, every call says so.
/// </summary>
internal sealed class MacOSMapPlatform : UnsupportedMapPlatform
{
    public MacOSMapPlatform()
        : base("macOS", "its mmap constants differ from Linux's and it has no mremap; the macOS layer is not written yet")
    {
    }
}
