using System.Runtime.InteropServices;
using System.Threading;
using Overlay.Platform.Linux;

namespace Overlay.Platform.Unix;

/// <summary>
/// Early write-back for a large new file (an upgrade's): <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>
/// on Linux; macOS has no such call (its <c>fsync</c> and <c>F_FULLFSYNC</c> both wait).
/// </summary>
internal sealed unsafe partial class UnixMapPlatform
{
    // 1 while the call is worth making; 0 once it was refused for a reason that will not change
    // (ENOSYS: a kernel or sandbox without it), so that such a process pays one failed call.
    private int _startWriteback = 1;

    public bool TryStartWriteback(nint file, long offset, long length)
    {
        if (_os is not LinuxConstants || length <= 0 || offset < 0 || Volatile.Read(ref _startWriteback) == 0)
        {
            return false;
        }

        if (LinuxInterop.SyncFileRange((int)file, offset, length, LinuxInterop.SYNC_FILE_RANGE_WRITE) == 0)
        {
            return true;
        }

        // Anything else (EIO, ENOMEM, EINTR, ESPIPE for a pipe) is this call's: the pages are
        // still dirty and the final fsync writes them, or reports the error itself.
        if (Marshal.GetLastPInvokeError() == LinuxInterop.ENOSYS)
        {
            Volatile.Write(ref _startWriteback, 0);
        }

        return false;
    }
}
