using System;
using System.Runtime.InteropServices;

namespace Overlay.Platform.Windows;

/// <summary>
/// Resizing. A view's size is fixed and Windows will not cut a file below a mapping object that
/// maps it (<c>ERROR_USER_MAPPED_FILE</c>), so every resize maps a fresh view. Where the order
/// allows, the fresh view exists before the old one goes. The file's size is set to the new end,
/// as CPython does, and what decides the order is whether the <em>file</em> grows, not the map: a
/// map that ends before the file does can grow while the file is cut (a 3 KiB map of a 9 KiB
/// file resized to 8 KiB cuts the file to 8 KiB). A file that grows is extended first (allowed
/// under a view), then the new view is mapped; a file that shrinks gets the new view first, then
/// the old one is unmapped and the file cut to the new view's end. Only if Windows still refuses
/// the cut is CPython's order used (unmap, cut, map again), the one step that can lose the mapping.
/// </summary>
internal sealed unsafe partial class WindowsMapPlatform
{
    public byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file, out bool unmapped)
    {
        unmapped = false;
        bool copyOnWrite = (file.Flags & TypeMask) == MapFlags.Private;
        long newEnd = file.Offset + newLength;
        long oldFileSize = GetStatus(file.File).Size;
        if (newEnd >= oldFileSize)
        {
            Truncate(file.File, newEnd);
            try
            {
                return Remap(address, oldLength, newLength, file, copyOnWrite);
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

        byte* fresh = Remap(address, oldLength, newLength, file, copyOnWrite);
        try
        {
            Truncate(file.File, newEnd);
            return fresh;
        }
        catch (MapIOException error) when (error.WindowsError == Win32Error.ERROR_USER_MAPPED_FILE)
        {
            // This Windows will not cut a file under any mapping object: CPython's order.
        }

        // The fresh view holds the data now (a private map's changes were copied into it).
        // Keep its bytes in memory for a private map: mapping again re-reads the file.
        byte[]? privateBytes = copyOnWrite ? new ReadOnlySpan<byte>(fresh, checked((int)newLength)).ToArray() : null;
        Unmap(fresh, newLength);
        try
        {
            Truncate(file.File, newEnd);
        }
        catch
        {
            // The file is as it was: put the old view back at the caller's address, or report it lost.
            unmapped = !TryMapAt(address, oldLength, file, privateBytes);
            throw;
        }

        try
        {
            return MapWithBytes(null, newLength, file, privateBytes);
        }
        catch
        {
            unmapped = true;
            throw;
        }
    }

    public byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags)
    {
        byte* fresh = Map(newLength, MapProtection.ReadWrite, flags, PlatformFile.None, 0);
        return MappingCopy.CopyToFresh(this, address, oldLength, fresh, newLength, protection);
    }

    /// <summary>
    /// Maps <c>[file.Offset, file.Offset + newLength)</c> afresh and unmaps the old view: a shared
    /// view sees the old one's writes (both are the file's cache pages); a copy-on-write view's
    /// changes are copied.
    /// </summary>
    private byte* Remap(byte* address, long oldLength, long newLength, FileMapping file, bool copyOnWrite)
    {
        if (copyOnWrite)
        {
            byte* copy = Map(newLength, file.Protection | MapProtection.ReadWrite, file.Flags, file.File, file.Offset);
            return MappingCopy.CopyToFresh(this, address, oldLength, copy, newLength, file.Protection);
        }

        byte* fresh = Map(newLength, file.Protection, file.Flags, file.File, file.Offset);
        Unmap(address, oldLength);
        return fresh;
    }

    /// <summary>Maps the file's range again at <paramref name="address"/>; false if that address is taken or the call fails.</summary>
    private bool TryMapAt(byte* address, long length, FileMapping file, byte[]? privateBytes)
    {
        try
        {
            return MapWithBytes(address, length, file, privateBytes) == address;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Maps the file's range (at <paramref name="desired"/> when given) and, for a copy-on-write
    /// map, writes its saved private bytes back over the file's.
    /// </summary>
    private byte* MapWithBytes(byte* desired, long length, FileMapping file, byte[]? privateBytes)
    {
        if (privateBytes is null)
        {
            return MapCore(length, file.Protection, file.Flags, file.File, file.Offset, desired);
        }

        byte* view = MapCore(length, file.Protection | MapProtection.ReadWrite, file.Flags, file.File, file.Offset, desired);
        privateBytes.AsSpan(0, (int)Math.Min(privateBytes.Length, length)).CopyTo(new Span<byte>(view, (int)Math.Min(privateBytes.Length, length)));
        if (file.Protection != MapProtection.ReadWrite)
        {
            try
            {
                Protect(view, length, file.Protection);
            }
            catch
            {
                Unmap(view, length);
                throw;
            }
        }

        return view;
    }
}
