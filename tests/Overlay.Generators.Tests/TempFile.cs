using System;
using System.IO;

namespace Overlay.Generators.Tests;

/// <summary>A zero-filled temporary file, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(int length)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"overlay-gen-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(Path, new byte[length]);
    }

    public string Path { get; }

    public byte[] Bytes => File.ReadAllBytes(Path);

    public void Dispose() => File.Delete(Path);
}
