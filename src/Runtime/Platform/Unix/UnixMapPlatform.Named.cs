using System.Runtime.InteropServices;

namespace Overlay.Platform.Unix;

/// <summary>
/// Named maps over POSIX shared memory: <c>shm_open</c> gives a descriptor for a name every
/// process of the machine can open, sized with <c>ftruncate</c> and mapped shared. Unlike a
/// Windows named mapping, the name outlives every handle until <c>shm_unlink</c>: the creating
/// map unlinks it when it closes (<see cref="RemoveNamed"/>).
/// </summary>
internal sealed unsafe partial class UnixMapPlatform
{
    public NamedMapping CreateNamed(string name, long length, MapProtection protection)
    {
        string objectName = "/" + name;
        int fd = ShmOpen(objectName, _os.O_RDWR | _os.O_CREAT | _os.O_EXCL, 0x180 /* 0600: this user only */);
        if (fd < 0)
        {
            throw Errno.ToException(Marshal.GetLastPInvokeError(), $"shm_open('{objectName}')");
        }

        try
        {
            Truncate(fd, length);
            return new NamedMapping(Map(length, protection, MapFlags.Shared, fd, 0), length, fd);
        }
        catch
        {
            _ = UnixInterop.ShmUnlink(objectName);
            CloseFile(fd);
            throw;
        }
    }

    public NamedMapping OpenNamed(string name, MapProtection protection)
    {
        string objectName = "/" + name;
        bool writable = (protection & MapProtection.Write) != 0;
        int fd = ShmOpen(objectName, writable ? _os.O_RDWR : _os.O_RDONLY, 0);
        if (fd < 0)
        {
            throw Errno.ToFileException(Marshal.GetLastPInvokeError(), objectName);
        }

        try
        {
            long length = GetStatus(fd).Size;
            if (length <= 0)
            {
                // Between the creator's shm_open and its ftruncate, or a name some other program made.
                throw new MapIOException($"The shared memory '{objectName}' is empty: its creator has not sized it (yet).", Errno.EINVAL);
            }

            return new NamedMapping(Map(length, protection, MapFlags.Shared, fd, 0), length, fd);
        }
        catch
        {
            CloseFile(fd);
            throw;
        }
    }

    public void RemoveNamed(string name) => _ = UnixInterop.ShmUnlink("/" + name);

    private int ShmOpen(string name, int flags, int mode) => _os.VariadicOnStack
        ? AppleArm64Interop.ShmOpen(name, flags, 0, 0, 0, 0, 0, 0, mode)
        : UnixInterop.ShmOpen(name, flags, mode);
}
