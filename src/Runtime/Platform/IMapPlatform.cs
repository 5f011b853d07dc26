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

    /// <summary>
    /// Refuses, before any system call, the flags and protection bits this OS cannot honour
    /// (<see cref="System.PlatformNotSupportedException"/> naming the value); Linux passes every
    /// named value to the kernel.
    /// </summary>
    void CheckOptions(MapFlags flags, MapProtection protection);

    /// <summary>
    /// The handle of the file open on POSIX descriptor <paramref name="fileDescriptor"/>: the
    /// descriptor itself on Unix; Windows has no descriptors to map and throws
    /// <see cref="System.PlatformNotSupportedException"/>.
    /// </summary>
    nint FromFileDescriptor(int fileDescriptor);

    /// <summary>Opens <paramref name="path"/> for reading, or for reading and writing.</summary>
    nint OpenFile(string path, bool writable);

    /// <summary>Duplicates a file handle (close-on-exec, not inherited), so the map owns its own.</summary>
    nint Duplicate(nint file);

    /// <summary>Closes a handle the map owns. Never throws.</summary>
    void CloseFile(nint file);

    /// <summary>The file's size and whether it is a regular file.</summary>
    FileStatus GetStatus(nint file);

    /// <summary>Sets the file's size.</summary>
    void Truncate(nint file, long size);

    /// <summary>
    /// Maps <paramref name="length"/> bytes of <paramref name="file"/> from <paramref name="offset"/>;
    /// <paramref name="file"/> is <see cref="PlatformFile.None"/> for anonymous memory.
    /// </summary>
    unsafe byte* Map(long length, MapProtection protection, MapFlags flags, nint file, long offset);

    /// <summary>
    /// Creates shared memory other processes can open by <paramref name="name"/> and maps it:
    /// a named file mapping object backed by the paging file on Windows, a POSIX shared memory
    /// object (<c>shm_open</c>) on Unix. Fails if the name exists.
    /// </summary>
    unsafe NamedMapping CreateNamed(string name, long length, MapProtection protection);

    /// <summary>Opens and maps the shared memory another map created under <paramref name="name"/>.</summary>
    unsafe NamedMapping OpenNamed(string name, MapProtection protection);

    /// <summary>
    /// Ends the creator's hold on a name: on Unix the name is unlinked (maps already open keep
    /// the memory); on Windows nothing, the name goes with the last handle and view. Never throws.
    /// </summary>
    void RemoveNamed(string name);

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
    /// <param name="address">The mapping.</param>
    /// <param name="oldLength">Its length.</param>
    /// <param name="newLength">The length wanted.</param>
    /// <param name="file">The file and how it is mapped.</param>
    /// <param name="unmapped">
    /// Set to true, before the exception is thrown, when the call failed after the old mapping was
    /// removed and could not be made again (Windows, which must unmap before it can cut a file):
    /// the caller must then treat the map as closed.
    /// </param>
    unsafe byte* ResizeFile(byte* address, long oldLength, long newLength, FileMapping file, out bool unmapped);

    /// <summary>
    /// Resizes private anonymous memory, keeping its first <c>min(oldLength, newLength)</c> bytes;
    /// the new bytes are zero. Returns the mapping's address, which may have moved. On failure
    /// the mapping is as it was.
    /// </summary>
    unsafe byte* ResizeAnonymous(byte* address, long oldLength, long newLength, MapProtection protection, MapFlags flags);

    /// <summary>
    /// Writes dirty pages back; with <paramref name="wait"/>, waits until the OS reports them
    /// written to the file (and, where the OS separates the two, to the device: <c>FlushFileBuffers</c>
    /// on Windows, <c>F_FULLFSYNC</c> on macOS) through <paramref name="file"/>, which may be
    /// <see cref="PlatformFile.None"/> (a map without a handle: the pages only). A zero
    /// <paramref name="length"/> does nothing on every OS (Linux's <c>msync</c> of 0 bytes).
    /// </summary>
    unsafe void Sync(byte* address, long length, nint file, bool wait);

    /// <summary>
    /// Makes the entries of <paramref name="directory"/> durable (a file created or renamed into it
    /// survives a power loss): on Unix, <c>open(O_RDONLY)</c> + <c>fsync</c> (<c>F_FULLFSYNC</c> on
    /// macOS); on Windows nothing (NTFS journals the rename itself, and a directory cannot be flushed
    /// without backup privileges). A file system that cannot sync a directory (<c>EINVAL</c>) and a directory that cannot be opened
    /// for reading (<c>EACCES</c>) are not errors; a missing directory is (<see cref="System.IO.FileNotFoundException"/>).
    /// </summary>
    void SyncDirectory(string directory);

    /// <summary>
    /// Gives the kernel advice about the pages of a map created with <paramref name="flags"/>
    /// (its kind decides what some advice means); advice without the same meaning on this OS is
    /// refused with <see cref="System.PlatformNotSupportedException"/> before any system call.
    /// </summary>
    unsafe void Advise(byte* address, long length, MapAdvice advice, MapFlags flags);

    /// <summary>
    /// Faults the pages of a shared file mapping in for writing, in one call, before they are
    /// written: what growth does so that appends do not take a page fault per fresh page
    /// (<c>MADV_POPULATE_WRITE</c>, Linux 5.14 and later). An optimisation only: false when this OS
    /// or kernel cannot (the pages then fault on first touch, as without it), never an exception.
    /// The default, for OSes without such a call (Windows, macOS), does nothing.
    /// </summary>
    /// <param name="address">The first byte, page-aligned.</param>
    /// <param name="length">The bytes, inside the mapping.</param>
    /// <returns>True when the pages were faulted in.</returns>
    unsafe bool TryPrefaultForWrite(byte* address, long length) => false;

    /// <summary>
    /// Asks for the largest page-cache folios (2 MiB) for the pages of a shared file mapping that
    /// are faulted in from now on (<c>MADV_HUGEPAGE</c>), or for the kernel's small ones again
    /// (<c>MADV_NOHUGEPAGE</c>): what a record file's growth does while appends outrun flushes, so
    /// that a fresh 2 MiB costs one fault instead of hundreds. Pages already in the cache keep their
    /// size; the bytes never change. An optimisation only: false when this OS or kernel cannot,
    /// never an exception. The default, for OSes without such a call (Windows, macOS), does nothing.
    /// </summary>
    /// <param name="address">The first byte, page-aligned.</param>
    /// <param name="length">The bytes: the whole mapping, so that its one VMA is not split (a split mapping could not be remapped whole).</param>
    /// <param name="large">True for large folios, false for small ones.</param>
    /// <returns>True when the kernel took the advice.</returns>
    unsafe bool TryAdviseLargeFolios(byte* address, long length, bool large) => false;

    /// <summary>
    /// Starts writing the file's dirty pages of a range to the device without waiting for them
    /// (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>, Linux): what a writer of a large new file
    /// calls after each chunk, so that the <c>fsync</c> at its end waits for the last chunks only,
    /// not for all of them. A hint, never a durability promise (the final <c>fsync</c> gives that): false
    /// when this OS or file system cannot (the final sync then writes everything, as without it),
    /// never an exception. The default, for OSes without such a call (Windows, macOS), does nothing.
    /// </summary>
    /// <param name="file">A handle open for writing.</param>
    /// <param name="offset">The range's first byte in the file.</param>
    /// <param name="length">The range's length.</param>
    /// <returns>True when the write-back was started.</returns>
    bool TryStartWriteback(nint file, long offset, long length) => false;

    /// <summary>Changes the pages' protection.</summary>
    unsafe void Protect(byte* address, long length, MapProtection protection);

    /// <summary>Locks the pages in memory.</summary>
    unsafe void Lock(byte* address, long length);

    /// <summary>Unlocks the pages.</summary>
    unsafe void Unlock(byte* address, long length);

    /// <summary>The path of an open file, for diagnostics; empty when unknown.</summary>
    string DescribeFile(nint file);

    /// <summary>
    /// An id of the running boot of the OS, or <see cref="System.Guid.Empty"/> when it cannot be
    /// read. Two equal, non-empty ids mean that no reboot, and so no loss of the page cache,
    /// happened in between: a record file trusts the count a writer of the same boot left in the
    /// page cache, and after a reboot only the count its last completed flush made durable
    /// (docs/durability.md).
    /// </summary>
    System.Guid BootId { get; }
}

/// <summary>Values shared by every platform's file handles.</summary>
internal static class PlatformFile
{
    /// <summary>No file: -1 is both an invalid POSIX descriptor and Windows' <c>INVALID_HANDLE_VALUE</c>.</summary>
    public const nint None = -1;
}

/// <summary>A named mapping: its address, length, and the handle that keeps the shared object open.</summary>
internal readonly unsafe struct NamedMapping(byte* address, long length, nint handle)
{
    public byte* Address { get; } = address;

    public long Length { get; } = length;

    /// <summary>The shared object's handle (an <c>shm_open</c> descriptor, a section handle), closed with <see cref="IMapPlatform.CloseFile"/>.</summary>
    public nint Handle { get; } = handle;
}

/// <summary>What <see cref="IMapPlatform.GetStatus"/> reports of a file.</summary>
internal readonly record struct FileStatus(long Size, bool IsRegularFile);

/// <summary>What <see cref="IMapPlatform.ResizeFile"/> needs to map a file again.</summary>
internal readonly record struct FileMapping(nint File, long Offset, MapProtection Protection, MapFlags Flags);
