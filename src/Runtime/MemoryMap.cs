using System;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using Overlay.Diagnostics;
using Overlay.Platform;

namespace Overlay;

/// <summary>
/// A memory-mapped file or block of anonymous memory: every operation of Python's
/// <c>mmap.mmap</c>, over the operating system's own mapping calls.
/// </summary>
/// <remarks>
/// <para>
/// The map is a byte sequence with a cursor: index it (negative indices count from the end),
/// slice it, search it, and read or write at the cursor as with a file. Writes go straight to
/// the mapped memory; with <see cref="MapAccess.Write"/> they reach the file without a flush.
/// </para>
/// <para>
/// No sequence of calls on one thread can touch memory outside a live mapping: every access is
/// checked against the current length, and every member but <see cref="IsClosed"/>,
/// <see cref="Close"/> and <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/> once
/// the map is closed.
/// </para>
/// <para>
/// Threads: reads and writes of the bytes (indexer, slices, <c>ReadAt</c>/<c>WriteAt</c>, views,
/// searches) may run on several threads at once, with the races of plain memory; exports
/// (<see cref="AcquireMemory"/>, <see cref="AcquireReadOnlyMemory"/>, <see cref="EnumerateLines"/>,
/// <c>MappedArray.Pin</c>) may be taken and disposed on any thread, and are counted atomically.
/// The cursor members (<see cref="Read(long)"/>, <see cref="Write"/>, <see cref="Seek"/>, ...)
/// and the members that move or unmap the pages (<see cref="Close"/>, <see cref="Resize"/>,
/// <see cref="Protect"/>) must not overlap with any other call. The rules, and why a span never
/// outlives its mapping, are in <c>docs/lifetimes.md</c>.
/// </para>
/// </remarks>
public sealed unsafe partial class MemoryMap : IDisposable
{
    // Per map, so that tests can put a map on a platform that fails on purpose (MapPlatform.ForNewMaps).
    private readonly IMapPlatform _platform = MapPlatform.ForNewMaps;

    private byte* _data;
    private long _length;

    // The length when the map may be read (written), else 0: the fast paths of the indexer
    // compare against one of these, so a closed, unreadable or read-only map costs no extra test.
    private long _readLimit;
    private long _writeLimit;

    // For a value of n = 2, 4, 8 or 16 bytes: how many offsets a read (write) of it may start at,
    // max(limit - n + 1, 0); for n = 1 that is the limit itself. ReadAt<T>/WriteAt<T> compare the
    // offset with one of these as unsigned numbers: that single compare refuses a negative offset,
    // one past the end, a closed or unreadable map (0) and a map shorter than the value, where
    // "offset > limit - n || offset < 0" needs two (a generated getter's whole check; issue #3).
    private long _readStarts2;
    private long _readStarts4;
    private long _readStarts8;
    private long _readStarts16;
    private long _writeStarts2;
    private long _writeStarts4;
    private long _writeStarts8;
    private long _writeStarts16;

    private long _position;

    // The file handle the map owns (a POSIX descriptor or a Win32 HANDLE), or the shared object of
    // a named map; PlatformFile.None when it owns none.
    private nint _file = PlatformFile.None;

    // The live exports (MappedMemory, line enumerators, pins), or Maintenance while Close, Resize
    // or Protect runs (and for ever after Close): changed only atomically, see MemoryMap.Exports.cs.
    private int _exports;
    private const int Maintenance = int.MinValue;

    // How often a whole-file map measures the file again when the map is refused (TryMeasureAgain):
    // each retry needs the size to have changed once more, so a few cover any writer's growth.
    private const int WholeFileMapAttempts = 4;
    private MapProtection _protection;
    private bool _closed;

    private readonly long _offset;
    private readonly MapAccess _access;
    private readonly MapFlags _flags;
    private readonly bool _anonymous;
    private readonly bool _trackFile;

    // A named map's name, and whether this map created it (on Unix the creator unlinks the name).
    private readonly string? _name;
    private readonly bool _createdName;

    /// <summary>The size of a memory page in bytes (Python's <c>mmap.PAGESIZE</c>).</summary>
    public static long PageSize => MapPlatform.Current.PageSize;

