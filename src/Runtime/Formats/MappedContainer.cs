using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Formats;

/// <summary>
/// A file of several named sections over one <see cref="MemoryMap"/>: records of a layout
/// (<see cref="RecordSection{TView}"/>), heaps of variable-length values (<see cref="HeapSection"/>)
/// and raw bytes (<see cref="RawSection"/>), each growing on its own. The byte format, the growth
/// design and the commit protocol are in <c>docs/formats.md</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Validation.</b> <see cref="Open"/> checks both meta slots, takes the newest valid one and
/// checks every number of its table against the file (<c>docs/formats.md</c> §4); a file that fails
/// any check is an <see cref="InvalidDataException"/> naming the file and the problem, and nothing
/// outside the map is ever read. Heap references are checked on every use.
/// </para>
/// <para>
/// <b>Durability.</b> Changes to the table (appends, growth, allocations) live in memory until
/// <see cref="Commit"/>, which flushes the sections' bytes, then writes the other meta slot and
/// flushes it: a crash at any moment leaves the state of the last completed commit (the bytes of
/// records changed in place since then may be old or new, page by page). <see cref="Dispose"/>
/// does not commit.
/// </para>
/// <para>
/// <b>Concurrency.</b> Not thread-safe: one thread mutates; reads through views may run on other
/// threads with the races of plain memory, but not while a section grows. One writer per file;
/// readers in other processes see the table as of their <see cref="Open"/>.
/// </para>
/// </remarks>
public sealed partial class MappedContainer : IDisposable
{
    private readonly MemoryMap _map;
    private readonly string _path;
    private readonly ulong _tag;
    private readonly int _slotSize;
    private readonly uint _flags;
    private readonly bool _writable;
    private readonly List<SectionEntry> _entries;

    // A record file opened as a container (MappedContainer.RecordFileView.cs), or null.
    private readonly RecordFileView? _recordFile;
    private ulong _generation;
    private bool _disposed;

    // Keeps the map from being finalized before this container's finalizer ends its hold (see ~MappedContainer).
    private GCHandle _mapRoot;

    private MappedContainer(MemoryMap map, string path, ulong tag, ContainerImage image, RecordFileView? recordFile = null)
    {
        // The container owns its map (as a record file does, docs/lifetimes.md): the public Resize,
        // Close and Protect of Map refuse, so no one can shrink or unmap the bytes that sections,
        // heaps and index sections (which hold raw pointers into it) stand on.
        map.TakeOwnership();
        _mapRoot = GCHandle.Alloc(map);
        _map = map;
        _path = path;
        _tag = tag;
        _slotSize = image.SlotSize;
        _flags = image.Flags;
        _generation = image.Generation;
        _entries = image.Entries;
        _recordFile = recordFile;
        _writable = map.Access == MapAccess.Write && !image.Sealed;
        foreach (SectionEntry entry in _entries)
        {
            // What a crashed writer left past a section's length is unknown until cleared.
            entry.ZeroFrom = entry.Capacity;
            entry.Reusable = entry.Kind == SectionKind.Free;
        }
    }

    /// <summary>The file's path.</summary>
    public string Path => _path;

    /// <summary>The application tag the file carries.</summary>
    public ulong Tag => _tag;

    /// <summary>
    /// The map over the whole file, for <see cref="MemoryMap.Advise"/>, <see cref="MemoryMap.Lock()"/>
    /// and exports. The container owns it: its <see cref="MemoryMap.Resize"/>, <see cref="MemoryMap.Close"/>
    /// and <see cref="MemoryMap.Protect"/> throw <see cref="InvalidOperationException"/> while the container is open.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public MemoryMap Map
    {
        get
        {
            ThrowIfDisposed();
            return _map;
        }
    }

    /// <summary>Whether sections can be added, grown and committed (opened with <see cref="MapAccess.Write"/>, not sealed, and not a record file: see <see cref="IsRecordFile"/>).</summary>
    public bool CanWrite => _writable && !_disposed && _recordFile is null;

    /// <summary>Whether the file was written by <see cref="ContainerBuilder"/> (it opens read-only).</summary>
    public bool IsSealed => (_flags & ContainerFormat.SealedFlag) != 0;

    /// <summary>The generation of the last commit (the newest valid meta slot's).</summary>
    public ulong Generation => _generation;

