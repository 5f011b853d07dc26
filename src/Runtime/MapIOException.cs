using System.IO;

namespace Overlay;

/// <summary>
/// A system call made by <see cref="MemoryMap"/> failed (Python's <c>OSError</c>).
/// <see cref="ErrorNumber"/> is the OS's error number (errno on Unix).
/// </summary>
public sealed class MapIOException : IOException
{
    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="message">What failed, with the OS's description of the error.</param>
    /// <param name="errorNumber">The OS's error number.</param>
    public MapIOException(string message, int errorNumber)
        : base(message, errorNumber)
    {
        ErrorNumber = errorNumber;
    }

    /// <summary>The OS's error number (errno on Unix), as Python's <c>OSError.errno</c>.</summary>
    public int ErrorNumber { get; }
}