    /// <summary>
    /// The alignment a file offset must have (Python's <c>mmap.ALLOCATIONGRANULARITY</c>):
    /// the page size on Linux and macOS, 64 KiB on Windows.
    /// </summary>
    public static long AllocationGranularity => MapPlatform.Current.AllocationGranularity;

    /// <summary>
    /// Maps <paramref name="length"/> bytes of an open file, starting at <paramref name="offset"/>
    /// (Python's <c>mmap(fileno, length, flags, prot, access, offset, trackfd=...)</c>).
    /// </summary>
    /// <param name="file">An open file. The map duplicates its descriptor (unless <paramref name="trackFile"/> is false), so the file may be closed afterwards.</param>
    /// <param name="length">How many bytes to map; 0 maps from <paramref name="offset"/> to the end of the file. Must not reach past the end of a regular file.</param>
    /// <param name="flags">The <c>MAP_*</c> flags; defaults to <see cref="MapFlags.Shared"/>. Not together with <paramref name="access"/>.</param>
    /// <param name="protection">The <c>PROT_*</c> bits; defaults to read and write. Not together with <paramref name="access"/>.</param>
    /// <param name="access">How the map may be used; when <see cref="MapAccess.Default"/>, derived from the flags and protection.</param>
    /// <param name="offset">Where in the file the map starts; a multiple of <see cref="AllocationGranularity"/>.</param>
    /// <param name="trackFile">When false, the map keeps no descriptor: <see cref="Size"/> and <see cref="Resize"/> then refuse.</param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="file"/> is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative length or offset, an unknown access, or a length or offset past the end of the file.</exception>
    /// <exception cref="ArgumentException">An empty file, an unaligned offset, access given with flags or protection, or <see cref="MapFlags.Fixed"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The file's open mode does not allow the access asked for.</exception>
    /// <exception cref="MapIOException">The OS refused the mapping.</exception>
    public MemoryMap(
        SafeFileHandle file,
        long length,
        MapFlags? flags = null,
        MapProtection? protection = null,
        MapAccess access = MapAccess.Default,
        long offset = 0,
        bool trackFile = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        ObjectDisposedException.ThrowIf(file.IsClosed, file);
        if (file.IsInvalid)
        {
            throw new ArgumentException("The file handle is invalid.", nameof(file));
        }

        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            nint handle = file.DangerousGetHandle();
            MapOptions.CheckNotNegative(length, offset);
            (_access, _flags, _protection) = MapOptions.Resolve(flags, protection, access);
            _offset = offset;
            _trackFile = trackFile;
            MapFile(handle, ownsDescriptor: false, length);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Maps <paramref name="length"/> bytes of the file open on descriptor <paramref name="fileDescriptor"/>.
    /// See <see cref="MemoryMap(SafeFileHandle, long, MapFlags?, MapProtection?, MapAccess, long, bool)"/>.
    /// </summary>
    /// <param name="fileDescriptor">An open file descriptor; anonymous memory comes from <see cref="Anonymous"/>, not from -1.</param>
    /// <param name="length">How many bytes to map; 0 maps to the end of the file.</param>
    /// <param name="flags">The <c>MAP_*</c> flags; defaults to <see cref="MapFlags.Shared"/>.</param>
    /// <param name="protection">The <c>PROT_*</c> bits; defaults to read and write.</param>
    /// <param name="access">How the map may be used.</param>
    /// <param name="offset">Where in the file the map starts; a multiple of <see cref="AllocationGranularity"/>.</param>
    /// <param name="trackFile">When false, the map keeps no descriptor of its own.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fileDescriptor"/> is negative, or as the other constructor.</exception>
    /// <exception cref="MapIOException">The descriptor is not open (EBADF), or the OS refused the mapping.</exception>
    /// <exception cref="PlatformNotSupportedException">On Windows, whose files are handles, not descriptors: use the <see cref="SafeFileHandle"/> constructor or <see cref="Open"/> (thrown after the argument checks).</exception>
    public MemoryMap(
        int fileDescriptor,
        long length,
        MapFlags? flags = null,
        MapProtection? protection = null,
        MapAccess access = MapAccess.Default,
        long offset = 0,
        bool trackFile = true)
    {
        MapOptions.CheckNotNegative(length, offset);
        (_access, _flags, _protection) = MapOptions.Resolve(flags, protection, access);
        if (fileDescriptor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fileDescriptor), fileDescriptor, "A file descriptor is not negative; use MemoryMap.Anonymous for anonymous memory.");
        }

