using System;
using System.Runtime.InteropServices;

namespace Overlay.Platform.Windows;

/// <summary>
/// Windows: a file mapping object (<c>CreateFileMappingW</c>) per view, mapped with
/// <c>MapViewOfFile</c>. A file handle is a Win32 <c>HANDLE</c>. The mapping object is closed as
/// soon as its view exists (the view keeps it alive, as memmap2 does), except for named maps,
/// whose handle the map keeps so the name stays open to others.
/// </summary>
/// <remarks>
/// Windows has no <c>MAP_*</c>/<c>PROT_*</c>: <see cref="MapFlags.Shared"/>, <see cref="MapFlags.Private"/>
/// (a copy-on-write view, <c>FILE_MAP_COPY</c>) and the read/write/execute protections are
/// translated; every other flag is refused by <see cref="CheckOptions"/> before any call.
/// Anonymous memory is a mapping object backed by the paging file; as no other process can
/// reach an unnamed one, shared and private anonymous memory behave alike.
/// </remarks>
internal sealed unsafe partial class WindowsMapPlatform : IMapPlatform
{
    private const MapFlags TypeMask = MapFlags.SharedValidate;
    private const MapFlags SupportedFlags = MapFlags.SharedValidate | MapFlags.Anonymous;
    private const MapProtection SupportedProtection = MapProtection.Read | MapProtection.Write | MapProtection.Execute;

    public WindowsMapPlatform()
    {
        Kernel32.SystemInfo info;
        Kernel32.GetSystemInfo(&info);
        PageSize = info.PageSize;
        AllocationGranularity = info.AllocationGranularity;
    }

    public long PageSize { get; }

    /// <summary>64 KiB on every Windows: a view's file offset must be a multiple of it.</summary>
    public long AllocationGranularity { get; }

    public void CheckOptions(MapFlags flags, MapProtection protection)
    {
        MapFlags unsupported = flags & ~SupportedFlags;
        if (unsupported != 0)
        {
            throw new PlatformNotSupportedException($"MapFlags.{unsupported} is not supported on Windows: only Shared, Private (copy-on-write) and anonymous memory have a Windows equivalent.");
        }

        if ((flags & TypeMask) == MapFlags.None)
        {
            throw new PlatformNotSupportedException("MapFlags.None is not supported on Windows: give Shared or Private.");
        }

        MapProtection unsupportedProtection = protection & ~SupportedProtection;
        if (unsupportedProtection != 0)
        {
            throw new PlatformNotSupportedException($"MapProtection.{unsupportedProtection} is not supported on Windows (Linux's PROT_GROWSDOWN/PROT_GROWSUP).");
        }
    }

    public nint FromFileDescriptor(int fileDescriptor) =>
        throw new PlatformNotSupportedException("Windows files are HANDLEs, not descriptors: map a SafeFileHandle (File.OpenHandle) or use MemoryMap.Open.");

    public nint OpenFile(string path, bool writable)
    {
        nint handle = Kernel32.CreateFile(
            path,
            Kernel32.GENERIC_READ | (writable ? Kernel32.GENERIC_WRITE : 0),
            Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE,
            0,
            Kernel32.OPEN_EXISTING,
            Kernel32.FILE_ATTRIBUTE_NORMAL,
            0);
        return handle != PlatformFile.None ? handle : throw Win32Error.ToFileException(Marshal.GetLastPInvokeError(), path);
    }

    public nint Duplicate(nint file)
    {
        nint copy;
        return Kernel32.DuplicateHandle(Kernel32.CurrentProcess, file, Kernel32.CurrentProcess, &copy, 0, 0, Kernel32.DUPLICATE_SAME_ACCESS) != 0
            ? copy
            : throw Win32Error.Last("DuplicateHandle");
    }

    public void CloseFile(nint file) => Kernel32.CloseHandle(file);

    public FileStatus GetStatus(nint file)
    {
        uint type = Kernel32.GetFileType(file);
        if (type == 0 && Marshal.GetLastPInvokeError() != 0)
        {
            throw Win32Error.Last("GetFileType");
        }

        if (type != Kernel32.FILE_TYPE_DISK)
        {
            return new FileStatus(0, IsRegularFile: false);
        }

        long size;
        return Kernel32.GetFileSizeEx(file, &size) != 0 ? new FileStatus(size, IsRegularFile: true) : throw Win32Error.Last("GetFileSizeEx");
    }

    /// <summary>
    /// <c>SetFilePointerEx</c> + <c>SetEndOfFile</c>, as CPython; the handle's file pointer (shared
    /// with its duplicates) is put back where it was.
    /// </summary>
    public void Truncate(nint file, long size)
    {
        long position;
        if (Kernel32.SetFilePointerEx(file, 0, &position, Kernel32.FILE_CURRENT) == 0)
        {
            throw Win32Error.Last("SetFilePointerEx");
        }

        try
        {
            if (Kernel32.SetFilePointerEx(file, size, null, Kernel32.FILE_BEGIN) == 0)
            {
                throw Win32Error.Last("SetFilePointerEx");
            }

            if (Kernel32.SetEndOfFile(file) == 0)
            {
                throw Win32Error.Last("SetEndOfFile");
            }
        }
        finally
        {
            _ = Kernel32.SetFilePointerEx(file, position, null, Kernel32.FILE_BEGIN);
        }
    }

