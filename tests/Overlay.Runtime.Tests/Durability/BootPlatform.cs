using System;
using Overlay.Platform;

namespace Overlay.Tests.Durability;

/// <summary>
/// The running OS's platform under a boot id the test chooses (a "reboot" is another platform with another
/// id), reporting each completed <c>msync</c> with its offset in the one file mapping made through
/// it: the seam through which the crash-image tests see which pages a flush made durable.
/// </summary>
internal sealed unsafe class BootPlatform : IMapPlatform
{
    private readonly IMapPlatform _inner = MapPlatform.Current;
    private byte* _base;
    private long _length;

    public BootPlatform(Guid bootId) => BootId = bootId;

    public Guid BootId { get; }

    /// <summary>Called as each <c>msync</c> starts, with the mapping's bytes: whatever was stored before it may reach the disk in any order.</summary>
    public Action<ReadOnlySpan<byte>>? BeforeSync { get; set; }

    /// <summary>Called after each <c>msync</c> returns: the mapping's bytes, and the synced range's offset and length.</summary>
    public Action<ReadOnlySpan<byte>, long, long>? AfterSync { get; set; }

    public long PageSize => _inner.PageSize;

    public long AllocationGranularity => _inner.AllocationGranularity;

    public void CheckOptions(MapFlags flags, MapProtection protection) => _inner.CheckOptions(flags, protection);

    public nint FromFileDescriptor(int fileDescriptor) => _inner.FromFileDescriptor(fileDescriptor);

    public nint OpenFile(string path, bool writable) => _inner.OpenFile(path, writable);

    public nint Duplicate(nint file) => _inner.Duplicate(file);

    public void CloseFile(nint file) => _inner.CloseFile(file);

    public FileStatus GetStatus(nint file) => _inner.GetStatus(file);

    public void Truncate(nint file, long size) => _inner.Truncate(file, size);

    public NamedMapping CreateNamed(string name, long length, MapProtection protection) => _inner.CreateNamed(name, length, protection);

    public NamedMapping OpenNamed(string name, MapProtection protection) => _inner.OpenNamed(name, protection);

    public void RemoveNamed(string name) => _inner.RemoveNamed(name);

    public byte* Map(long length, MapProtection protection, MapFlags flags, nint file, long offset)
    {
        byte* address = _inner.Map(length, protection, flags, file, offset);
        _base = address;
        _length = length;
        return address;
    }

    public void Unmap(byte* address, long length) => _inner.Unmap(address, length);

    public byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file, out bool unmapped)
    {
        byte* moved = _inner.ResizeFile(address, oldLength, newLength, file, out unmapped);
        _base = moved;
        _length = newLength;
        return moved;
    }

    public byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags) =>
        _inner.ResizeAnonymous(address, oldLength, newLength, protection, flags);

    public void Sync(byte* address, long length, nint file, bool wait)
    {
        BeforeSync?.Invoke(new ReadOnlySpan<byte>(_base, checked((int)_length)));
        _inner.Sync(address, length, file, wait);
        AfterSync?.Invoke(new ReadOnlySpan<byte>(_base, checked((int)_length)), address - _base, length);
    }

    public void SyncDirectory(string directory) => _inner.SyncDirectory(directory);

    public void Advise(byte* address, long length, MapAdvice advice, MapFlags flags) => _inner.Advise(address, length, advice, flags);

    public void Protect(byte* address, long length, MapProtection protection) => _inner.Protect(address, length, protection);

    public void Lock(byte* address, long length) => _inner.Lock(address, length);

    public void Unlock(byte* address, long length) => _inner.Unlock(address, length);

    public string DescribeFile(nint file) => _inner.DescribeFile(file);
}
