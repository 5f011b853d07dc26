using System;
using Overlay.Platform;
using Overlay.Platform.Linux;

namespace Overlay.Tests.Safety;

/// <summary>
/// Linux's platform with a call that can be made to fail after doing part of its work, as a
/// kernel may (an <c>mprotect</c> that changed some VMAs): installed for the maps a test creates
/// with <see cref="MapPlatform.Override"/>.
/// </summary>
internal sealed unsafe class FaultyPlatform : IMapPlatform
{
    private readonly IMapPlatform _inner;

    public FaultyPlatform(bool useRemap = true) => _inner = new LinuxMapPlatform(useRemap);

    /// <summary>When set, runs instead of <see cref="Protect"/>; gets the real call to make part of the work.</summary>
    public Action<IntPtr, long, MapProtection, Action<IntPtr, long, MapProtection>>? OnProtect { get; set; }

    public long PageSize => _inner.PageSize;

    public long AllocationGranularity => _inner.AllocationGranularity;

    public int OpenFile(string path, bool writable) => _inner.OpenFile(path, writable);

    public int Duplicate(int fd) => _inner.Duplicate(fd);

    public void CloseFile(int fd) => _inner.CloseFile(fd);

    public FileStatus GetStatus(int fd) => _inner.GetStatus(fd);

    public void Truncate(int fd, long size) => _inner.Truncate(fd, size);

    public byte* Map(long length, MapProtection protection, MapFlags flags, int fd, long offset) => _inner.Map(length, protection, flags, fd, offset);

    public void Unmap(byte* address, long length) => _inner.Unmap(address, length);

    public byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file) => _inner.ResizeFile(address, oldLength, newLength, file);

    public byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags) =>
        _inner.ResizeAnonymous(address, oldLength, newLength, protection, flags);

    public void Sync(byte* address, long length, bool wait) => _inner.Sync(address, length, wait);

    public void Advise(byte* address, long length, MapAdvice advice) => _inner.Advise(address, length, advice);

    public void Protect(byte* address, long length, MapProtection protection)
    {
        if (OnProtect is { } hook)
        {
            hook((IntPtr)address, length, protection, (a, l, p) => _inner.Protect((byte*)a, l, p));
        }
        else
        {
            _inner.Protect(address, length, protection);
        }
    }

    public void Lock(byte* address, long length) => _inner.Lock(address, length);

    public void Unlock(byte* address, long length) => _inner.Unlock(address, length);

    public string DescribeFile(int fd) => _inner.DescribeFile(fd);

    public Guid BootId => _inner.BootId;
}
