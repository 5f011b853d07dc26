using System.IO;

namespace Overlay;

/// <summary>
/// The file under a map is shorter than the bytes the map covers: another process (or another
/// handle in this one) truncated it while it was mapped. Touching the lost pages would end the
/// process (SIGBUS, which .NET turns into a fatal <c>AccessViolationException</c>), so the
/// operations that can see it in time (those that make a system call anyway: <c>Size</c>,
/// <c>Resize</c>, record file growth and close, container growth) refuse with this exception
/// before they touch them. See docs/durability.md, "External changes".
/// </summary>
public sealed class FileTruncatedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was refused, and why.</param>
    /// <param name="fileLength">The file's length now.</param>
    /// <param name="mappedEnd">The file offset the map reaches: its offset plus its length.</param>
    public FileTruncatedException(string message, long fileLength, long mappedEnd)
        : base(message)
    {
        FileLength = fileLength;
        MappedEnd = mappedEnd;
    }

    /// <summary>The file's length when the check was made.</summary>
    public long FileLength { get; }

    /// <summary>The file offset the map reaches (its offset plus its length): the file needs at least this many bytes.</summary>
    public long MappedEnd { get; }
}
