using System.Runtime.InteropServices;

namespace Overlay.Platform.Windows;

/// <summary>
/// The kernel32 (and one ntdll) calls the Windows layer makes. <c>BOOL</c> results are declared
/// <see cref="int"/> so every signature is blittable; each call sets the last error, read through
/// <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static unsafe partial class Kernel32
{
    private const string Lib = "kernel32.dll";

    public const uint GENERIC_READ = 0x80000000;
    public const uint GENERIC_WRITE = 0x40000000;
    public const uint FILE_SHARE_READ = 0x1;
    public const uint FILE_SHARE_WRITE = 0x2;
    public const uint FILE_SHARE_DELETE = 0x4;
    public const uint OPEN_EXISTING = 3;
    public const uint FILE_ATTRIBUTE_NORMAL = 0x80;
    public const uint FILE_TYPE_DISK = 1;
    public const uint FILE_BEGIN = 0;
    public const uint FILE_CURRENT = 1;
    public const uint DUPLICATE_SAME_ACCESS = 2;

    public const uint PAGE_NOACCESS = 0x01;
    public const uint PAGE_READONLY = 0x02;
    public const uint PAGE_READWRITE = 0x04;
    public const uint PAGE_WRITECOPY = 0x08;
    public const uint PAGE_EXECUTE = 0x10;
    public const uint PAGE_EXECUTE_READ = 0x20;
    public const uint PAGE_EXECUTE_READWRITE = 0x40;
    public const uint PAGE_EXECUTE_WRITECOPY = 0x80;

    public const uint FILE_MAP_COPY = 0x01;
    public const uint FILE_MAP_WRITE = 0x02;
    public const uint FILE_MAP_READ = 0x04;
    public const uint FILE_MAP_EXECUTE = 0x20;
    public const uint SECTION_QUERY = 0x01;

    public const uint LOCKFILE_FAIL_IMMEDIATELY = 0x1;
    public const uint LOCKFILE_EXCLUSIVE_LOCK = 0x2;

    /// <summary><c>GetCurrentProcess()</c>'s pseudo-handle.</summary>
    public const nint CurrentProcess = -1;

    [LibraryImport(Lib, EntryPoint = "CreateFileW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    public static partial nint CreateFile(string name, uint access, uint share, nint security, uint disposition, uint flags, nint template);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int CloseHandle(nint handle);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int DuplicateHandle(nint sourceProcess, nint source, nint targetProcess, nint* target, uint access, int inherit, uint options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial uint GetFileType(nint file);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int GetFileSizeEx(nint file, long* size);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int SetFilePointerEx(nint file, long distance, long* newPosition, uint method);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int SetEndOfFile(nint file);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int FlushFileBuffers(nint file);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int LockFileEx(nint file, uint flags, uint reserved, uint lengthLow, uint lengthHigh, Overlapped* overlapped);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int UnlockFileEx(nint file, uint reserved, uint lengthLow, uint lengthHigh, Overlapped* overlapped);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int GetOverlappedResult(nint file, Overlapped* overlapped, uint* transferred, int wait);

    [LibraryImport(Lib, EntryPoint = "CreateFileMappingW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    public static partial nint CreateFileMapping(nint file, nint security, uint protect, uint maximumSizeHigh, uint maximumSizeLow, string? name);

    [LibraryImport(Lib, EntryPoint = "OpenFileMappingW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    public static partial nint OpenFileMapping(uint access, int inherit, string name);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint MapViewOfFile(nint section, uint access, uint offsetHigh, uint offsetLow, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint MapViewOfFileEx(nint section, uint access, uint offsetHigh, uint offsetLow, nuint length, nint baseAddress);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int UnmapViewOfFile(nint address);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int FlushViewOfFile(nint address, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int VirtualProtect(nint address, nuint length, uint protect, uint* oldProtect);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int VirtualLock(nint address, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int VirtualUnlock(nint address, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nuint VirtualQuery(nint address, MemoryBasicInformation* buffer, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int PrefetchVirtualMemory(nint process, nuint count, MemoryRangeEntry* ranges, uint flags);

    [LibraryImport(Lib)]
    public static partial void GetSystemInfo(SystemInfo* info);

    [LibraryImport(Lib, EntryPoint = "GetFinalPathNameByHandleW", SetLastError = true)]
    public static partial uint GetFinalPathNameByHandle(nint file, char* buffer, uint length, uint flags);

    /// <summary>
    /// ntdll's <c>NtQuerySection</c> (documented as <c>ZwQuerySection</c>): the one call that gives
    /// a section's exact size, which <see cref="MemoryMap.OpenNamed"/> needs (a view's region size
    /// is rounded to pages).
    /// </summary>
    [LibraryImport("ntdll.dll")]
    public static partial int NtQuerySection(nint section, int informationClass, SectionBasicInformation* information, nuint length, nuint* returned);

    /// <summary><c>OVERLAPPED</c>: for the lock calls, only the range's start (<c>Offset</c>, <c>OffsetHigh</c>) and no event.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Overlapped
    {
        public nuint Internal;
        public nuint InternalHigh;
        public uint Offset;
        public uint OffsetHigh;
        public nint Event;
    }

    /// <summary>
    /// ntdll's <c>NtQuerySystemInformation</c> (documented as <c>ZwQuerySystemInformation</c>), for
    /// <c>SystemTimeOfDayInformation</c>: the kernel's boot time, the Windows boot id.
    /// </summary>
    [LibraryImport("ntdll.dll")]
    public static partial int NtQuerySystemInformation(int informationClass, void* information, uint length, uint* returned);

    /// <summary><c>SystemTimeOfDayInformation</c>, the class of <see cref="NtQuerySystemInformation"/> that reports the boot time.</summary>
    public const int SystemTimeOfDayInformation = 3;

    /// <summary>
    /// The first 32 bytes of <c>SYSTEM_TIMEOFDAY_INFORMATION</c>, the part every Windows version
    /// (and Wine) has; newer ones append <c>BootTimeBias</c> and <c>SleepTimeBias</c>, and accept a
    /// shorter buffer.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeOfDayInformation
    {
        public long BootTime;
        public long CurrentTime;
        public long TimeZoneBias;
        public uint TimeZoneId;
        public uint Reserved;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SystemInfo
    {
        public ushort ProcessorArchitecture;
        public ushort Reserved;
        public uint PageSize;
        public nint MinimumApplicationAddress;
        public nint MaximumApplicationAddress;
        public nint ActiveProcessorMask;
        public uint NumberOfProcessors;
        public uint ProcessorType;
        public uint AllocationGranularity;
        public ushort ProcessorLevel;
        public ushort ProcessorRevision;
    }

    // PartitionId (a WORD after AllocationProtect on 64-bit Windows) sits in what is padding
    // here: RegionSize is pointer-aligned either way.
    [StructLayout(LayoutKind.Sequential)]
    public struct MemoryBasicInformation
    {
        public nint BaseAddress;
        public nint AllocationBase;
        public uint AllocationProtect;
        public nuint RegionSize;
        public uint State;
        public uint Protect;
        public uint Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MemoryRangeEntry
    {
        public nint VirtualAddress;
        public nuint NumberOfBytes;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SectionBasicInformation
    {
        public nint BaseAddress;
        public uint AllocationAttributes;
        public long MaximumSize;
    }
}
