using System;
using Overlay.Platform;
using Overlay.Platform.Linux;
using Overlay.Platform.Unix;

namespace Overlay.Tests.Safety;

/// <summary>
/// Linux's platform with a call that can be made to fail after doing part of its work, as a
/// kernel may (an <c>mprotect</c> that changed some VMAs): installed for the maps a test creates
/// with <see cref="MapPlatform.Override"/>.
/// </summary>
internal sealed unsafe class FaultyPlatform : IMapPlatform
{
    private readonly IMapPlatform _inner;

    public FaultyPlatform(bool useRemap = true) => _inner = new UnixMapPlatform(LinuxConstants.Instance, useRemap);

    /// <summary>When set, runs instead of <see cref="Protect"/>; gets the real call to make part of the work.</summary>
    public Action<IntPtr, long, MapProtection, Action<IntPtr, long, MapProtection>>? OnProtect { get; set; }

    /// <summary>When set, answers <see cref="TryPrefaultForWrite"/> instead of the kernel (false: the platform refuses), given the address and length.</summary>
    public Func<IntPtr, long, bool>? OnPrefault { get; set; }

    /// <summary>When set, answers <see cref="TryAdviseLargeFolios"/> instead of the kernel (false: the platform refuses), given the address, length and advice.</summary>
    public Func<IntPtr, long, bool, bool>? OnLargeFolios { get; set; }

    /// <summary>When set, answers <see cref="TryStartWriteback"/> instead of the kernel (false: the platform refuses), given the handle, offset and length.</summary>
    public Func<nint, long, long, bool>? OnStartWriteback { get; set; }

    /// <summary>When set, called with the length before <see cref="Map"/> maps a file; it may change the file or throw.</summary>
    public Action<long>? OnMapFile { get; set; }

    /// <summary>When set, called with the length and the wait flag before <see cref="Sync"/> syncs a range of a map.</summary>
    public Action<long, bool>? OnSync { get; set; }

    /// <summary>When set, called with the directory before <see cref="SyncDirectory"/> syncs it.</summary>
    public Action<string>? OnSyncDirectory { get; set; }

    public long PageSize => _inner.PageSize;

    public long AllocationGranularity => _inner.AllocationGranularity;

    public void CheckOptions(MapFlags flags, MapProtection protection) => _inner.CheckOptions(flags, protection);

    public nint FromFileDescriptor(int fileDescriptor) => _inner.FromFileDescriptor(fileDescriptor);

    public nint OpenFile(string path, bool writable) => _inner.OpenFile(path, writable);

    public nint Duplicate(nint file) => _inner.Duplicate(file);

    public void CloseFile(nint file) => _inner.CloseFile(file);

    public FileStatus GetStatus(nint file) => _inner.GetStatus(file);

    public void Truncate(nint file, long size) => _inner.Truncate(file, size);

    public byte* Map(long length, MapProtection protection, MapFlags flags, nint file, long offset)
    {
        if (file != PlatformFile.None)
        {
            OnMapFile?.Invoke(length);
        }

        return _inner.Map(length, protection, flags, file, offset);
    }

    public NamedMapping CreateNamed(string name, long length, MapProtection protection) => _inner.CreateNamed(name, length, protection);

    public NamedMapping OpenNamed(string name, MapProtection protection) => _inner.OpenNamed(name, protection);

    public void RemoveNamed(string name) => _inner.RemoveNamed(name);

    public void Unmap(byte* address, long length) => _inner.Unmap(address, length);

    public byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file, out bool unmapped) =>
        _inner.ResizeFile(address, oldLength, newLength, file, out unmapped);

    public byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags) =>
        _inner.ResizeAnonymous(address, oldLength, newLength, protection, flags);

    public void Sync(byte* address, long length, nint file, bool wait)
    {
        OnSync?.Invoke(length, wait);
        _inner.Sync(address, length, file, wait);
    }

    public void SyncDirectory(string directory)
    {
        OnSyncDirectory?.Invoke(directory);
        _inner.SyncDirectory(directory);
    }

    public void Advise(byte* address, long length, MapAdvice advice, MapFlags flags) => _inner.Advise(address, length, advice, flags);

    public bool TryPrefaultForWrite(byte* address, long length) =>
        OnPrefault is { } hook ? hook((IntPtr)address, length) : _inner.TryPrefaultForWrite(address, length);

    public bool TryAdviseLargeFolios(byte* address, long length, bool large) =>
        OnLargeFolios is { } hook ? hook((IntPtr)address, length, large) : _inner.TryAdviseLargeFolios(address, length, large);

    public bool TryStartWriteback(nint file, long offset, long length) =>
        OnStartWriteback is { } hook ? hook(file, offset, length) : _inner.TryStartWriteback(file, offset, length);

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

    public string DescribeFile(nint file) => _inner.DescribeFile(file);

    public Guid BootId => _inner.BootId;
}
