using Overlay.Platform;

namespace Overlay;

// Another process truncating the mapped file (docs/durability.md, "External changes"). The
// pages past the new end raise SIGBUS when touched, which .NET cannot turn into an exception the
// program may catch. No check can exclude a truncation right after it; these run where an
// operation makes a system call anyway (never on the per-access path), so that a cut that
// already happened is refused with FileTruncatedException instead of faulting, or of being
// papered over by an ftruncate that grows the file back with zeros.
public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Throws <see cref="FileTruncatedException"/> when the map's file is shorter than the bytes it
    /// maps (one <c>fstat</c>). Nothing to check for anonymous and named memory, for a map that
    /// keeps no descriptor (<c>trackFile: false</c>), and for files that are not regular.
    /// </summary>
    /// <param name="operation">What is refused, for the message.</param>
    internal void ThrowIfFileTruncated(string operation)
    {
        if (_anonymous || !_trackFile || _name is not null)
        {
            return;
        }

        ThrowIfFileTruncated(_platform.GetStatus(_file), operation);
    }

    private void ThrowIfFileTruncated(FileStatus status, string operation)
    {
        long mappedEnd = _offset + _length;
        if (status.IsRegularFile && status.Size < mappedEnd && !_closed)
        {
            throw new FileTruncatedException(
                $"{operation} refused: the file is {status.Size} bytes, shorter than the {mappedEnd} bytes this map covers. Another process (or handle) truncated it while it was mapped; " +
                "touching the lost pages would end the process (SIGBUS). Close the map and open the file again (docs/durability.md, \"External changes\").",
                status.Size,
                mappedEnd);
        }
    }
}