    public byte* Map(long length, MapProtection protection, MapFlags flags, nint file, long offset) =>
        MapCore(length, protection, flags, file, offset, null);

    /// <summary>Creates a mapping object for the range and maps it, at <paramref name="desired"/> when not null (<c>MapViewOfFileEx</c>).</summary>
    private byte* MapCore(long length, MapProtection protection, MapFlags flags, nint file, long offset, byte* desired)
    {
        bool anonymous = file == PlatformFile.None;
        (uint pageProtection, uint viewAccess) = Translate(protection, anonymous ? MapFlags.Shared : flags);
        long sectionSize = anonymous ? length : offset + length;
        nint section = Kernel32.CreateFileMapping(file, 0, pageProtection, (uint)(sectionSize >> 32), (uint)sectionSize, null);
        if (section == 0)
        {
            throw Win32Error.Last("CreateFileMapping");
        }

        try
        {
            return MapView(section, viewAccess, offset, length, protection, desired);
        }
        finally
        {
            // The view holds the mapping object; nothing else needs its handle.
            Kernel32.CloseHandle(section);
        }
    }

    public void Unmap(byte* address, long length) => Kernel32.UnmapViewOfFile((nint)address);

    // NTFS journals a rename and a creation itself; a directory handle cannot be flushed without
    // backup privileges (FILE_FLAG_BACKUP_SEMANTICS), so there is nothing to do (IMapPlatform).
    public void SyncDirectory(string directory)
    {
    }

    /// <summary>
    /// <c>FlushViewOfFile</c> writes the dirty pages to the file; with <paramref name="wait"/>,
    /// <c>FlushFileBuffers</c> then waits until the file's data and metadata reach the device, as
    /// the Win32 documentation prescribes for durability. A zero-length range calls nothing.
    /// </summary>
    public void Sync(byte* address, long length, nint file, bool wait)
    {
        if (length == 0)
        {
            // FlushViewOfFile reads 0 as "to the end of the view", and an address at the view's end
            // (Flush(Length, -1)) is outside it: ERROR_INVALID_PARAMETER. Linux's msync of 0 bytes
            // does nothing and succeeds; so does this. (CPython on Windows passes the 0 through and
            // so flushes the rest of the view, or fails at the end: not followed.)
            return;
        }

        if (Kernel32.FlushViewOfFile((nint)address, (nuint)length) == 0)
        {
            throw Win32Error.Last("FlushViewOfFile");
        }

        if (wait && file != PlatformFile.None && Kernel32.FlushFileBuffers(file) == 0)
        {
            throw Win32Error.Last("FlushFileBuffers");
        }
    }

    /// <summary>
    /// <see cref="MapAdvice.WillNeed"/> is <c>PrefetchVirtualMemory</c>; <see cref="MapAdvice.Normal"/>
    /// does nothing (Windows keeps no per-range advice, so every range is always "normal"); the
    /// rest has no Windows call with Linux's meaning and is refused before any call.
    /// </summary>
    public void Advise(byte* address, long length, MapAdvice advice, MapFlags flags)
    {
        switch (advice)
        {
            case MapAdvice.Normal:
                return;
            case MapAdvice.WillNeed:
                if (length == 0)
                {
                    // Advise(WillNeed, start, 0): madvise of 0 bytes succeeds on Linux and does
                    // nothing; PrefetchVirtualMemory refuses 0 bytes (ERROR_INVALID_PARAMETER).
                    return;
                }

                var range = new Kernel32.MemoryRangeEntry { VirtualAddress = (nint)address, NumberOfBytes = (nuint)length };
                if (Kernel32.PrefetchVirtualMemory(Kernel32.CurrentProcess, 1, &range, 0) == 0)
                {
                    throw Win32Error.Last("PrefetchVirtualMemory");
                }

                return;
            case MapAdvice.DontNeed or MapAdvice.Free:
                // Linux: private pages read back as zeros (or, for Free, unchanged), shared pages
                // keep their contents. DiscardVirtualMemory/OfferVirtualMemory leave the contents
                // undefined and work only on VirtualAlloc memory, not on views.
                throw new PlatformNotSupportedException($"MapAdvice.{advice} is not supported on Windows: DiscardVirtualMemory and OfferVirtualMemory leave the contents undefined, where Linux gives zeros or keeps them.");
            default:
                throw new PlatformNotSupportedException($"MapAdvice.{advice} is not supported on Windows: it is Linux madvise advice with no Windows equivalent.");
        }
    }

