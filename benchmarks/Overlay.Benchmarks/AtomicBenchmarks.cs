using System.Threading;
using BenchmarkDotNet.Attributes;
using Overlay.Layouts;

namespace Overlay.Benchmarks;

/// <summary>A 16-byte record with one <c>[Atomic]</c> counter, for <see cref="AtomicBenchmarks"/>.</summary>
[MappedLayout]
public partial struct Counter16
{
    [Atomic] public long Hits;
    public long Spare;
}

/// <summary>
/// Issue 11: the cost of an <c>[Atomic]</c> field's generated <c>Increment</c>, through a view (map
/// and offset: bounds, retired-range and alignment checks) and through a pinned ref (alignment
/// check only), against <see cref="Interlocked.Increment(ref long)"/> on a raw pointer into the
/// same map. One thread, uncontended: the checks' cost beside the <c>lock xadd</c>. Per call:
/// 1,024 increments of one counter.
/// </summary>
public unsafe class AtomicBenchmarks
{
    private const int Increments = 1024;

    private MemoryMap _map = null!;
    private Counter16.View _view;
    private MappedArray<Counter16.View> _records;
    private MappedMemory _lease = null!;
    private System.Buffers.MemoryHandle _pin;
    private long* _pointer;

    [GlobalSetup]
    public void Setup()
    {
        _map = MemoryMap.Anonymous(4096);
        _view = new Counter16.View(_map, 64);
        _records = new MappedArray<Counter16.View>(_map, 64, 1);
        _lease = _map.AcquireMemory();
        _pin = _lease.Pin(64);
        _pointer = (long*)_pin.Pointer;
        Tiering.Promote(() =>
        {
            RawInterlocked();
            ViewIncrement();
            PinnedRefIncrement();
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pin.Dispose();
        ((System.IDisposable)_lease).Dispose();
        _map.Dispose();
    }

    /// <summary><see cref="Interlocked.Increment(ref long)"/> on the mapped address.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Increments)]
    public long RawInterlocked()
    {
        long last = 0;
        for (int i = 0; i < Increments; i++)
        {
            last = Interlocked.Increment(ref *_pointer);
        }

        return last;
    }

    /// <summary><c>Counter16.View.IncrementHits()</c>.</summary>
    [Benchmark(OperationsPerInvoke = Increments)]
    public long ViewIncrement()
    {
        Counter16.View view = _view;
        long last = 0;
        for (int i = 0; i < Increments; i++)
        {
            last = view.IncrementHits();
        }

        return last;
    }

    /// <summary><c>Counter16.Ref.IncrementHits()</c> inside <c>MappedArray.Pin</c>.</summary>
    [Benchmark(OperationsPerInvoke = Increments)]
    public long PinnedRefIncrement() => _records.Pin<Counter16.Ref, long>(static span =>
    {
        Counter16.Ref record = span[0];
        long last = 0;
        for (int i = 0; i < Increments; i++)
        {
            last = record.IncrementHits();
        }

        return last;
    });
}
