using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Overlay.Generators.Tests;

/// <summary>
/// Compares generated text with <c>Snapshots/&lt;name&gt;.verified.cs</c>, exactly. With
/// <c>OVERLAY_UPDATE_SNAPSHOTS=1</c> it rewrites the file instead; a missing or different
/// snapshot fails and leaves the text in <c>&lt;name&gt;.received.cs</c> (git-ignored).
/// </summary>
internal static class Snapshot
{
    // Written into the test assembly by the project file: the source tree's Snapshots folder.
    private static readonly string SnapshotDirectory = typeof(Snapshot).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SnapshotDirectory").Value!;

    public static void Verify(string name, string actual)
    {
        string directory = SnapshotDirectory;
        Assert.True(System.IO.Directory.Exists(directory), $"The snapshot folder {directory} is missing: run the tests from a clone of the repository.");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        if (Environment.GetEnvironmentVariable("OVERLAY_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"No snapshot {verified}; the generated text is in {received}. Run with OVERLAY_UPDATE_SNAPSHOTS=1 to accept it.");
        }

        string expected = File.ReadAllText(verified);
        if (expected != actual)
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"The generated text differs from {verified}; it is in {received}. Compare them, and run with OVERLAY_UPDATE_SNAPSHOTS=1 to accept it.");
        }

        File.Delete(received);
    }
}