    /// <summary>How many table entries the file has room for (sections and free extents together); a record file has room for the sections it has.</summary>
    public int MaximumEntries => _recordFile is null ? ContainerFormat.EntriesPerSlot(_slotSize) : _entries.Count;

    /// <summary>The live sections, in table order (free extents are not listed: see <see cref="FreeBytes"/>).</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public IReadOnlyList<SectionInfo> Sections
    {
        get
        {
            ThrowIfDisposed();
            var list = new List<SectionInfo>();
            for (int i = 0; i < _entries.Count; i++)
            {
                if (_entries[i].Kind != SectionKind.Free)
                {
                    list.Add(_entries[i].ToInfo(i));
                }
            }

            return list;
        }
    }

    /// <summary>The bytes of the file that no section uses: free extents and the slack between sections' lengths and capacities; in a record file, the slack after its last counted record.</summary>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public long FreeBytes
    {
        get
        {
            ThrowIfDisposed();
            if (_recordFile is not null)
            {
                return _map.Length - _recordFile.UsedLength;
            }

            long used = 2L * _slotSize;
            foreach (SectionEntry entry in _entries)
            {
                used += entry.Kind == SectionKind.Free ? 0 : entry.Length;
            }

            return _map.Length - used;
        }
    }

    /// <summary>
    /// Creates a container with no sections at <paramref name="path"/>, commits it (both meta
    /// slots written and flushed) and maps it for writing. The file is made under a temporary name
    /// beside <paramref name="path"/> and given its name once committed, so a reader never finds a
    /// half-made container there.
    /// </summary>
    /// <param name="path">The file to create; it must not exist.</param>
    /// <param name="tag">The application's tag, checked by <see cref="Open"/>.</param>
    /// <param name="maximumEntries">Room in the table for this many sections and free extents (31 fit the smallest, 4 KiB, slots; at most 8191).</param>
    /// <returns>The open container.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumEntries"/> is below 1 or above 8191.</exception>
    /// <exception cref="IOException">The file exists or cannot be created; nothing is left behind.</exception>
    public static MappedContainer Create(string path, ulong tag, int maximumEntries = 31)
    {
        ArgumentNullException.ThrowIfNull(path);
        int slotSize = maximumEntries < 1 ? 0 : ContainerFormat.SlotSizeFor(maximumEntries);
        if (slotSize == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumEntries), maximumEntries, $"A container's table holds 1 to {ContainerFormat.EntriesPerSlot(ContainerFormat.MaximumSlotSize)} entries.");
        }

        // Made under a temporary name beside path and linked into place once both slots are on the
        // disk, so that a reader finding path never maps a container without a valid slot.
        string building = DirectorySync.NameWhileCreating(path, "container");
        SafeFileHandle file = File.OpenHandle(building, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        MemoryMap? map = null;
        MappedContainer? container = null;
        try
        {
            using (file)
            {
                RandomAccess.SetLength(file, 2L * slotSize);
                map = new MemoryMap(file, 0, access: MapAccess.Write);
            }

            container = new MappedContainer(map, path, tag, new ContainerImage(slotSize, 0, 0, new List<SectionEntry>()));

            // Both slots, so that a torn first commit still finds a valid one.
            container.WriteSlot(1);
            container.WriteSlot(2);
            container._generation = 2;

            // The name, then the directory, so that a committed container cannot vanish in a power loss.
            DirectorySync.LinkNew(building, path, "container");
            building = path;
            DirectorySync.SyncDirectoryOf(path);
            return container;
        }
        catch
        {
            if (container is not null)
            {
                container.Dispose();
            }
            else
            {
                map?.Dispose();
            }

            File.Delete(building);
            throw;
        }
    }

    /// <summary>
    /// Opens and validates a container (every check of <c>docs/formats.md</c> §4), or a record file
    /// whose magic number is <paramref name="tag"/> as a container of the sections
    /// <see cref="RecordFileHeaderSection"/> and <see cref="RecordFileRecordsSection"/> and its
    /// schemas (<c>docs/formats.md</c> §7): every check, the lock and the count of
    /// <c>RecordFile.Open</c>; records read and edited in place, nothing structural (see <see cref="IsRecordFile"/>).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="tag">The application tag the file must carry.</param>
    /// <param name="access">
    /// <see cref="MapAccess.Write"/> (or <see cref="MapAccess.Default"/>) to read, write, grow and commit;
    /// <see cref="MapAccess.Read"/> to read only (sections then hand out read-only views); <see cref="MapAccess.Copy"/>
    /// for private changes that never reach the file and no growth. A sealed file is always read-only.
    /// </param>
    /// <returns>The open container.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="access"/> is not a <see cref="MapAccess"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid container with this tag (nor a valid record file with it as its magic number); the file is not changed.</exception>
    /// <exception cref="IOException">A record file opened with <see cref="MapAccess.Write"/>: a writer (a <c>RecordFile</c> or another container view) has it open for writing.</exception>
    public static MappedContainer Open(string path, ulong tag, MapAccess access = MapAccess.Write)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (access is not (MapAccess.Default or MapAccess.Read or MapAccess.Write or MapAccess.Copy))
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown access.");
        }

        if (access == MapAccess.Default)
        {
            access = MapAccess.Write;
        }

        MemoryMap? map = null;
        FileAccess fileAccess = access == MapAccess.Write ? FileAccess.ReadWrite : FileAccess.Read;
        using (SafeFileHandle file = File.OpenHandle(path, FileMode.Open, fileAccess, FileShare.ReadWrite))
        {
            long length = RandomAccess.GetLength(file);
            if (!IsRecordFileMagic(file, length, tag))
            {
                if (length < ContainerFormat.PrefixSize)
                {
                    throw ContainerReader.Invalid(path, $"it is {length} bytes long, shorter than a {ContainerFormat.PrefixSize}-byte container prefix");
                }

                map = new MemoryMap(file, 0, access: access);
            }
        }

        if (map is null)
        {
            // The record file's own open: its sharing, its lock, its checks and its count.
            return OpenRecordFile(path, tag, access, exclusive: false);
        }

        try
        {
            return new MappedContainer(map, path, tag, ContainerReader.Read(map, path, tag));
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Unmaps and closes the file without committing: what changed since the last <see cref="Commit"/>
    /// in the table (appends, growth, allocations) is not in the file's table. A second call does nothing.
    /// </summary>
    /// <remarks>A record file opened with <see cref="MapAccess.Write"/> is sealed first, as <c>RecordFile.Dispose</c> seals it (its slack is not trimmed); then its lock is released.</remarks>
    /// <exception cref="InvalidOperationException">Memory exported from <see cref="Map"/> is still in use; the container stays open.</exception>
    /// <exception cref="FileTruncatedException">A record file was truncated under the map by another process: it is closed and unlocked without the seal.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (_recordFile is not null)
        {
            try
            {
                SealRecordFile(_recordFile);
            }
            catch (FileTruncatedException)
            {
                // As a record file's: closed and unlocked without the seal, which would touch lost pages.
                Release();
                throw;
            }
        }

        Release();
    }

    /// <summary>Unmaps the file and releases a record file's lock (unless a conversion keeps it): the end of <see cref="Dispose"/>.</summary>
    private void Release(bool releaseRecordFileLock = true)
    {
        _map.CloseAsOwner();
        _disposed = true;
        _mapRoot.Free();
        GC.SuppressFinalize(this);
        DetachIndexes();
        if (releaseRecordFileLock)
        {
            _recordFile?.Lock.Dispose();
        }
    }

    /// <summary>
    /// Ends the hold on the map of a container that was never disposed: the map's finalizer leaks
    /// the mapping rather than unmap it under a live export, and the hold counts as one. The map
    /// unmaps later, once nothing references it. Nothing is committed.
    /// </summary>
    ~MappedContainer()
    {
        if (_mapRoot.IsAllocated)
        {
            _map.ReleaseOwnership();
            _mapRoot.Free();
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed ? $"MappedContainer(closed, path={_path})" : $"MappedContainer(path={_path}, sections={Sections.Count}, generation={_generation}, access={_map.Access})";

    internal MemoryMap LiveMap
    {
        get
        {
            ThrowIfDisposed();
            return _map;
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    internal void ThrowIfNotWritable()
    {
        ThrowIfDisposed();
        ThrowIfRecordFile();
        if (!_writable)
        {
            throw new NotSupportedException(IsSealed
                ? $"{_path} is sealed (written by ContainerBuilder): it cannot change."
                : $"{_path} was opened with MapAccess.{_map.Access}: sections can only change in a container opened with MapAccess.Write.");
        }
    }
}
