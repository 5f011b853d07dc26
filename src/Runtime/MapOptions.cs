using System;
using Overlay.Platform;

namespace Overlay;

/// <summary>
/// The constructor's argument rules, checked before any system call (as CPython's
/// <c>new_mmap_object</c> does), and the derivation of access from flags and protection.
/// </summary>
internal static class MapOptions
{
    /// <summary>
    /// Resolves the effective access, flags and protection. With <see cref="MapAccess.Default"/>
    /// the access follows the protection as in Python: read and write → Default, write only →
    /// Write, anything else → Read.
    /// </summary>
    public static (MapAccess Access, MapFlags Flags, MapProtection Protection) Resolve(MapFlags? flags, MapProtection? protection, MapAccess access)
    {
        // CPython's order: access together with flags/prot first, then an unknown access.
        if (access != MapAccess.Default && (flags is not null || protection is not null))
        {
            throw new ArgumentException("Give either access or flags and protection, not both: access already decides the flags and protection.", nameof(access));
        }

        if ((uint)access > (uint)MapAccess.Copy)
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown MapAccess value.");
        }

        MapFlags resolvedFlags;
        MapProtection resolvedProtection;
        switch (access)
        {
            case MapAccess.Read:
                return (MapAccess.Read, MapFlags.Shared, MapProtection.Read);
            case MapAccess.Write:
                return (MapAccess.Write, MapFlags.Shared, MapProtection.ReadWrite);
            case MapAccess.Copy:
                return (MapAccess.Copy, MapFlags.Private, MapProtection.ReadWrite);
            default:
                resolvedFlags = flags ?? MapFlags.Shared;
                resolvedProtection = protection ?? MapProtection.ReadWrite;
                break;
        }

        if ((resolvedFlags & (MapFlags.Fixed | MapFlags.FixedNoReplace)) != 0)
        {
            throw new ArgumentException("MAP_FIXED and MAP_FIXED_NOREPLACE are refused: Overlay lets the kernel choose the address, so a map can never replace memory in use.", nameof(flags));
        }

        MapAccess derived = (resolvedProtection & MapProtection.ReadWrite) == MapProtection.ReadWrite
            ? MapAccess.Default
            : (resolvedProtection & MapProtection.Write) != 0 ? MapAccess.Write : MapAccess.Read;
        return (derived, resolvedFlags, resolvedProtection);
    }

    /// <summary>Checks a file map's length and offset before anything touches the file.</summary>
    public static void Validate(long length, long offset, MapAccess access)
    {
        CheckNotNegative(length, offset);

        if ((uint)access > (uint)MapAccess.Copy)
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown MapAccess value.");
        }

        CheckAligned(offset);
    }

    /// <summary>The offset is a multiple of the allocation granularity (EINVAL from mmap in Python).</summary>
    public static void CheckAligned(long offset)
    {
        long granularity = MapPlatform.Current.AllocationGranularity;
        if (offset % granularity != 0)
        {
            throw new ArgumentException($"The offset {offset} is not a multiple of the allocation granularity ({granularity} bytes).", nameof(offset));
        }
    }

    /// <summary>CPython's first checks (OverflowError there): a negative length, then a negative offset.</summary>
    public static void CheckNotNegative(long length, long offset)
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The length must not be negative (0 maps the whole file).");
        }

        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset must not be negative.");
        }
    }

    /// <summary>Applies Python's size rules for regular files: 0 means "to the end", and nothing may reach past the end.</summary>
    public static long ResolveFileLength(FileStatus status, long length, long offset)
    {
        if (!status.IsRegularFile)
        {
            return length != 0
                ? length
                : throw new ArgumentException("A length must be given to map something other than a regular file.", nameof(length));
        }

        if (length == 0)
        {
            if (status.Size == 0)
            {
                throw new ArgumentException("Cannot map an empty file.", nameof(length));
            }

            if (offset >= status.Size)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The offset is at or past the end of the file ({status.Size} bytes).");
            }

            return status.Size - offset;
        }

        if (offset > status.Size || status.Size - offset < length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The map would reach past the end of the file ({status.Size} bytes, offset {offset}); resize the file first.");
        }

        return length;
    }
}
