using System;
using System.Runtime.CompilerServices;

namespace Overlay.Probes;

/// <summary>Export lifetimes whose failure is a write or read through unmapped memory.</summary>
internal static class LifetimeProbes
{
    /// <summary>
    /// Issue 14, hole 1: a span from an export of a map that is never disposed. Nothing keeps the
    /// map or the export reachable, so both are finalized; the span must still point at mapped memory.
    /// </summary>
    public static void FinalizerKeepsExportedSpan()
    {
        Span<byte> span = ExportAndForget(1 << 16);
        for (int round = 0; round < 3; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        span.Fill(0x5A);
        for (int i = 0; i < span.Length; i += 4096)
        {
            if (span[i] != 0x5A)
            {
                throw new InvalidOperationException($"byte {i} reads {span[i]}, not what was written");
            }
        }
    }

    /// <summary>
    /// Issue 14, hole 2: a copy of a line enumerator, after another copy ended the export and the
    /// map was closed, must throw rather than hand out lines from the unmapped window.
    /// </summary>
    public static void EnumeratorCopyAfterClose()
    {
        var map = MemoryMap.Anonymous(1 << 20);
        for (long i = 99; i < map.Length; i += 100)
        {
            map[i] = (byte)'\n';
        }

        MappedLineEnumerator first = map.EnumerateLines().GetEnumerator();
        first.MoveNext();
        MappedLineEnumerator copy = first;
        first.Dispose();
        map.Close();

        // Other mappings may now reuse the address; make that likely, as a busy process would.
        using var other = MemoryMap.Anonymous(1 << 20);
        try
        {
            copy.MoveNext();
            throw new InvalidOperationException("MoveNext on a copy of a disposed enumerator returned after the map was closed");
        }
        catch (ObjectDisposedException)
        {
        }

        if (!copy.Current.IsEmpty)
        {
            throw new InvalidOperationException("Current on a copy of a disposed enumerator still hands out the line after the map was closed");
        }
    }

    // Out of line, so that no local of the caller keeps the map or the export reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Span<byte> ExportAndForget(int length) =>
        MemoryMap.Anonymous(length).AcquireMemory().GetSpan();
}
