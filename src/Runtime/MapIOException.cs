using System.IO;

namespace Overlay;

/// <summary>
/// A system call made by <see cref="MemoryMap"/> failed (Python's <c>OSError</c>).
/// <see cref="ErrorNumber"/> is the errno; on Windows it is translated from the Win32 error,
/// which <see cref="WindowsError"/> keeps (as Python's <c>OSError.errno</c> and <c>winerror</c>).
/// </summary>
public sealed class MapIOException : IOException
{
    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="message">What failed, with the OS's description of the error.</param>
    /// <param name="errorNumber">The errno.</param>
    public MapIOException(string message, int errorNumber)
        : base(message, errorNumber)
    {
        ErrorNumber = errorNumber;
    }

    /// <summary>Creates the exception for a failed Windows call.</summary>
    /// <param name="message">What failed, with the OS's description of the error.</param>
    /// <param name="errorNumber">The errno the Win32 error translates to.</param>
    /// <param name="windowsError">The Win32 error code (<c>GetLastError</c>).</param>
    public MapIOException(string message, int errorNumber, int windowsError)
        : base(message, errorNumber)
    {
        ErrorNumber = errorNumber;
        WindowsError = windowsError;
    }

    /// <summary>The errno, as Python's <c>OSError.errno</c> (on Windows translated from <see cref="WindowsError"/>).</summary>
    public int ErrorNumber { get; }

    /// <summary>The Win32 error code on Windows (Python's <c>OSError.winerror</c>); 0 on Unix.</summary>
    public int WindowsError { get; }
}
