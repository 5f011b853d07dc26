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
}
