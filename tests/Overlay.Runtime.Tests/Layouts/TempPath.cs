using System;
using System.IO;

namespace Overlay.Tests.Layouts;

/// <summary>A unique temporary file path, deleted on dispose (the file need not exist).</summary>
internal sealed class TempPath : IDisposable
{
    public TempPath() =>
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"overlay-layouts-{Guid.NewGuid():N}.bin");

    public string Path { get; }

    /// <summary>Creates the file with <paramref name="length"/> zero bytes, or with the given pattern repeated.</summary>
    public TempPath WithBytes(int length, byte fill = 0)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, fill);
        File.WriteAllBytes(Path, bytes);
        return this;
    }

    public void Dispose() => File.Delete(Path);
}
