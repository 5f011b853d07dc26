using System;
using System.IO;

namespace Overlay.Tool.Tests;

/// <summary>A folder for one test's files, deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"overlay-tool-test-{Guid.NewGuid():N}");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A tool process still holding a file: the temp folder is the OS's to clean.
        }
    }
}
