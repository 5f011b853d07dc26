namespace Overlay.Platform;

/// <summary>
/// The operating system's mapping calls, one implementation per OS. Callers have validated every
/// argument; an implementation only makes the call and turns a failure into an exception.
/// </summary>
internal interface IMapPlatform
{
    /// <summary>The size of a page, and the unit of <c>msync</c>/<c>madvise</c> alignment.</summary>
    long PageSize { get; }

    /// <summary>The alignment a file offset must have.</summary>
    long AllocationGranularity { get; }

    /// <summary>Opens <paramref name="path"/> for reading, or for reading and writing.</summary>
    int OpenFile(string path, bool writable);

    /// <summary>Duplicates a descriptor (close-on-exec), so the map owns its own.</summary>
    int Duplicate(int fd);

    /// <summary>Closes a descriptor the map owns.</summary>
    void CloseFile(int fd);

    /// <summary>The file's size and whether it is a regular file.</summary>
    FileStatus GetStatus(int fd);

    /// <summary>Sets the file's size.</summary>
    void Truncate(int fd, long size);

    /// <summary>Maps <paramref name="length"/> bytes; <paramref name="fd"/> is -1 for anonymous memory.</summary>
    unsafe byte* Map(long length, MapProtection protection, MapFlags flags, int fd, long offset);

    /// <summary>Unmaps a mapping. Never throws: called from dispose paths.</summary>
    unsafe void Unmap(byte* address, long length);

    /// <summary>
    /// Resizes a shared file mapping and its file to <c>file.Offset + newLength</c> together, in an
    /// order that never leaves a page the caller may touch without backing: returns the mapping's
    /// address, which may have moved. On failure the mapping is as it was (the file too, unless
    /// undoing its growth failed as well). <paramref name="newLength"/> may equal <paramref name="oldLength"/>:
    /// the file is still cut to the map's end, as Python does.
    /// </summary>
    /// <remarks>The caller holds every export off (nothing points into the mapping); the pages may be split into several VMAs by <c>madvise</c> or <c>mlock</c> of a sub-range.</remarks>
    unsafe byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file);

    /// <summary>
    /// Resizes private anonymous memory, keeping its first <c>min(oldLength, newLength)</c> bytes;
    /// the new bytes are zero. Returns the mapping's address, which may have moved. On failure
    /// the mapping is as it was.
    /// </summary>
    unsafe byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags);

    /// <summary>Writes dirty pages back; waits for the write when <paramref name="wait"/>.</summary>
    unsafe void Sync(byte* address, long length, bool wait);

    /// <summary>Gives the kernel advice about the pages.</summary>
    unsafe void Advise(byte* address, long length, MapAdvice advice);

    /// <summary>Changes the pages' protection.</summary>
    unsafe void Protect(byte* address, long length, MapProtection protection);

    /// <summary>Locks the pages in memory.</summary>
    unsafe void Lock(byte* address, long length);

    /// <summary>Unlocks the pages.</summary>
    unsafe void Unlock(byte* address, long length);

    /// <summary>The path of an open descriptor, for diagnostics; empty when unknown.</summary>
    string DescribeFile(int fd);

    /// <summary>
    /// An id of the running boot of the OS, or <see cref="System.Guid.Empty"/> when it cannot be
    /// read. Two equal, non-empty ids mean that no reboot, and so no loss of the page cache,
    /// happened in between: a record file trusts the count a writer of the same boot left in the
    /// page cache, and after a reboot only the count its last completed flush made durable
    /// (docs/durability.md).
    /// </summary>
    System.Guid BootId { get; }
}

/// <summary>What <see cref="IMapPlatform.GetStatus"/> reports of a file.</summary>
internal readonly record struct FileStatus(long Size, bool IsRegularFile);

/// <summary>What <see cref="IMapPlatform.ResizeFile"/> needs to map a file again.</summary>
internal readonly record struct FileMapping(int Fd, long Offset, MapProtection Protection, MapFlags Flags);
