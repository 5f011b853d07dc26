using System;
using System.Runtime.InteropServices;

namespace Overlay.Platform.Linux;

/// <summary>
/// Resizing: the order of <c>ftruncate</c>, <c>mremap</c>, <c>mmap</c> and <c>munmap</c> that
/// never leaves the caller a page without backing, and the fallback for when <c>mremap</c> cannot
/// move the mapping.
/// </summary>
/// <remarks>
/// <c>mremap</c> works on one VMA: once <c>madvise</c> or <c>mlock</c> of a sub-range has split the
/// mapping into several, growing it fails with EFAULT. The caller holds every export off, so
/// nothing points into the mapping and it may move anywhere: a file mapping is mapped afresh (the
/// pages are the file's), anonymous memory is copied. Advice and locks of the old pages do not
/// follow; see <c>docs/lifetimes.md</c>.
/// </remarks>
internal sealed unsafe partial class LinuxMapPlatform
{
    private readonly bool _useRemap;

    public byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file)
    {
        if (newLength <= oldLength)
        {
            // The file first, as CPython does: if ftruncate refuses (a sealed memfd, a quota),
            // nothing has changed. Once it succeeded the pages past the new end have no backing,
            // but the caller's length no longer reaches them, and they are unmapped next.
            Truncate(file.Fd, file.Offset + newLength);
            ShrinkInPlace(address, oldLength, newLength);
            return address;
        }

        // The file first here too, so the new pages have backing the moment they are mapped;
        // undone if the mapping cannot follow.
        long oldFileSize = GetStatus(file.Fd).Size;
        Truncate(file.Fd, file.Offset + newLength);
        try
        {
            byte* moved = TryRemap(address, oldLength, newLength);
            if (moved != null)
            {
                return moved;
            }

            if (IsPrivate(file.Flags))
            {
                // A private map's changes live only in its own pages: they are copied, not re-read.
                byte* copy = Map(newLength, MapProtection.ReadWrite, file.Flags, file.Fd, file.Offset);
                return CopyToFresh(address, oldLength, copy, newLength, file.Protection);
            }

            byte* fresh = Map(newLength, file.Protection, file.Flags, file.Fd, file.Offset);
            Unmap(address, oldLength);
            return fresh;
        }
        catch
        {
            try
            {
                Truncate(file.Fd, oldFileSize);
            }
            catch (Exception)
            {
                // The mapping is intact; the file keeps zeros past the old end. The first error is the one to report.
            }

            throw;
        }
    }

    public byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags)
    {
        if (newLength <= oldLength)
        {
            ShrinkInPlace(address, oldLength, newLength);
            return address;
        }

        byte* moved = TryRemap(address, oldLength, newLength);
        if (moved != null)
        {
            return moved;
        }

        byte* fresh = Map(newLength, MapProtection.ReadWrite, flags, -1, 0);
        return CopyToFresh(address, oldLength, fresh, newLength, protection);
    }

    // MAP_SHARED_VALIDATE (0x03) shares the Private bit, so compare the whole mapping type.
    private static bool IsPrivate(MapFlags flags) => (flags & MapFlags.SharedValidate) == MapFlags.Private;

    /// <summary>
    /// Copies the old mapping into <paramref name="fresh"/> (mapped readable and writable), gives
    /// it <paramref name="protection"/> and unmaps the old one. The old pages are made readable
    /// for the copy if <c>Protect</c> took that away. On failure the fresh mapping is unmapped and
    /// the old one is as it was.
    /// </summary>
    private byte* CopyToFresh(byte* address, long oldLength, byte* fresh, long newLength, MapProtection protection)
    {
        bool oldMadeReadable = false;
        try
        {
            if ((protection & MapProtection.Read) == 0)
            {
                Protect(address, oldLength, protection | MapProtection.Read);
                oldMadeReadable = true;
            }

            Buffer.MemoryCopy(address, fresh, newLength, oldLength);
            if (protection != MapProtection.ReadWrite)
            {
                Protect(fresh, newLength, protection);
            }
        }
        catch
        {
            Unmap(fresh, newLength);
            if (oldMadeReadable)
            {
                RestoreProtection(address, oldLength, protection);
            }

            throw;
        }

        Unmap(address, oldLength);
        return fresh;
    }

    /// <summary><c>mremap</c> with <c>MREMAP_MAYMOVE</c>; null where it cannot (several VMAs, no room) or is not to be used.</summary>
    private byte* TryRemap(byte* address, long oldLength, long newLength)
    {
        if (!_useRemap)
        {
            return null;
        }

        nint result = LinuxInterop.MRemap((nint)address, (nuint)oldLength, (nuint)newLength, LinuxInterop.MREMAP_MAYMOVE, 0);
        return result != LinuxInterop.MapFailed ? (byte*)result : null;
    }

    /// <summary>
    /// Unmaps the whole pages past <paramref name="newLength"/>. <c>munmap</c> spans VMAs, so only a
    /// failure to split one (the process's map count limit) can stop it; the tail then stays
    /// mapped but unused, and is never touched (the caller's length ends before it): a leak of
    /// address space, where failing here would leave a file already cut shorter than its map.
    /// </summary>
    private void ShrinkInPlace(byte* address, long oldLength, long newLength)
    {
        long keep = RoundUpToPage(newLength);
        long had = RoundUpToPage(oldLength);
        if (had > keep)
        {
            LinuxInterop.MUnmap((nint)(address + keep), (nuint)(had - keep));
        }
    }

    // If the read access given for the copy cannot be taken back, the pages stay readable: no
    // check relies on their being otherwise, and the first error is the one to report.
    private static void RestoreProtection(byte* address, long length, MapProtection protection) =>
        _ = LinuxInterop.MProtect((nint)address, (nuint)length, (int)protection);

    private long RoundUpToPage(long length) => (length + PageSize - 1) & ~(PageSize - 1);
}
