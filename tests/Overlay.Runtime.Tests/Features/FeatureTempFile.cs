using System;
using System.IO;

namespace Overlay.Tests.Features;

/// <summary>
/// A uniquely named file in the temp folder, deleted on <see cref="Dispose"/>. The feature tests'
/// own helper (named so it cannot collide with other test folders' helpers).
/// </summary>
internal sealed class FeatureTempFile : IDisposable
{
    public FeatureTempFile(ReadOnlySpan<byte> content)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"overlay-feature-{Guid.NewGuid():N}.bin");
        using var stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(content);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>A file of <paramref name="length"/> bytes, each the low byte of its index.</summary>
    public static FeatureTempFile WithPattern(int length) => new(WithPatternBytes(length));

    /// <summary>The bytes <see cref="WithPattern"/> writes.</summary>
    public static byte[] WithPatternBytes(int length)
    {
        byte[] content = new byte[length];
        for (int i = 0; i < length; i++)
        {
            content[i] = (byte)i;
        }

        return content;
    }

    /// <summary>An empty file; <see cref="FileStream.SetLength"/> it to make a sparse file.</summary>
    public static FeatureTempFile Empty() => new(ReadOnlySpan<byte>.Empty);

    /// <summary>The path as the kernel reports it (readlink of /proc/self/fd): with the temp folder's symlinks resolved.</summary>
    public string ResolvedPath
    {
        get
        {
            string directory = System.IO.Path.GetDirectoryName(Path)!;
            string resolved = Directory.ResolveLinkTarget(directory, returnFinalTarget: true)?.FullName ?? directory;
            return System.IO.Path.Combine(resolved, System.IO.Path.GetFileName(Path));
        }
    }

    public byte[] ReadAll()
    {
        // FileShare.ReadWrite: the map may still hold the file open.
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        byte[] content = new byte[stream.Length];
        stream.ReadExactly(content);
        return content;
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Nothing to do: the file is in the temp folder.
        }
    }
}
