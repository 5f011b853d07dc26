using System;

namespace Overlay.Platform;

/// <summary>
/// The platform of an OS Overlay has no layer for (neither Linux, macOS nor Windows): every call
/// throws <see cref="PlatformNotSupportedException"/> naming the OS and the call, so that a user
/// learns at the first call what is missing rather than meeting a wrong result later.
/// </summary>
internal sealed class UnsupportedMapPlatform : IMapPlatform
{
    private readonly string _osName;
    private readonly string _reason;

    public UnsupportedMapPlatform(string osName, string reason)
    {
        _osName = osName;
        _reason = reason;
    }

    public long PageSize => Environment.SystemPageSize;

    public long AllocationGranularity => Environment.SystemPageSize;

    private PlatformNotSupportedException NotSupported(string call) =>
        new($"Overlay.MemoryMap does not support {call} on {_osName}: {_reason}. Linux, macOS and Windows are supported.");

    public void CheckOptions(MapFlags flags, MapProtection protection) => throw NotSupported("mapping memory");
    public nint FromFileDescriptor(int fileDescriptor) => throw NotSupported("file descriptors");
    public nint OpenFile(string path, bool writable) => throw NotSupported("opening files");
    public void SyncDirectory(string directory) => throw NotSupported("syncing directories");
    public nint Duplicate(nint file) => throw NotSupported("dup");
    public void CloseFile(nint file) => throw NotSupported("close");
    public FileStatus GetStatus(nint file) => throw NotSupported("fstat");
    public void Truncate(nint file, long size) => throw NotSupported("ftruncate");
    public unsafe byte* Map(long length, MapProtection protection, MapFlags flags, nint file, long offset) => throw NotSupported("mapping memory");
    public NamedMapping CreateNamed(string name, long length, MapProtection protection) => throw NotSupported("named maps");
    public NamedMapping OpenNamed(string name, MapProtection protection) => throw NotSupported("named maps");
    public void RemoveNamed(string name) { }
    public unsafe void Unmap(byte* address, long length) { }
    public unsafe byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file, out bool unmapped) => throw NotSupported("resizing a mapping");
    public unsafe byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags) => throw NotSupported("resizing a mapping");
    public unsafe void Sync(byte* address, long length, nint file, bool wait) => throw NotSupported("flushing");
    public unsafe void Advise(byte* address, long length, MapAdvice advice, MapFlags flags) => throw NotSupported("madvise");
    public unsafe void Protect(byte* address, long length, MapProtection protection) => throw NotSupported("mprotect");
    public unsafe void Lock(byte* address, long length) => throw NotSupported("mlock");
    public unsafe void Unlock(byte* address, long length) => throw NotSupported("munlock");
    public string DescribeFile(nint file) => string.Empty;

    // Unknown: a record file then trusts only its durable count after any crash.
    public Guid BootId => Guid.Empty;
}
