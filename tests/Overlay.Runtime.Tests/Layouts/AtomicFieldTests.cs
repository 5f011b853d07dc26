using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading.Tasks;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

/// <summary>
/// The members generated for <c>[Atomic]</c> fields (docs/layouts.md, "Atomic fields"): each
/// operation on views and refs, the checks views share with every access, and the run-time
/// alignment check. Two processes sharing one counter: <c>AtomicTwoProcessTests</c>.
/// </summary>
public class AtomicFieldTests
{
    [Fact]
    public void ViewOperationsOfEachTypeUpdateTheMappedBytes()
    {
        using MemoryMap map = MemoryMap.Anonymous(4096);
        var view = new TestCounters.View(map, 32);

        Assert.Equal(5L, view.AddTotal(5));
        Assert.Equal(6L, view.IncrementTotal());
        Assert.Equal(6L, view.ExchangeTotal(-1));
        Assert.Equal(-1L, view.CompareExchangeTotal(10, 7));   // not 7: unchanged
        Assert.Equal(-1L, view.CompareExchangeTotal(10, -1));  // -1: stored
        Assert.Equal(10L, view.VolatileReadTotal());
        Assert.Equal(10L, map.ReadAt<long>(32 + TestCounters.Offsets.Total));

        view.Generation = ulong.MaxValue;
        Assert.Equal(0UL, view.IncrementGeneration());         // wraps, as Interlocked does
        Assert.Equal(3UL, view.AddGeneration(3));
        Assert.Equal(3UL, view.ExchangeGeneration(ulong.MaxValue - 1));
        Assert.Equal(ulong.MaxValue - 1, view.CompareExchangeGeneration(1, ulong.MaxValue - 1));
        Assert.Equal(1UL, view.VolatileReadGeneration());

        Assert.Equal(int.MinValue, view.AddWorkers(int.MinValue));
        Assert.Equal(int.MinValue + 1, view.IncrementWorkers());
        Assert.Equal(int.MinValue + 1, view.ExchangeWorkers(2));
        Assert.Equal(2, view.CompareExchangeWorkers(3, 2));
        Assert.Equal(3, view.VolatileReadWorkers());

        Assert.Equal(0xFFFF_FFFFu, view.AddFlags(0xFFFF_FFFFu));
        Assert.Equal(0u, view.IncrementFlags());
        Assert.Equal(0u, view.ExchangeFlags(0x8000_0000u));
        Assert.Equal(0x8000_0000u, view.CompareExchangeFlags(7, 0x8000_0000u));
        Assert.Equal(7u, view.VolatileReadFlags());

        // Little-endian, at the documented offsets: the same bytes as the plain properties write.
        Span<byte> bytes = stackalloc byte[TestCounters.SizeInBytes];
        map.ReadAt(32, bytes);
        Assert.Equal(10L, BinaryPrimitives.ReadInt64LittleEndian(bytes[TestCounters.Offsets.Total..]));
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes[TestCounters.Offsets.Generation..]));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes[TestCounters.Offsets.Workers..]));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[TestCounters.Offsets.Flags..]));
        Assert.Equal(0L, view.Plain);
        Assert.Equal(0L, map.ReadAt<long>(0));   // nothing outside the record was touched
    }

    [Fact]
    public void RefOperationsUpdateTheBytesTheRefWasMadeOver()
    {
        var bytes = new byte[TestCounters.SizeInBytes];
        var record = new TestCounters.Ref(bytes);
        Assert.Equal(41L, record.AddTotal(41));
        Assert.Equal(42L, record.IncrementTotal());
        Assert.Equal(42L, record.ExchangeTotal(1));
        Assert.Equal(1L, record.CompareExchangeTotal(2, 1));
        Assert.Equal(1UL, record.IncrementGeneration());
        Assert.Equal(5, record.AddWorkers(5));
        Assert.Equal(0u, record.ExchangeFlags(9));
        Assert.Equal(2L, record.VolatileReadTotal());

        TestCounters.ReadOnlyRef readOnly = record;
        Assert.Equal((2L, 1UL, 5, 9u), (readOnly.VolatileReadTotal(), readOnly.VolatileReadGeneration(), readOnly.VolatileReadWorkers(), readOnly.VolatileReadFlags()));
        Assert.Equal(2L, BinaryPrimitives.ReadInt64LittleEndian(bytes));
    }

    [Fact]
    public void PinnedRefsOfAMappedArrayUpdateTheMap()
    {
        using MemoryMap map = MemoryMap.Anonymous(4096);
        var records = new MappedArray<TestCounters.View>(map, 0, 4);
        long total = records.Pin<TestCounters.Ref, long>(span =>
        {
            long sum = 0;
            for (int i = 0; i < span.Length; i++)
            {
                sum += span[i].AddTotal(i + 1);
            }

            return sum;
        });

        Assert.Equal(10L, total);
        Assert.Equal(4L, records[3].VolatileReadTotal());
        Assert.Equal(4L, records.PinReadOnly<TestCounters.ReadOnlyRef, long>(span => span[3].VolatileReadTotal()));
    }

    [Fact]
    public void ReadOnlyMapAllowsTheVolatileReadAndRefusesEveryWrite()
    {
        using TempPath file = new TempPath().WithBytes(4096);
        using (MemoryMap writable = MemoryMap.Open(file.Path))
        {
            new TestCounters.View(writable, 0).Total = 12;
        }

        using MemoryMap map = MemoryMap.Open(file.Path, MapAccess.Read);
        Assert.Equal(12L, new TestCounters.ReadOnlyView(map, 0).VolatileReadTotal());

        // A View of a read-only map writes nothing, as its setters and Store do.
#pragma warning disable OVL001 // the analyzer is right: these writes are the point of the test
        var view = new TestCounters.View(map, 0);
        Assert.Throws<NotSupportedException>(() => view.IncrementTotal());
        Assert.Throws<NotSupportedException>(() => view.AddTotal(1));
        Assert.Throws<NotSupportedException>(() => view.ExchangeTotal(1));
        Assert.Throws<NotSupportedException>(() => view.CompareExchangeTotal(1, 12));
#pragma warning restore OVL001
        Assert.Equal(12L, view.VolatileReadTotal());
    }

    [Fact]
    public void OutsideTheMapOrAfterCloseThrowsLikeEveryAccess()
    {
        using TempPath file = new TempPath().WithBytes(4096);
        MemoryMap map = MemoryMap.Open(file.Path);
        var last = new TestCounters.View(map, 4096 - 8);   // Total fits, Generation does not
        Assert.Equal(1L, last.IncrementTotal());
        Assert.Throws<ArgumentOutOfRangeException>(() => last.IncrementGeneration());
        Assert.Throws<ArgumentOutOfRangeException>(() => last.VolatileReadWorkers());

        map.Resize(4096 - 8);   // shrinks the map under the view
        Assert.Throws<ArgumentOutOfRangeException>(() => last.IncrementTotal());

        var first = new TestCounters.View(map, 0);
        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.IncrementTotal());
        Assert.Throws<ObjectDisposedException>(() => first.VolatileReadTotal());

        // A default view has no map: as its other accessors (docs/layouts.md).
        Assert.Throws<NullReferenceException>(() => default(TestCounters.View).IncrementTotal());
    }

    [Fact]
    public void AMisalignedRecordThrowsAndWritesNothing()
    {
        using MemoryMap map = MemoryMap.Anonymous(4096);
        var view = new TestCounters.View(map, 4);   // Total at address base + 4: not a multiple of 8
        DataMisalignedException error = Assert.Throws<DataMisalignedException>(() => view.IncrementTotal());
        Assert.Contains("not a multiple of 8", error.Message, StringComparison.Ordinal);
        Assert.Throws<DataMisalignedException>(() => view.AddTotal(1));
        Assert.Throws<DataMisalignedException>(() => view.ExchangeTotal(1));
        Assert.Throws<DataMisalignedException>(() => view.CompareExchangeTotal(1, 0));
        Assert.Throws<DataMisalignedException>(() => view.VolatileReadTotal());
        Assert.Equal(1, view.IncrementWorkers());   // Workers (4 bytes) at base + 20: aligned
        Assert.Equal(0L, map.ReadAt<long>(4));

        var bytes = new byte[64];   // array data is 8-aligned: 4 bytes in, a long is not
        Assert.Throws<DataMisalignedException>(() => new TestCounters.Ref(bytes.AsSpan(4)).IncrementTotal());
        Assert.Throws<DataMisalignedException>(() => new TestCounters.ReadOnlyRef(bytes.AsSpan(4)).VolatileReadTotal());
        Assert.Equal(new byte[64], bytes);
    }

    [Fact]
    public void ConcurrentIncrementsFromThreadsAreNotLost()
    {
        using MemoryMap map = MemoryMap.Anonymous(4096);
        var view = new TestCounters.View(map, 0);
        const int Threads = 4;
        const int Each = 100_000;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (int i = 0; i < Each; i++)
            {
                view.IncrementTotal();
                view.AddWorkers(2);
            }
        });

        Assert.Equal((long)Threads * Each, view.VolatileReadTotal());
        Assert.Equal(Threads * Each * 2, view.Workers);
    }

    [Fact]
    public void AtomicDoesNotEnterTheFingerprintOrTheDescription()
    {
        // The documented canonical text (docs/layouts.md, "Layout fingerprint") has no place for [Atomic].
        Assert.Equal(
            TestCounters.LayoutFingerprint,
            LayoutFingerprintTests.Fnv1a("size=32;Total:i64:0:8:le:0;Generation:u64:8:8:le:0;Workers:i32:16:4:le:0;Flags:u32:20:4:le:0;Plain:i64:24:8:le:0;"));
        Assert.Equal(LayoutFieldKind.Primitive, TestCounters.LayoutInfo.Fields[0].Kind);
    }
}
