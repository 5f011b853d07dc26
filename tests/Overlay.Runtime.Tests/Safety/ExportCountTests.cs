using System;
using System.Threading;
using System.Threading.Tasks;
using Overlay.Tests.Features;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>Issue 14, holes 2 and 9: the export count can neither go below zero nor lose an update.</summary>
public class ExportCountTests
{
    /// <summary>Hole 2: disposing two copies of one enumerator ends one export, so a live export still holds the map.</summary>
    [Fact]
    public void DisposingTwoCopiesOfALineEnumeratorEndsOneExport()
    {
        using var map = MemoryMap.Anonymous(4096);
        MappedLineEnumerator first = map.EnumerateLines().GetEnumerator();
        MappedLineEnumerator copy = first;
        first.Dispose();
        copy.Dispose();
        first.Dispose();
        Assert.Equal(0, map.ExportCount);

        using MappedMemory live = map.AcquireMemory();
        Assert.Equal(1, map.ExportCount);
        Assert.Throws<InvalidOperationException>(map.Close);
        Assert.Throws<InvalidOperationException>(() => map.Resize(8192));
        Assert.False(map.IsClosed);
        live.GetSpan()[0] = 1;
    }

    /// <summary>Hole 2: every copy sees the end of the export, wherever it came from.</summary>
    [Fact]
    public void EveryCopyOfALineEnumeratorSeesTheExportEnd()
    {
        using var map = MemoryMap.Anonymous(4096);
        map[10] = (byte)'\n';
        MappedLineEnumerator first = map.EnumerateLines().GetEnumerator();
        Assert.True(first.MoveNext());
        MappedLineEnumerator copy = first;
        copy.Dispose();
        Assert.False(MoveNextSucceeds(ref first));
        Assert.True(first.Current.IsEmpty);
        map.Close();
        Assert.True(map.IsClosed);
    }

    [Fact]
    public void DefaultLineEnumeratorAndEnumerableThrowTypedExceptions()
    {
        MappedLineEnumerator none = default;
        Assert.False(MoveNextSucceeds(ref none));
        none.Dispose();
        Assert.Throws<InvalidOperationException>(() => default(MappedLineEnumerable).GetEnumerator());
    }

    /// <summary>Hole 9: exports taken and ended on several threads at once are all counted.</summary>
    [Fact]
    public void ExportsFromSeveralThreadsAreAllCounted()
    {
        using var map = MemoryMap.Anonymous(1 << 16);
        const int Threads = 4;
        const int PerThread = 100_000;
        using var start = new Barrier(Threads);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                using ReadOnlyMappedMemory export = map.AcquireReadOnlyMemory(0, 16);
                _ = export.Span[0];
            }
        });

        Assert.Equal(0, map.ExportCount);
        map.Close();
        Assert.True(map.IsClosed);
    }

    /// <summary>Hole 9: pins on several threads at once (concurrent readers of a record file) are all counted.</summary>
    [Fact]
    public void PinsFromSeveralThreadsAreAllCounted()
    {
        using var map = MemoryMap.Anonymous(1 << 16);
        const int Threads = 4;
        const int PerThread = 2_000_000;
        using var start = new Barrier(Threads);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                map.BeginPin(0, 8, write: false);
                map.EndPin();
            }
        });

        Assert.Equal(0, map.ExportCount);
        map.Close();
        Assert.True(map.IsClosed);
    }

    /// <summary>Hole 9: one export disposed on several threads at once is ended once.</summary>
    [Fact]
    public void ConcurrentDisposesOfOneExportEndItOnce()
    {
        using var map = MemoryMap.Anonymous(4096);
        using MappedMemory keeper = map.AcquireMemory();
        for (int round = 0; round < 2_000; round++)
        {
            MappedMemory export = map.AcquireMemory();
            Parallel.Invoke(
                () => ((IDisposable)export).Dispose(),
                () => ((IDisposable)export).Dispose(),
                () => ((IDisposable)export).Dispose());
            Assert.Equal(1, map.ExportCount);
        }

        Assert.Throws<InvalidOperationException>(map.Close);
    }

    /// <summary>A close racing with exports on other threads either refuses or wins; an export never outlives it.</summary>
    [Fact]
    public async Task CloseRacingWithExportsNeverLeavesAnExportOfAClosedMap()
    {
        for (int round = 0; round < 200; round++)
        {
            var map = MemoryMap.Anonymous(4096);
            int acquiredAfterClose = 0;
            using var stop = new CancellationTokenSource();
            Task exporter = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using MappedMemory export = map.AcquireMemory();
                        export.GetSpan()[0]++;
                        if (map.IsClosed)
                        {
                            Interlocked.Increment(ref acquiredAfterClose);
                        }
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                    catch (InvalidOperationException)
                    {
                        // The close was under way on the other thread.
                    }
                }
            });

            while (!map.IsClosed)
            {
                try
                {
                    map.Close();
                }
                catch (InvalidOperationException)
                {
                    Thread.Yield();
                }
            }

            stop.Cancel();
            await exporter;
            Assert.Equal(0, acquiredAfterClose);
        }
    }

    [Fact]
    public void RefusedExportHoldsNothing()
    {
        using var file = FeatureTempFile.WithPattern(100);
        using var map = MemoryMap.Open(file.Path, MapAccess.Read);
#pragma warning disable OVL001 // the run-time refusal is what is tested
        Assert.Throws<NotSupportedException>(() => map.AcquireMemory());
#pragma warning restore OVL001
        Assert.Throws<ArgumentOutOfRangeException>(() => map.AcquireReadOnlyMemory(101));
        Assert.Equal(0, map.ExportCount);
        map.Close();
    }

    /// <summary>False when <see cref="MappedLineEnumerator.MoveNext"/> throws <see cref="ObjectDisposedException"/> (a ref struct cannot go into a lambda).</summary>
    private static bool MoveNextSucceeds(ref MappedLineEnumerator enumerator)
    {
        try
        {
            enumerator.MoveNext();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
