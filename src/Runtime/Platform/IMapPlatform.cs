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

    /// <summary>Grows or shrinks a mapping, moving it if needed; returns its new address.</summary>
    unsafe byte* Remap(byte* address, long oldLength, long newLength);

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
}

/// <summary>What <see cref="IMapPlatform.GetStatus"/> reports of a file.</summary>
internal readonly record struct FileStatus(long Size, bool IsRegularFile);
