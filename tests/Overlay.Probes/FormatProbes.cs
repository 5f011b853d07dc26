using System;
using System.Globalization;
using System.Threading;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>Container scenarios that a test kills with SIGKILL at a random moment.</summary>
internal static class FormatProbes
{
    /// <summary>
    /// <c>compact-slowly PATH TAG-HEX</c>: compacts the container, pausing 2 ms after each 1 MiB
    /// copied so that a kill lands in the middle of the copy most of the time; prints "started"
    /// first, so the test knows the runtime is up.
    /// </summary>
    public static void CompactSlowly(string[] args)
    {
        string path = args[0];
        ulong tag = ulong.Parse(args[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Console.WriteLine("started");
        Console.Out.Flush();
        MappedContainer.Compact(path, tag, new Pause());
    }

    private sealed class Pause : IProgress<long>
    {
        public void Report(long value) => Thread.Sleep(2);
    }
}
