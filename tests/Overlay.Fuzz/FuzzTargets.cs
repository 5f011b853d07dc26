using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Overlay.Fuzz;

/// <summary>The targets, by the name the harness is run with.</summary>
public static class FuzzTargets
{
    /// <summary>Every target.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
        [new ContainerTarget(), new HashIndexTarget(), new SortedIndexTarget(), new SchemaTarget(), new RecordFileTarget()];

    /// <summary>The target named <paramref name="name"/>.</summary>
    /// <param name="name">A target's name.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ArgumentException">No target has that name (the message lists them).</exception>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"no fuzz target '{name}'; the targets are {string.Join(", ", All.Select(t => t.Name))}", nameof(name));

    /// <summary>A fresh scratch directory for one process: on tmpfs where there is one, so that a walk's msync costs nothing.</summary>
    /// <returns>The directory's path.</returns>
    public static string ScratchDirectory()
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string directory = Path.Combine(root, $"overlay-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }
}
