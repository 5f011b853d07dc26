using System.Runtime.InteropServices;

namespace Overlay.Platform.Windows;

/// <summary>
/// Named maps: Python's Windows-only <c>tagname</c>, a named file mapping object backed by the
/// paging file. The map keeps the object's handle (not only the view) so the name stays open to
/// others while the map lives; the object and its name go with the last handle and view, in any
/// process.
/// </summary>
internal sealed unsafe partial class WindowsMapPlatform
{
    public NamedMapping CreateNamed(string name, long length, MapProtection protection)
    {
        nint section = Kernel32.CreateFileMapping(PlatformFile.None, 0, Kernel32.PAGE_READWRITE, (uint)(length >> 32), (uint)length, name);
        int error = Marshal.GetLastPInvokeError();
        if (section == 0)
        {
            throw Win32Error.ToException(error, $"CreateFileMapping('{name}')");
        }

        if (error == Win32Error.ERROR_ALREADY_EXISTS)
        {
            // CreateFileMapping opens an existing object of that name; creating means a new one.
            Kernel32.CloseHandle(section);
            throw Win32Error.ToException(error, $"CreateFileMapping('{name}')");
        }

        return MapNamed(section, length, protection);
    }

    public NamedMapping OpenNamed(string name, MapProtection protection)
    {
        bool writable = (protection & MapProtection.Write) != 0;
        uint access = (writable ? Kernel32.FILE_MAP_WRITE : Kernel32.FILE_MAP_READ) | Kernel32.SECTION_QUERY;
        nint section = Kernel32.OpenFileMapping(access, 0, name);
        if (section == 0)
        {
            throw Win32Error.ToFileException(Marshal.GetLastPInvokeError(), name);
        }

        Kernel32.SectionBasicInformation info;
        int status = Kernel32.NtQuerySection(section, 0 /* SectionBasicInformation */, &info, (nuint)sizeof(Kernel32.SectionBasicInformation), null);
        if (status < 0)
        {
            Kernel32.CloseHandle(section);
            throw new MapIOException($"NtQuerySection('{name}') failed: NTSTATUS 0x{status:X8}", Errno.EINVAL, status);
        }

        return MapNamed(section, info.MaximumSize, protection);
    }

    // The name goes with the last handle and view, not on request.
    public void RemoveNamed(string name)
    {
    }

    private static NamedMapping MapNamed(nint section, long length, MapProtection protection)
    {
        try
        {
            uint viewAccess = (protection & MapProtection.Write) != 0 ? Kernel32.FILE_MAP_WRITE : Kernel32.FILE_MAP_READ;
            return new NamedMapping(MapView(section, viewAccess, 0, length, protection, null), length, section);
        }
        catch
        {
            Kernel32.CloseHandle(section);
            throw;
        }
    }
}
