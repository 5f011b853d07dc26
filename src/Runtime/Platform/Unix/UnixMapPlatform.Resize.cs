using System;
using System.Runtime.InteropServices;

namespace Overlay.Platform.Unix;

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
internal sealed unsafe partial class UnixMapPlatform
{
    private readonly bool _useRemap;

    public byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file, out bool unmapped)
    {
        // Every path below leaves the old mapping in place until the new one exists.
        unmapped = false;
        if (newLength <= oldLength)
        {
            // The file first, as CPython does: if ftruncate refuses (a sealed memfd, a quota),
            // nothing has changed. Once it succeeded the pages past the new end have no backing,
            // but the caller's length no longer reaches them, and they are unmapped next.
            Truncate(file.File, file.Offset + newLength);
            ShrinkInPlace(address, oldLength, newLength);
            return address;
        }

        // The file first here too, so the new pages have backing the moment they are mapped;
        // undone if the mapping cannot follow.
        long oldFileSize = GetStatus(file.File).Size;
        Truncate(file.File, file.Offset + newLength);
        try
        {
            byte* moved = TryRemap(address, oldLength, newLength);
            if (moved != null)
            {
                if (IsPrivate(file.Flags))
                {
                    RefillOldPageTail(moved, oldLength, newLength, file.Protection, file);
                }

                return moved;
            }

            if (IsPrivate(file.Flags))
            {
                // A private map's changes live only in its own pages: they are copied, not re-read.
                byte* copy = Map(newLength, MapProtection.ReadWrite, file.Flags, file.File, file.Offset);
                return MappingCopy.CopyToFresh(this, address, oldLength, copy, newLength, file.Protection);
            }

            byte* fresh = Map(newLength, file.Protection, file.Flags, file.File, file.Offset);
            Unmap(address, oldLength);
            return fresh;
        }
        catch
        {
            try
            {
                Truncate(file.File, oldFileSize);
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
            RefillOldPageTail(moved, oldLength, newLength, protection, file: null);
            return moved;
        }

        byte* fresh = Map(newLength, MapProtection.ReadWrite, flags, PlatformFile.None, 0);
        return MappingCopy.CopyToFresh(this, address, oldLength, fresh, newLength, protection);
    }

    /// <summary>
    /// After <c>mremap</c> grew a private mapping, the old last page still holds, past the old
    /// length, whatever it held before: bytes written before a shrink inside that page, or a
    /// copy-on-write snapshot older than the file. The rest of the grown range is fresh (zeros,
    /// or the file's pages). What a grow adds must read as zeros (anonymous memory) or as the file's
    /// bytes (a private file map), as it does on the paths that map afresh (macOS, Windows, a split
    /// mapping): this puts those bytes in. Best effort: the resize has succeeded (the caller must
    /// get the moved address), and a page whose protection cannot be lifted keeps what it had.
    /// </summary>
    private void RefillOldPageTail(byte* address, long oldLength, long newLength, MapProtection protection, FileMapping? file)
    {
        long pageStart = oldLength & ~(PageSize - 1);
        long end = Math.Min(newLength, RoundUpToPage(oldLength));
        if (end <= oldLength)
        {
            return;
        }

        bool writable = (protection & MapProtection.ReadWrite) == MapProtection.ReadWrite;
        if (!writable && UnixInterop.MProtect((nint)(address + pageStart), (nuint)PageSize, _os.TranslateProtection(MapProtection.ReadWrite)) != 0)
        {
            return;
        }

        byte* tail = address + oldLength;
        long count = end - oldLength;
        new Span<byte>(tail, (int)count).Clear();
        if (file is FileMapping mapping)
        {
            long done = 0;
            while (done < count)
            {
                nint read = UnixInterop.PRead((int)mapping.File, tail + done, (nuint)(count - done), mapping.Offset + oldLength + done);
                if (read < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                {
                    continue;
                }

                if (read <= 0)
                {
                    // Past the file's end (or a read error): zeros, which is what the file reads as there.
                    break;
                }

                done += read;
            }
        }

        if (!writable)
        {
            _ = UnixInterop.MProtect((nint)(address + pageStart), (nuint)PageSize, _os.TranslateProtection(protection));
        }
    }

    // MAP_SHARED_VALIDATE (0x03) shares the Private bit, so compare the whole mapping type.
    private static bool IsPrivate(MapFlags flags) => (flags & MapFlags.SharedValidate) == MapFlags.Private;

    /// <summary><c>mremap</c> with <c>MREMAP_MAYMOVE</c>; null where it cannot (several VMAs, no room) or is not to be used.</summary>
    private byte* TryRemap(byte* address, long oldLength, long newLength)
    {
        if (!_useRemap)
        {
            return null;
        }

        nint result = UnixInterop.MRemap((nint)address, (nuint)oldLength, (nuint)newLength, _os.MREMAP_MAYMOVE, 0);
        return result != UnixInterop.MapFailed ? (byte*)result : null;
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
            UnixInterop.MUnmap((nint)(address + keep), (nuint)(had - keep));
        }
    }

    private long RoundUpToPage(long length) => (length + PageSize - 1) & ~(PageSize - 1);
}
