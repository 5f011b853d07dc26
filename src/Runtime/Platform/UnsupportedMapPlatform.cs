using System;

namespace Overlay.Platform;

/// <summary>
/// A platform whose calls are not implemented: every call throws
/// <see cref="PlatformNotSupportedException"/> naming the OS and the call, so that a user
/// learns at the first call what is missing rather than meeting a wrong result later.
/// </summary>
internal class UnsupportedMapPlatform : IMapPlatform
{
    private readonly string _osName;
    private readonly string _reason;

    public UnsupportedMapPlatform(string osName, string reason)
    {
        _osName = osName;
        _reason = reason;
    }

    public long PageSize => Environment.SystemPageSize;

    public virtual long AllocationGranularity => Environment.SystemPageSize;

    private PlatformNotSupportedException NotSupported(string call) =>
        new($"Overlay.MemoryMap does not support {call} on {_osName} yet: {_reason}. Linux is the supported platform.");

    public int OpenFile(string path, bool writable) => throw NotSupported("opening files");
    public int Duplicate(int fd) => throw NotSupported("dup");
    public void CloseFile(int fd) => throw NotSupported("close");
    public FileStatus GetStatus(int fd) => throw NotSupported("fstat");
    public void Truncate(int fd, long size) => throw NotSupported("ftruncate");
    public unsafe byte* Map(long length, MapProtection protection, MapFlags flags, int fd, long offset) => throw NotSupported("mapping memory");
    public unsafe void Unmap(byte* address, long length) { }
    public unsafe byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file) => throw NotSupported("resizing a mapping");
    public unsafe byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags) => throw NotSupported("resizing a mapping");
    public unsafe void Sync(byte* address, long length, bool wait) => throw NotSupported("flushing");
    public unsafe void Advise(byte* address, long length, MapAdvice advice) => throw NotSupported("madvise");
    public unsafe void Protect(byte* address, long length, MapProtection protection) => throw NotSupported("mprotect");
    public unsafe void Lock(byte* address, long length) => throw NotSupported("mlock");
    public unsafe void Unlock(byte* address, long length) => throw NotSupported("munlock");
    public string DescribeFile(int fd) => string.Empty;

    // Unknown: a record file then trusts only its durable count after any crash. macOS
    // (sysctl kern.bootsessionuuid) and Windows (the boot time, now minus GetTickCount64) have
    // equivalents, to be read when their layers are written.
    public Guid BootId => Guid.Empty;
}
