namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Faults the pages of <c>[offset, offset + count)</c> in for writing, in one system call, for
    /// an owner that is about to write them (a record file's or a container's growth): each fresh
    /// page otherwise costs a page fault on its first store, which <c>write()</c> never pays.
    /// Widened to whole pages and clipped to the map. Only a writable shared map of a file is
    /// pre-faulted (a copy-on-write map would copy every page, anonymous memory gains little).
    /// An optimisation: nothing changes in the bytes, and a platform that cannot (Windows, macOS,
    /// Linux before 5.14) or a call that fails leaves the pages to fault on first touch, as before.
    /// </summary>
    /// <returns>True when the pages were faulted in.</returns>
    internal bool TryPrefaultForWrite(long offset, long count)
    {
        if (_closed || _writeLimit == 0 || _anonymous
            || (_flags & MapFlags.SharedValidate) == MapFlags.Private || offset < 0 || count <= 0 || offset >= _length)
        {
            return false;
        }

        long page = _platform.PageSize;
        long start = offset - (offset % page);
        long end = count > _length - offset ? _length : offset + count;
        return _platform.TryPrefaultForWrite(_data + start, end - start);
    }

    /// <summary>
    /// Asks the kernel to give the pages of the whole map faulted in from now on large folios (2 MiB,
    /// <c>MADV_HUGEPAGE</c>) or small ones again (<c>MADV_NOHUGEPAGE</c>), for an owner whose appends
    /// outrun its flushes (a record file's growth): a fresh 2 MiB then costs one fault, not hundreds
    /// (issue 8). The whole map, so that its mapping stays one piece that can be remapped. Only a
    /// writable shared map of a file; the bytes never change, and a platform that cannot (Windows,
    /// macOS, a kernel without transparent huge pages) leaves the kernel's choice as it was.
    /// </summary>
    /// <returns>True when the kernel took the advice.</returns>
    internal bool TryAdviseLargeFolios(bool large)
    {
        if (_closed || _writeLimit == 0 || _anonymous || _length == 0
            || (_flags & MapFlags.SharedValidate) == MapFlags.Private)
        {
            return false;
        }

        return _platform.TryAdviseLargeFolios(_data, _length, large);
    }

    /// <summary>
    /// <see cref="TryAdviseLargeFolios(bool)"/> for a reader: asks for 2 MiB folios over the whole
    /// map of a file opened for reading (an index opened read-only), so that the pages its first
    /// random lookups fault in are read a 2 MiB folio at a time and mapped by 2 MiB entries: on a
    /// cold open every later lookup then costs a TLB miss walked in two levels fewer (issue 10,
    /// docs/indexes.md "Large folios for readers"). The bytes never change; a platform that cannot
    /// leaves the kernel's choice as it was.
    /// </summary>
    /// <returns>True when the kernel took the advice.</returns>
    internal bool TryAdviseLargeFoliosForReading()
    {
        if (_closed || _anonymous || _length == 0)
        {
            return false;
        }

        return _platform.TryAdviseLargeFolios(_data, _length, large: true);
    }
}