        _offset = offset;
        _trackFile = trackFile;
        MapFile(_platform.FromFileDescriptor(fileDescriptor), ownsDescriptor: false, length);
    }

    private MemoryMap(nint ownedDescriptor, MapAccess access, long length, long offset)
    {
        (_access, _flags, _protection) = MapOptions.Resolve(null, null, access);
        _offset = offset;
        _trackFile = true;
        MapFile(ownedDescriptor, ownsDescriptor: true, length);
    }

    private MemoryMap(long length, MapAccess access, MapFlags flags, MapProtection protection)
    {
        _access = access;
        _flags = flags;
        _protection = protection;
        _anonymous = true;
        try
        {
            _platform.CheckOptions(flags | MapFlags.Anonymous, protection);
            _data = _platform.Map(length, protection, flags | MapFlags.Anonymous, PlatformFile.None, 0);
        }
        catch
        {
            GC.SuppressFinalize(this);
            throw;
        }

        SetLength(length);
        if (OverlayEventSource.Log.IsEnabled())
        {
            OverlayEventSource.Log.MapCreated(string.Empty, -1, length, access.ToString(), 0);
        }
    }

    /// <summary>
    /// Opens the file at <paramref name="path"/> and maps it. The map owns the file: closing the
    /// map closes it.
    /// </summary>
    /// <param name="path">The file to map; it must exist and, unless <paramref name="length"/> is given, not be empty.</param>
    /// <param name="access">How the map may be used: <see cref="MapAccess.Read"/> and <see cref="MapAccess.Copy"/> open the file read-only, the others read-write.</param>
    /// <param name="length">How many bytes to map; 0 maps to the end of the file.</param>
    /// <param name="offset">Where in the file the map starts; a multiple of <see cref="AllocationGranularity"/>.</param>
    /// <returns>The open map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="System.IO.FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened for the access asked for.</exception>
    public static MemoryMap Open(string path, MapAccess access = MapAccess.Write, long length = 0, long offset = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        MapOptions.Validate(length, offset, access);
        bool writable = access is MapAccess.Write or MapAccess.Default;
        nint fd = MapPlatform.Current.OpenFile(path, writable);
        return new MemoryMap(fd, access, length, offset);
    }

    /// <summary>
    /// Maps <paramref name="length"/> bytes of anonymous memory, filled with zeros
    /// (Python's <c>mmap(-1, length, ...)</c>). Shared by default: a forked child sees the same memory.
    /// </summary>
    /// <param name="length">How many bytes; at least 1.</param>
    /// <param name="flags">The <c>MAP_*</c> flags; defaults to <see cref="MapFlags.Shared"/>. <see cref="MapFlags.Anonymous"/> is added.</param>
    /// <param name="protection">The <c>PROT_*</c> bits; defaults to read and write.</param>
    /// <param name="access">How the map may be used; not together with <paramref name="flags"/> or <paramref name="protection"/>.</param>
    /// <returns>The new map.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive, or the access is unknown.</exception>
    /// <exception cref="ArgumentException">Access given with flags or protection, or <see cref="MapFlags.Fixed"/>.</exception>
    /// <exception cref="MapIOException">The OS refused (ENOMEM for more than it can give).</exception>
    public static MemoryMap Anonymous(long length, MapFlags? flags = null, MapProtection? protection = null, MapAccess access = MapAccess.Default)
    {
        // CPython's order: a negative length, then access/flags/protection, then 0 (EINVAL from mmap there).
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "An anonymous map needs a positive length.");
        }

        var (resolvedAccess, resolvedFlags, resolvedProtection) = MapOptions.Resolve(flags, protection, access);
        if (length == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "An anonymous map needs a positive length.");
        }

        return new MemoryMap(length, resolvedAccess, resolvedFlags, resolvedProtection);
    }

    /// <summary>The number of bytes mapped (Python's <c>len(m)</c>).</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public long Length
    {
        get
        {
            ThrowIfClosed();
            return _length;
        }
    }

    /// <summary>How the map may be used, derived from the flags and protection when opened with <see cref="MapAccess.Default"/>.</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public MapAccess Access
    {
        get
        {
            ThrowIfClosed();
            return _access;
        }
    }

    /// <summary>The <c>MAP_*</c> flags the map was created with.</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public MapFlags Flags
    {
        get
        {
            ThrowIfClosed();
            return _anonymous ? _flags | MapFlags.Anonymous : _flags;
        }
    }

    /// <summary>The current protection of the pages (changed by <see cref="Protect"/>).</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public MapProtection Protection
    {
        get
        {
            ThrowIfClosed();
            return _protection;
        }
    }

    /// <summary>Where in the file the map starts; 0 for anonymous memory.</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public long Offset
    {
        get
        {
            ThrowIfClosed();
            return _offset;
        }
    }

    /// <summary>True for anonymous memory, false for a file map.</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public bool IsAnonymous
    {
        get
        {
            ThrowIfClosed();
            return _anonymous;
        }
    }

    /// <summary>Whether the map can be written now (false for read-only maps and after <see cref="Protect"/> removed write access).</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public bool CanWrite
    {
        get
        {
            ThrowIfClosed();
            return _writeLimit != 0;
        }
    }

    /// <summary>Whether the map can be read now (false when its protection has neither read nor write).</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    public bool CanRead
    {
        get
        {
            ThrowIfClosed();
            return _readLimit != 0;
        }
    }

    /// <summary>True once <see cref="Close"/> or <see cref="Dispose"/> ran (Python's <c>closed</c>).</summary>
    public bool IsClosed => _closed;

    /// <summary>
    /// The size of the mapped file in bytes, read from the file each time (Python's <c>size()</c>);
    /// for anonymous memory, the map's length.
    /// </summary>
    /// <returns>The file's current size.</returns>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map was created with <c>trackFile: false</c> and holds no descriptor.</exception>
    /// <exception cref="FileTruncatedException">The file is shorter than the bytes the map covers: someone truncated it while it was mapped (where Python returns the short size).</exception>
    public long Size()
    {
        ThrowIfClosed();
        if (_anonymous)
        {
            return _length;
        }

        if (!_trackFile)
        {
            throw new NotSupportedException("Cannot get the file's size: the map was created with trackFile: false and holds no file descriptor.");
        }

        // The call is made anyway: it also tells whether someone cut the file under the map.
        FileStatus status = _platform.GetStatus(_file);
        ThrowIfFileTruncated(status, "Size");
        return status.Size;
    }

    /// <summary>
    /// Unmaps the memory and closes the map's file descriptor. A second call does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Memory exported by <see cref="AcquireMemory"/>, <see cref="AcquireReadOnlyMemory"/> or a line enumerator is still in use, or a <c>MappedArray.Pin</c> callback runs; the map stays open.</exception>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        // Never undone: a closed map refuses every export for good.
        BeginMaintenance("close");
        ReleaseClosed();
    }

    private void ReleaseClosed()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the map, as <see cref="Close"/>.</summary>
    /// <exception cref="InvalidOperationException">Exported memory is still in use; the map stays open.</exception>
    public void Dispose() => Close();

    /// <summary>
    /// Unmaps a map that was never closed, unless an export is still live: a span taken from a
    /// <see cref="MappedMemory"/> keeps nothing reachable, so the map and the export can both be
    /// garbage while the span is in use. The pages are then leaked (only the descriptor is
    /// closed): a leak, where unmapping would turn the next access through the span into a fault.
    /// </summary>
    ~MemoryMap()
    {
        if (Volatile.Read(ref _exports) > 0)
        {
            _data = null;
        }

        Release();
    }

    /// <summary>Describes the map as Python's <c>repr</c> does.</summary>
    /// <returns>For example <c>MemoryMap(closed=False, access=Default, length=11, pos=0, offset=0)</c>.</returns>
    public override string ToString() =>
        _closed
            ? "MemoryMap(closed=True)"
            : $"MemoryMap(closed=False, access={_access}, length={_length}, pos={_position}, offset={_offset})";

    private void MapFile(nint fd, bool ownsDescriptor, long length)
    {
        try
        {
            // Every caller has checked the signs and the access (before any system call); the
            // alignment comes last, as mmap's EINVAL does in Python.
            MapOptions.CheckAligned(_offset);
            _platform.CheckOptions(_flags, _protection);
            if ((_flags & MapFlags.Anonymous) != 0)
            {
                // Anonymous memory cannot follow a file's size; a shared one would fault when grown.
                throw new ArgumentException("MapFlags.Anonymous maps no file: use MemoryMap.Anonymous.", "flags");
            }

            FileStatus status = _platform.GetStatus(fd);
            bool wholeFile = length == 0 && status.IsRegularFile;
            length = MapOptions.ResolveFileLength(status, length, _offset);

            nint mapFd = fd;
            if (!ownsDescriptor && _trackFile)
            {
                mapFd = _platform.Duplicate(fd);
                ownsDescriptor = true;
            }

            try
            {
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        _data = _platform.Map(length, _protection, _flags, mapFd, _offset);
                        break;
                    }
                    catch (MapIOException) when (wholeFile && attempt < WholeFileMapAttempts && TryMeasureAgain(mapFd, ref length))
                    {
                        // The file changed size between the measure and the map: map it as it is now.
                    }
                }
            }
            catch
            {
                if (ownsDescriptor)
                {
                    _platform.CloseFile(mapFd);
                    ownsDescriptor = false;
                }

                throw;
            }

            _file = ownsDescriptor ? mapFd : PlatformFile.None;
            ownsDescriptor = false;
            SetLength(length);
            if (OverlayEventSource.Log.IsEnabled())
            {
                OverlayEventSource.Log.MapCreated(_platform.DescribeFile(fd), unchecked((int)fd), length, _access.ToString(), _offset);
            }
        }
        catch
        {
            if (ownsDescriptor)
            {
                _platform.CloseFile(fd);
            }

            GC.SuppressFinalize(this);
            throw;
        }
    }

    /// <summary>
    /// Whether the file's size is no longer the <paramref name="length"/> a whole-file map measured,
    /// and if so the new length. A writer beside the map can change the size between the measure and
    /// the map, and Windows refuses a read-only section longer than the file: under Wine a file that
    /// grows is briefly one byte longer than asked (Wine writes a byte past the new end, then cuts
    /// the file back), so a reader that measured in that moment would be refused.
    /// </summary>
    private bool TryMeasureAgain(nint fd, ref long length)
    {
        FileStatus now = _platform.GetStatus(fd);
        long remeasured = now.Size - _offset;
        if (remeasured <= 0 || remeasured == length)
        {
            return false;
        }

        length = remeasured;
        return true;
    }

    /// <summary>Sets the length and the limits the fast paths compare against.</summary>
    private void SetLength(long length)
    {
        _length = length;
        _readLimit = (_protection & (MapProtection.Read | MapProtection.Write)) != 0 ? length : 0;
        _writeLimit = _access != MapAccess.Read && (_protection & MapProtection.Write) != 0 ? length : 0;
        SetStarts();
    }

    /// <summary>Derives the per-size start counts from <see cref="_readLimit"/> and <see cref="_writeLimit"/>.</summary>
    private void SetStarts()
    {
        _readStarts2 = Math.Max(_readLimit - 1, 0);
        _readStarts4 = Math.Max(_readLimit - 3, 0);
        _readStarts8 = Math.Max(_readLimit - 7, 0);
        _readStarts16 = Math.Max(_readLimit - 15, 0);
        _writeStarts2 = Math.Max(_writeLimit - 1, 0);
        _writeStarts4 = Math.Max(_writeLimit - 3, 0);
        _writeStarts8 = Math.Max(_writeLimit - 7, 0);
        _writeStarts16 = Math.Max(_writeLimit - 15, 0);
    }

    private void Release()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_data != null)
        {
            _platform.Unmap(_data, _length);
        }

        if (_file != PlatformFile.None)
        {
            _platform.CloseFile(_file);
        }

        if (_createdName)
        {
            _platform.RemoveNamed(_name!);
        }

        _data = null;
        _file = PlatformFile.None;
        _length = 0;
        _readLimit = 0;
        _writeLimit = 0;
        SetStarts();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            ThrowHelper.Closed();
        }
    }

    private void ThrowIfNotReadable()
    {
        ThrowIfClosed();
        if (_readLimit == 0)
        {
            ThrowHelper.NotReadable();
        }
    }

    private void ThrowIfNotWritable()
    {
        ThrowIfClosed();
        if (_writeLimit == 0)
        {
            ThrowHelper.ReadOnly();
        }
    }
}
