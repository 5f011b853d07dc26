using System;
using System.Globalization;
using System.Threading;
using Overlay.Formats;

namespace Overlay.Probes;

/// <summary>Record file scenarios that a test kills with SIGKILL at a random moment.</summary>
internal static class RecordFileProbes
{
    /// <summary>
    /// <c>convert-slowly SOURCE TARGET MAGIC-HEX</c>: converts the record file into a container,
    /// pausing 2 ms after each 1 MiB copied so that a kill lands in the middle of the copy most of
    /// the time; prints "started" first, so the test knows the runtime is up.
    /// </summary>
    public static void ConvertSlowly(string[] args)
    {
        ulong magic = ulong.Parse(args[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Console.WriteLine("started");
        Console.Out.Flush();
        MappedContainer.ConvertRecordFile(args[0], args[1], magic, progress: new Pause());
    }

    private sealed class Pause : IProgress<long>
    {
        public void Report(long value) => Thread.Sleep(2);
    }
}