    public void Protect(byte* address, long length, MapProtection protection)
    {
        Kernel32.MemoryBasicInformation info;
        if (Kernel32.VirtualQuery((nint)address, &info, (nuint)sizeof(Kernel32.MemoryBasicInformation)) == 0)
        {
            throw Win32Error.Last("VirtualQuery");
        }

        // A copy-on-write view takes the copy-on-write form of a writable protection.
        bool copyOnWrite = info.AllocationProtect is Kernel32.PAGE_WRITECOPY or Kernel32.PAGE_EXECUTE_WRITECOPY;
        ProtectPages(address, length, PageProtection(protection, copyOnWrite));
    }

    public void Lock(byte* address, long length)
    {
        if (Kernel32.VirtualLock((nint)address, (nuint)length) == 0)
        {
            throw Win32Error.Last("VirtualLock");
        }
    }

    public void Unlock(byte* address, long length)
    {
        if (Kernel32.VirtualUnlock((nint)address, (nuint)length) == 0)
        {
            throw Win32Error.Last("VirtualUnlock");
        }
    }

    public string DescribeFile(nint file)
    {
        if (file == PlatformFile.None)
        {
            return string.Empty;
        }

        char* buffer = stackalloc char[1024];
        uint count = Kernel32.GetFinalPathNameByHandle(file, buffer, 1024, 0);
        return count is > 0 and < 1024 ? new string(buffer, 0, (int)count) : string.Empty;
    }

    /// <summary>The mapping object's page protection and the view's access for a map.</summary>
    private static (uint PageProtection, uint ViewAccess) Translate(MapProtection protection, MapFlags flags)
    {
        bool write = (protection & MapProtection.Write) != 0;
        bool execute = (protection & MapProtection.Execute) != 0;
        bool copyOnWrite = write && (flags & TypeMask) == MapFlags.Private;
        uint executeAccess = execute ? Kernel32.FILE_MAP_EXECUTE : 0;
        if (copyOnWrite)
        {
            // PAGE_WRITECOPY needs only read access to the file, as MAP_PRIVATE.
            return (execute ? Kernel32.PAGE_EXECUTE_WRITECOPY : Kernel32.PAGE_WRITECOPY, Kernel32.FILE_MAP_COPY | executeAccess);
        }

        return write
            ? (execute ? Kernel32.PAGE_EXECUTE_READWRITE : Kernel32.PAGE_READWRITE, Kernel32.FILE_MAP_WRITE | executeAccess)
            : (execute ? Kernel32.PAGE_EXECUTE_READ : Kernel32.PAGE_READONLY, Kernel32.FILE_MAP_READ | executeAccess);
    }

    /// <summary>The <c>PAGE_*</c> value for a protection (Windows has no write-only pages: write implies read, as on x86 Linux).</summary>
    private static uint PageProtection(MapProtection protection, bool copyOnWrite)
    {
        bool read = (protection & MapProtection.Read) != 0;
        bool write = (protection & MapProtection.Write) != 0;
        bool execute = (protection & MapProtection.Execute) != 0;
        return (write, read, execute) switch
        {
            (true, _, false) => copyOnWrite ? Kernel32.PAGE_WRITECOPY : Kernel32.PAGE_READWRITE,
            (true, _, true) => copyOnWrite ? Kernel32.PAGE_EXECUTE_WRITECOPY : Kernel32.PAGE_EXECUTE_READWRITE,
            (false, true, false) => Kernel32.PAGE_READONLY,
            (false, true, true) => Kernel32.PAGE_EXECUTE_READ,
            (false, false, true) => Kernel32.PAGE_EXECUTE,
            (false, false, false) => Kernel32.PAGE_NOACCESS,
        };
    }

    /// <summary>Maps a view of <paramref name="section"/> and gives it the protection the view's access alone cannot (none, execute only).</summary>
    private static byte* MapView(nint section, uint viewAccess, long offset, long length, MapProtection protection, byte* desired)
    {
        nint view = Kernel32.MapViewOfFileEx(section, viewAccess, (uint)(offset >> 32), (uint)offset, (nuint)length, (nint)desired);
        if (view == 0)
        {
            throw Win32Error.Last("MapViewOfFile");
        }

        if ((protection & (MapProtection.Read | MapProtection.Write)) == 0)
        {
            try
            {
                ProtectPages((byte*)view, length, PageProtection(protection, copyOnWrite: false));
            }
            catch
            {
                Kernel32.UnmapViewOfFile(view);
                throw;
            }
        }

        return (byte*)view;
    }

    private static void ProtectPages(byte* address, long length, uint pageProtection)
    {
        uint old;
        if (Kernel32.VirtualProtect((nint)address, (nuint)length, pageProtection, &old) == 0)
        {
            throw Win32Error.Last("VirtualProtect");
        }
    }
}
