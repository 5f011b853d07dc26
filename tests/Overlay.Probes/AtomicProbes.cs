using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>A counter two processes share (AtomicTwoProcessTests): one [Atomic] long, and a barrier.</summary>
[MappedLayout]
public partial struct SharedCounter
{
    [Atomic] public long Count;
    [Atomic] public long Arrived;
}

/// <summary>Scenarios of <c>[Atomic]</c> fields in a map that other processes share.</summary>
internal static class AtomicProbes
{
    private static readonly TimeSpan s_barrierTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>atomic-increment &lt;file&gt; &lt;count&gt; &lt;processes&gt;</c>: maps the file shared
    /// (<see cref="MapFlags.Shared"/>), waits until all the processes arrived (so that their
    /// increments overlap), then increments the counter <c>count</c> times, and prints
    /// <c>interleaved N</c>: how many of its increments followed another process's.
    /// </summary>
    public static void Increment(string[] arguments)
    {
        if (arguments.Length != 3)
        {
            throw new ArgumentException("usage: atomic-increment <file> <count> <processes>");
        }

        string path = arguments[0];
        long count = long.Parse(arguments[1], CultureInfo.InvariantCulture);
        long processes = long.Parse(arguments[2], CultureInfo.InvariantCulture);
        using FileStream file = new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        using var map = new MemoryMap(file.SafeFileHandle, SharedCounter.SizeInBytes, MapFlags.Shared, MapProtection.Read | MapProtection.Write);
        var counter = new SharedCounter.View(map, 0);

        counter.IncrementArrived();
        var waited = Stopwatch.StartNew();
        while (counter.VolatileReadArrived() < processes)
        {
            if (waited.Elapsed > s_barrierTimeout)
            {
                throw new TimeoutException($"only {counter.VolatileReadArrived()} of {processes} processes arrived in {s_barrierTimeout}");
            }

            Thread.Yield();
        }

        // A pause between increments spreads each process's loop over many scheduler slices, so
        // that the two overlap even on a loaded machine (a tight loop of 1,000,000 increments fits
        // in one slice: the processes would take turns, and a lost update could not happen).
        // It reports how often the other processes incremented between two of its own increments:
        // the proof that the loops overlapped, without which the exact total would prove nothing.
        long interleaved = 0;
        long previous = -1;
        for (long i = 0; i < count; i++)
        {
            long now = counter.IncrementCount();
            if (previous >= 0 && now != previous + 1)
            {
                interleaved++;
            }

            previous = now;
            Thread.SpinWait(20);
        }

        Console.WriteLine($"interleaved {interleaved.ToString(CultureInfo.InvariantCulture)}");
    }
}
