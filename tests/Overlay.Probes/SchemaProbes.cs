using System;
using System.Globalization;
using System.Threading;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>Version 2 of the upgrade tests' player (Id int, Score float), with an appended and a widened field.</summary>
[MappedLayout]
public partial struct UpgradedPlayer
{
    public long Id;
    public double Score;
    public long Gold;
}

/// <summary>Schema scenarios that a test kills with SIGKILL at a random moment.</summary>
internal static class SchemaProbes
{
    /// <summary>
    /// <c>upgrade-slowly PATH TAG-HEX</c>: upgrades section "players" to <see cref="UpgradedPlayer"/>,
    /// pausing 2 ms after each 64K records so that a kill lands mid-way; prints "started" first.
    /// </summary>
    public static void UpgradeSlowly(string[] args)
    {
        string path = args[0];
        ulong tag = ulong.Parse(args[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Console.WriteLine("started");
        Console.Out.Flush();
        MappedContainer.Upgrade(path, tag, new ContainerUpgrade().Records<UpgradedPlayer>("players"), new Pause());
    }

    private sealed class Pause : IProgress<long>
    {
        public void Report(long value) => Thread.Sleep(2);
    }
}
