using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Whether <see cref="WriteThroughFile"/> can write: the map is a writable shared map of a file
    /// it holds a handle to. A copy-on-write map's changes are its own pages, which the file never
    /// sees; anonymous and named memory have no file (a Windows named map's handle is a section).
    /// </summary>
    internal bool CanWriteThroughFile =>
        !_closed && _writeLimit != 0 && !_anonymous && _name is null && _file != Platform.PlatformFile.None
        && (_flags & MapFlags.SharedValidate) != MapFlags.Private;

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/> of the map through its file handle
    /// (<c>pwrite</c>, <c>WriteFile</c>) instead of through the mapping: for an owner's bulk writes
    /// into pages it has not touched (a record file's <c>AppendRange</c>, an upgrade's new file),
    /// where storing through the mapping takes a page fault per fresh page and the system call
    /// copies into the page cache with none. The page cache is the mapping's: the bytes read
    /// through the map at once (one cache on Linux and macOS; on Windows, for local files), and
    /// <see cref="Flush()"/> makes them durable as the mapping's own stores (<c>msync(MS_SYNC)</c>
    /// writes back the file's dirty pages of the range whoever dirtied them; Windows adds
    /// <c>FlushFileBuffers</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not <see cref="CanWriteThroughFile"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map.</exception>
    /// <exception cref="IOException">The write failed (a full disk, an I/O error): the bytes of the range may be partly written.</exception>
    /// <exception cref="MapIOException">The write would pass the file system's maximum file size or the process's file-size limit (<c>EFBIG</c>): the bytes of the range may be partly written.</exception>
    internal void WriteThroughFile(long offset, ReadOnlySpan<byte> data)
    {
        if (!CanWriteThroughFile)
        {
            throw new InvalidOperationException("The map cannot be written through its file: it is closed, read-only, copy-on-write, anonymous, named, or holds no file handle.");
        }

        if (data.IsEmpty)
        {
            return;
        }

        EnsureRange(offset, data.Length);
        using var handle = new SafeFileHandle(_file, ownsHandle: false);
        try
        {
            RandomAccess.Write(handle, data, _offset + offset);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The range was checked above: on Unix this is .NET's report of EFBIG (a file-size
            // limit, RLIMIT_FSIZE, below the map's length), an I/O failure like a full disk, not an
            // argument of the caller's (docs/errors.md: EFBIG is a MapIOException).
            throw new MapIOException($"write at offset {_offset + offset} of {data.Length} bytes failed: [Errno {Platform.Errno.EFBIG}] File too large (the file-size limit or the file system's maximum file size): {e.Message}", Platform.Errno.EFBIG);
        }
    }

    /// <summary>
    /// Reads <c>destination.Length</c> bytes at <paramref name="offset"/> through the file handle
    /// (<c>pread</c>), for an owner's bulk read of pages it has not touched: no page fault per page.
    /// The page cache is the mapping's, so the bytes are the map's.
    /// </summary>
    /// <returns>False, having read nothing, when the map holds no file handle to read through (the caller then reads through the map).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map.</exception>
    /// <exception cref="EndOfStreamException">The file ends before the range does (cut under the map).</exception>
    internal bool TryReadThroughFile(long offset, Span<byte> destination)
    {
        if (_closed || _anonymous || _name is not null || _file == Platform.PlatformFile.None || _readLimit == 0
            || (_flags & MapFlags.SharedValidate) == MapFlags.Private)
        {
            return false;
        }

        EnsureRange(offset, destination.Length);
        using var handle = new SafeFileHandle(_file, ownsHandle: false);
        for (int done = 0; done < destination.Length;)
        {
            int read = RandomAccess.Read(handle, destination[done..], _offset + offset + done);
            if (read == 0)
            {
                throw new EndOfStreamException($"The file ends before {destination.Length} bytes at offset {offset} of the map: it was cut under the map.");
            }

            done += read;
        }

        return true;
    }
}
