using System;
using System.IO;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Overlay.Tests.PortedFromCPython;

/// <summary>
/// A uniquely named file in the temp folder, deleted on Dispose (CPython's TESTFN with
/// its setUp/tearDown unlink). Names are unique so test classes can run in parallel.
/// </summary>
internal sealed class TempFile : IDisposable
{
    /// <summary>The 11-byte file the behaviour tables call <c>F</c>.</summary>
    public static readonly byte[] Lines = "abc\ndef\nghi"u8.ToArray();

    /// <summary>The 10-byte content the behaviour tables call <c>X</c>.</summary>
    public static readonly byte[] Abcd = "abcdabcdab"u8.ToArray();

    public TempFile(ReadOnlySpan<byte> content)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"overlay-ported-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(Path, content.ToArray());
    }

    public string Path { get; }

    public static TempFile WithText(string text) => new(Encoding.Latin1.GetBytes(text));

    /// <summary>A file of <paramref name="pages"/> pages of zeros with "foo" at the start of page <paramref name="fooPage"/>.</summary>
    public static TempFile Pages(int pages, int fooPage = -1)
    {
        byte[] content = new byte[pages * MemoryMap.PageSize];
        if (fooPage >= 0)
        {
            "foo"u8.CopyTo(content.AsSpan((int)(fooPage * MemoryMap.PageSize)));
        }

        return new TempFile(content);
    }

    public SafeFileHandle OpenReadWrite() =>
        File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);

    public SafeFileHandle OpenReadOnly() =>
        File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);

    /// <summary>
    /// Maps the file through a read-write handle that is closed again before returning: the map
    /// keeps its own descriptor (CPython's tests close <c>f</c> right after mapping too).
    /// </summary>
    public MemoryMap Map(
        long length = 0,
        MapFlags? flags = null,
        MapProtection? protection = null,
        MapAccess access = MapAccess.Default,
        long offset = 0,
        bool trackFile = true)
    {
        using SafeFileHandle handle = OpenReadWrite();
        return new MemoryMap(handle, length, flags, protection, access, offset, trackFile);
    }

    public byte[] ReadAll()
    {
        using SafeFileHandle handle = OpenReadOnly();
        byte[] content = new byte[RandomAccess.GetLength(handle)];
        int read = RandomAccess.Read(handle, content, 0);
        return content.AsSpan(0, read).ToArray();
    }

    public long FileLength => new FileInfo(Path).Length;

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Nothing holds the file open on Linux; a failed delete leaves only a temp file behind.
        }
    }
}
