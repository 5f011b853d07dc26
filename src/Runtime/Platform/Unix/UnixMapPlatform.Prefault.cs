using System.Runtime.InteropServices;
using System.Threading;

namespace Overlay.Platform.Unix;

/// <summary>
/// Pre-faulting for growth: <c>MADV_POPULATE_WRITE</c> where the kernel has it, and nothing once it
/// said it has not; the same for large folios (<c>MADV_HUGEPAGE</c>).
/// </summary>
internal sealed unsafe partial class UnixMapPlatform
{
    // The advice while the kernel takes it; 0 once it refused it with EINVAL (a kernel before
    // 5.14), so that a process on such a kernel pays one failed call, not one per growth.
    private int _populateWrite = -1;

    public bool TryPrefaultForWrite(byte* address, long length)
    {
        int advice = Volatile.Read(ref _populateWrite);
        if (advice == -1)
        {
            advice = _os.MADV_POPULATE_WRITE;
            Volatile.Write(ref _populateWrite, advice);
        }

        if (advice == 0 || length <= 0)
        {
            return false;
        }

        if (UnixInterop.MAdvise((nint)address, (nuint)length, advice) == 0)
        {
            return true;
        }

        // EINVAL: the kernel does not know the advice. Anything else (ENOMEM, EINTR, EFAULT, EIO)
        // is this call's: the pages fault on first touch instead, as they would without it, and
        // whatever made the call fail is then the write's to report.
        if (Marshal.GetLastPInvokeError() == Errno.EINVAL)
        {
            Volatile.Write(ref _populateWrite, 0);
        }

        return false;
    }

    // As _populateWrite: MADV_HUGEPAGE while the kernel takes it, 0 once it refused it (EINVAL: a
    // kernel without transparent huge pages, or an OS without the advice).
    private int _hugePage = -1;

    public bool TryAdviseLargeFolios(byte* address, long length, bool large)
    {
        int advice = Volatile.Read(ref _hugePage);
        if (advice == -1)
        {
            advice = _os.MADV_HUGEPAGE;
            Volatile.Write(ref _hugePage, advice);
        }

        if (advice == 0 || length <= 0)
        {
            return false;
        }

        if (UnixInterop.MAdvise((nint)address, (nuint)length, large ? advice : _os.MADV_NOHUGEPAGE) == 0)
        {
            return true;
        }

        if (Marshal.GetLastPInvokeError() == Errno.EINVAL)
        {
            Volatile.Write(ref _hugePage, 0);
        }

        return false;
    }
}
