using System;
using Overlay.Diagnostics;
using Overlay.Platform;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>The longest name a named map may have: macOS allows 31 bytes for a shared memory name, with its leading slash.</summary>
    public const int MaxNameLength = 30;

    /// <summary>
    /// Creates shared memory that other processes can map by <paramref name="name"/> with
    /// <see cref="OpenNamed"/> (Python's Windows-only <c>mmap(-1, length, tagname=name)</c>, on every OS):
    /// a named file mapping object backed by the paging file on Windows, a POSIX shared memory
    /// object (<c>shm_open</c>) on Linux and macOS. The memory starts zeroed; the map is writable.
    /// </summary>
    /// <param name="name">1 to <see cref="MaxNameLength"/> ASCII letters, digits, '.', '_' or '-': the same name on every OS.</param>
    /// <param name="length">How many bytes; at least 1.</param>
    /// <returns>The new map.</returns>
    /// <remarks>
    /// <para>
    /// Lifetime differs by OS, as the OSes do. On Windows the name exists while any process holds
    /// a map of it. On Linux and macOS the name exists until the creating map is closed (it then
    /// unlinks it; maps opened before keep the memory); if the creating process dies without
    /// closing, the name stays until the machine restarts (<c>/dev/shm</c> on Linux).
    /// </para>
    /// <para>
    /// Concurrency: the processes share the bytes with no ordering beyond the hardware's; use
    /// your own synchronisation. Nothing is written to a file, so <see cref="Flush()"/> has no
    /// durability to give. A named map cannot be resized.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, too long or has other characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    /// <exception cref="MapIOException">The name exists already (<see cref="MapIOException.ErrorNumber"/> EEXIST, 17), or the OS refused.</exception>
    /// <exception cref="UnauthorizedAccessException">The OS does not let this user create it.</exception>
    public static MemoryMap CreateNamed(string name, long length)
    {
        CheckName(name);
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A named map needs a positive length.");
        }

        IMapPlatform platform = MapPlatform.ForNewMaps;
        NamedMapping mapping = platform.CreateNamed(name, length, MapProtection.ReadWrite);
        return new MemoryMap(mapping, name, created: true, MapAccess.Write);
    }

    /// <summary>
    /// Maps the shared memory another map created with <see cref="CreateNamed"/>, whole.
    /// </summary>
    /// <param name="name">The name it was created with.</param>
    /// <param name="access"><see cref="MapAccess.Write"/> (or <see cref="MapAccess.Default"/>) to write into it, <see cref="MapAccess.Read"/> to only read.</param>
    /// <returns>The map, as long as the shared memory.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid name, or <paramref name="access"/> is <see cref="MapAccess.Copy"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="access"/> is not a <see cref="MapAccess"/> value.</exception>
    /// <exception cref="System.IO.FileNotFoundException">No shared memory has that name.</exception>
    /// <exception cref="UnauthorizedAccessException">The OS does not let this user open it for that access.</exception>
    public static MemoryMap OpenNamed(string name, MapAccess access = MapAccess.Write)
    {
        CheckName(name);
        if ((uint)access > (uint)MapAccess.Copy)
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown MapAccess value.");
        }

        if (access == MapAccess.Copy)
        {
            throw new ArgumentException("A named map is shared memory: open it with MapAccess.Write or MapAccess.Read.", nameof(access));
        }

        MapProtection protection = access == MapAccess.Read ? MapProtection.Read : MapProtection.ReadWrite;
        IMapPlatform platform = MapPlatform.ForNewMaps;
        NamedMapping mapping = platform.OpenNamed(name, protection);
        return new MemoryMap(mapping, name, created: false, access);
    }

    /// <summary>The name of a map made by <see cref="CreateNamed"/> or <see cref="OpenNamed"/>; null for every other map.</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public string? Name
    {
        get
        {
            ThrowIfClosed();
            return _name;
        }
    }

    private MemoryMap(NamedMapping mapping, string name, bool created, MapAccess access)
    {
        _name = name;
        _createdName = created;
        _access = access;
        _flags = MapFlags.Shared;
        _protection = access == MapAccess.Read ? MapProtection.Read : MapProtection.ReadWrite;
        _anonymous = true;
        _trackFile = true;
        _data = mapping.Address;
        _file = mapping.Handle;
        SetLength(mapping.Length);
        if (OverlayEventSource.Log.IsEnabled())
        {
            OverlayEventSource.Log.MapCreated(name, -1, mapping.Length, access.ToString(), 0);
        }
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"A map's name has 1 to {MaxNameLength} characters (macOS's limit for shared memory names).", nameof(name));
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new ArgumentException($"A map's name has only ASCII letters, digits, '.', '_' and '-' (so it means the same on every OS); '{c}' is not one.", nameof(name));
            }
        }
    }
}
