using System;
using System.IO;

namespace Overlay.Formats;

/// <summary>
/// The temporary files that rewrite a file crash-safely (compaction, upgrades): written next to
/// the file they replace, so the rename is atomic, and named after it and the operation, so the
/// next operation of the same kind deletes what a killed one left behind.
/// </summary>
internal static class ReplacementFiles
{
    /// <summary>
    /// Deletes the leftovers of earlier <paramref name="operation"/>s on <paramref name="fullPath"/>
    /// (<c>name.operation-*.tmp</c>) and returns a new, unused name beside it.
    /// </summary>
    public static string Prepare(string fullPath, string operation)
    {
        string directory = Path.GetDirectoryName(fullPath)!;
        string stem = Path.GetFileName(fullPath);
        foreach (string stray in Directory.EnumerateFiles(directory, $"{stem}.{operation}-*.tmp"))
        {
            File.Delete(stray);
        }

        return Path.Combine(directory, $"{stem}.{operation}-{Guid.NewGuid():N}.tmp");
    }
}
