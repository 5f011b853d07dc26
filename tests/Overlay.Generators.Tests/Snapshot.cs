using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace Overlay.Generators.Tests;

/// <summary>
/// Compares generated text with <c>Snapshots/&lt;name&gt;.verified.cs</c>, exactly. With
/// <c>OVERLAY_UPDATE_SNAPSHOTS=1</c> it rewrites the file instead; a missing or different
/// snapshot fails and leaves the text in <c>&lt;name&gt;.received.cs</c> (git-ignored).
/// </summary>
internal static class Snapshot
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
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
