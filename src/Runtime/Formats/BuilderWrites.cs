using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Formats;

/// <summary>
/// The <see cref="ContainerBuilder"/>'s writes to its files, each failure an <see cref="IOException"/>.
/// On Unix, .NET reports <c>EFBIG</c> (the file would pass the file system's maximum file size or the
/// process's file-size limit, <c>RLIMIT_FSIZE</c>) as an <see cref="ArgumentOutOfRangeException"/> of a
/// parameter <c>value</c> that the builder's caller never passed: to them it is an I/O failure, like a
/// full disk, and the builder documents it as one.
/// </summary>
internal static class BuilderWrites
{
    /// <summary><see cref="RandomAccess.Write(SafeFileHandle, ReadOnlySpan{byte}, long)"/> at <paramref name="offset"/> (never negative).</summary>
    public static void Write(SafeFileHandle handle, ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            RandomAccess.Write(handle, bytes, offset);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The offset is valid (the builder's are never negative): this is the errno, not an argument.
            throw TooLarge(offset + bytes.Length, e);
        }
    }

    /// <summary><see cref="RandomAccess.SetLength"/> to <paramref name="length"/> (never negative).</summary>
    public static void SetLength(SafeFileHandle handle, long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw TooLarge(length, e);
        }
    }

    private static IOException TooLarge(long length, ArgumentOutOfRangeException inner) =>
        new($"A file of the container being built cannot grow to {length} bytes: that passes the file system's maximum file size or the process's file-size limit (EFBIG).", inner);
}
