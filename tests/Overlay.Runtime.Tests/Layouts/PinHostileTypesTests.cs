using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// Hand-written <see cref="IMappedRef{TSelf}"/>, <see cref="IMappedView{TSelf}"/> and
/// <see cref="IMappedLayout{TSelf}"/> types that lie: a record size that changes from one call to
/// the next or is not positive, a layout whose <c>Store</c> closes or resizes the map it is
/// writing into. The runtime runs their code on its fast paths (the pinned spans, the span
/// <c>Store</c> of <see cref="RecordFile{THeaderView, TRecordView}.Append{TRecord}(in TRecord)"/>),
/// so each must end in a typed exception or in memory that is really there, never in an access
/// outside the mapping.
/// </summary>
/// <remarks>
/// The size a span uses is read once per Ref type and cached, and the hostile types keep their
/// state in static fields: every Ref scenario has a type of its own, the view and the layout are
/// set up afresh by each test that uses them, and the tests of this class run one after another
/// (one xunit collection), so no two tests share that state.
/// </remarks>
public class PinHostileTypesTests
{
    private const int BufferLength = 16;

    private const int RecordsInMap = 4;

    [Fact]
    public void ASpanOverBytesUsesOneRecordSizeThoughTheRefAnswersAnotherLater()
    {
        // ShrinkingRef says 1 byte the first time and 1 MiB after: a span that read the size again
        // at each access would make 16 records of 1 byte, then hand out spans 1 MiB apart and long.
        byte[] buffer = new byte[BufferLength];
        var span = new MappedSpan<ShrinkingRef>(buffer);
        Assert.Equal(BufferLength, span.Length);
        Assert.Equal(BufferLength, ShrinkingRef.FirstAnswer * span.Length);

        for (int i = 0; i < span.Length; i++)
        {
            AssertRecordAt(buffer, span[i].Bytes, i, ShrinkingRef.FirstAnswer);
            AssertRecordAt(buffer, span.At(i).Bytes, i, ShrinkingRef.FirstAnswer);
        }

        int index = 0;
        foreach (ShrinkingRef record in span)
        {
            AssertRecordAt(buffer, record.Bytes, index++, ShrinkingRef.FirstAnswer);
        }

        Assert.Equal(BufferLength, index);

        MappedSpan<ShrinkingRef> slice = span.Slice(3, 5);
        Assert.Equal(5, slice.Length);
        for (int i = 0; i < slice.Length; i++)
        {
            AssertRecordAt(buffer, slice[i].Bytes, 3 + i, ShrinkingRef.FirstAnswer);
        }

        AssertRecordAt(buffer, slice.Slice(4, 1)[0].Bytes, 7, ShrinkingRef.FirstAnswer);

        // Only now is it safe to write: every record is one byte of the buffer, at its index.
        for (int i = 0; i < span.Length; i++)
        {
            span[i].Bytes.Fill((byte)(i + 1));
        }

        for (int i = 0; i < BufferLength; i++)
        {
            Assert.Equal(i + 1, buffer[i]);
        }
    }

    [Fact]
    public void AReadOnlySpanOverBytesUsesOneRecordSizeThoughTheRefAnswersAnotherLater()
    {
        byte[] buffer = new byte[BufferLength];
        for (int i = 0; i < BufferLength; i++)
        {
            buffer[i] = (byte)(100 + i);
        }

        var span = new ReadOnlyMappedSpan<ShrinkingReadOnlyRef>(buffer);
        Assert.Equal(BufferLength, span.Length);
        Assert.Equal(BufferLength, ShrinkingReadOnlyRef.FirstAnswer * span.Length);

        for (int i = 0; i < span.Length; i++)
        {
            AssertRecordAt(buffer, span[i].Bytes, i, ShrinkingReadOnlyRef.FirstAnswer);
        }

        int index = 0;
        foreach (ShrinkingReadOnlyRef record in span)
        {
            AssertRecordAt(buffer, record.Bytes, index++, ShrinkingReadOnlyRef.FirstAnswer);
        }

        Assert.Equal(BufferLength, index);

        ReadOnlyMappedSpan<ShrinkingReadOnlyRef> slice = span.Slice(10, 6);
        for (int i = 0; i < slice.Length; i++)
        {
            AssertRecordAt(buffer, slice[i].Bytes, 10 + i, ShrinkingReadOnlyRef.FirstAnswer);
        }

        // Inside the buffer, so reading is safe: each record is its own byte.
        for (int i = 0; i < span.Length; i++)
        {
            Assert.Equal(100 + i, span[i].Bytes[0]);
        }
    }

    [Fact]
    public void ARefWhoseRecordsHaveNoBytesIsRefusedWithAnArgumentException()
    {
        // Before: 16 / 0, a DivideByZeroException that says nothing about the type.
        ArgumentException error = Assert.Throws<ArgumentException>(static () => _ = new MappedSpan<ZeroSizeRef>(new byte[BufferLength]));
        Assert.Equal("TRef", error.ParamName);
        Assert.Contains(typeof(ZeroSizeRef).FullName!, error.Message);

        error = Assert.Throws<ArgumentException>(static () => _ = new ReadOnlyMappedSpan<ZeroSizeReadOnlyRef>(new byte[BufferLength]));
        Assert.Equal("TRef", error.ParamName);
        Assert.Contains(typeof(ZeroSizeReadOnlyRef).FullName!, error.Message);

        // Empty bytes too: the size is checked, not only divided by.
        Assert.Throws<ArgumentException>(static () => _ = new MappedSpan<ZeroSizeRef>(Span<byte>.Empty));
        Assert.Throws<ArgumentException>(static () => _ = new ReadOnlyMappedSpan<ZeroSizeReadOnlyRef>(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void ARefWhoseRecordsHaveANegativeSizeIsRefusedWithAnArgumentException()
    {
        // Before: 16 / -4, a span of -4 records, accepted.
        ArgumentException error = Assert.Throws<ArgumentException>(static () => _ = new MappedSpan<NegativeSizeRef>(new byte[BufferLength]));
        Assert.Equal("TRef", error.ParamName);
        Assert.Contains(typeof(NegativeSizeRef).FullName!, error.Message);

        error = Assert.Throws<ArgumentException>(static () => _ = new ReadOnlyMappedSpan<NegativeSizeReadOnlyRef>(new byte[BufferLength]));
        Assert.Equal("TRef", error.ParamName);
        Assert.Contains(typeof(NegativeSizeReadOnlyRef).FullName!, error.Message);

        // int.MinValue: 16 / int.MinValue is 0, an empty span that would hide the lie.
        Assert.Throws<ArgumentException>(static () => _ = new MappedSpan<MinValueSizeRef>(new byte[BufferLength]));
    }

    [Theory]
    [InlineData(0, false, true)] // every answer 1 byte: the Ref's size differs, the check refuses
    [InlineData(1, false, true)] // the right size only for the check: before, the range pinned was 4 bytes
    [InlineData(2, false, true)]
    [InlineData(int.MaxValue, false, true)] // always right: the records are past the end either way
    [InlineData(0, true, true)]
    [InlineData(1, true, true)]
    [InlineData(2, true, true)]
    [InlineData(int.MaxValue, true, true)]
    [InlineData(0, false, false)] // at the start of the map, the records fit: the pin may hand them out
    [InlineData(1, false, false)]
    [InlineData(2, false, false)]
    [InlineData(0, true, false)]
    [InlineData(1, true, false)]
    [InlineData(2, true, false)]
    public void AViewWhoseSizeChangesCannotMakeAPinHandOutRecordsPastTheMap(int rightAnswers, bool readOnly, bool atTheEnd)
    {
        using TempPath temp = new TempPath().WithBytes(RecordsInMap * TestRecord.SizeInBytes);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        long length = map.Length;

        // Made while the view says 1 byte a record: at the end, four records fit in the last four
        // bytes; at the start, the four real records fit too.
        FickleView.RightAnswers = 0;
        var records = new MappedArray<FickleView>(map, atTheEnd ? length - RecordsInMap : 0, RecordsInMap);

        // First a Ref that keeps the bytes it is made from, to compare them with the map's before
        // anything is written: what the pin hands out must lie inside the map (or the pin throws).
        using (MappedMemory whole = map.AcquireMemory())
        {
            FickleView.RightAnswers = rightAnswers;
            Exception? refused = Record.Exception(() =>
            {
                int checkedRecords = readOnly
                    ? records.PinReadOnly<ProbeRef, MappedMemory, int>(whole, static (span, memory) => CheckInside(span, memory.GetSpan()))
                    : records.Pin<ProbeRef, MappedMemory, int>(whole, static (span, memory) => CheckInside(span, memory.GetSpan()));
                Assert.Equal(RecordsInMap, checkedRecords);
            });
            AssertRefusedOrNone(refused);
            Assert.Equal(1, map.ExportCount); // the acquired memory alone: the pin ended
        }

        // Then the generated Ref, written through record by record: no crash, nothing outside.
        FickleView.RightAnswers = rightAnswers;
        Exception? written = Record.Exception(() =>
        {
            if (readOnly)
            {
                long sum = records.PinReadOnly<TestRecord.ReadOnlyRef, long>(static span =>
                {
                    long total = 0;
                    foreach (TestRecord.ReadOnlyRef record in span)
                    {
                        total += record.Id;
                    }

                    return total;
                });
                Assert.Equal(0, sum);
            }
            else
            {
                records.Pin<TestRecord.Ref>(static span =>
                {
                    for (int i = 0; i < span.Length; i++)
                    {
                        TestRecord.Ref record = span[i];
                        record.Id = -1;
                        record.Tag = "outside?";
                    }
                });
            }
        });
        AssertRefusedOrNone(written);

        Assert.Equal(0, map.ExportCount);
        Assert.Equal(length, map.Length);
        Assert.False(map.IsClosed);

        // The map is intact and still pins with the generated view.
        var honest = new MappedArray<TestRecord.View>(map, 0, RecordsInMap);
        Assert.Equal(RecordsInMap, honest.Pin<TestRecord.Ref, int>(static span => span.Length));
    }

    [Fact]
    public void AnArrayOfViewsWhoseRecordsHaveNoBytesIsRefusedWithAnArgumentException()
    {
        // As a Ref of no bytes is refused by the spans: an array of views of no bytes divides by
        // the size to check the total against overflow. A view of another size than its Ref's
        // never pins, so this is about the exception's type alone, not about memory.
        using TempPath temp = new TempPath().WithBytes(RecordsInMap * TestRecord.SizeInBytes);
        using MemoryMap map = MemoryMap.Open(temp.Path);
        Exception error = Record.Exception(() => new MappedArray<ZeroSizeView>(map, 0, 1));
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Theory]
    [InlineData(Attack.Close)]
    [InlineData(Attack.Grow)]
    [InlineData(Attack.Shrink)]
    [InlineData(Attack.AppendToFile)]
    [InlineData(Attack.DisposeFile)]
    public void AppendHoldsTheMapWhileALayoutsStoreRuns(Attack attack)
    {
        using var temp = new TempPath();
        WritableFile file = WritableFile.Create(temp.Path, RecordFileTests.Magic, initialCapacity: 4);
        try
        {
            HostileLayout.File = file;
            file.Append(new HostileLayout { Id = 1 });
            file.Append(new HostileLayout { Id = 2 });
            long length = file.Map.Length;

            // Store runs on a span of the map: closing or remapping it then would leave the span
            // pointing at memory that is gone. The map refuses, as it does during a Pin callback.
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => file.Append(new HostileLayout { Id = 3, Attack = attack }));
            Assert.Contains(ExpectedRefusal(attack), error.Message);
            Assert.False(file.Map.IsClosed);
            Assert.Equal(length, file.Map.Length);
            Assert.Equal(1, file.Map.ExportCount); // the record file's own hold alone

            // Nothing was appended, and the file goes on as before.
            Assert.Equal(2, file.Count);
            TestRecord.View appended = file.Append(new HostileLayout { Id = 4 });
            Assert.Equal((RecordFileTests.RecordsOffset + (2 * TestRecord.SizeInBytes), 4L), (MappedView.OffsetOf(appended), appended.Id));
            file.Append(new TestRecord { Id = 5, Tag = "plain" });
            Assert.Equal(4, file.Count);
            Assert.Equal([1L, 2, 4, 5], Ids(file));
        }
        finally
        {
            HostileLayout.File = null;
            file.Dispose();
        }

        Assert.Equal(4, RecordsIn(temp.Path));
    }

    [Theory]
    [InlineData(Attack.Close)]
    [InlineData(Attack.Grow)]
    [InlineData(Attack.Shrink)]
    [InlineData(Attack.AppendToFile)]
    [InlineData(Attack.DisposeFile)]
    public void AppendRangeHoldsTheMapWhileALayoutsStoreRuns(Attack attack)
    {
        using var temp = new TempPath();
        WritableFile file = WritableFile.Create(temp.Path, RecordFileTests.Magic, initialCapacity: 8);
        try
        {
            HostileLayout.File = file;
            file.AppendRange<HostileLayout>([new HostileLayout { Id = 1 }]);
            long length = file.Map.Length;

            // The second value attacks: the first was stored, but AppendRange is all or nothing.
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => file.AppendRange<HostileLayout>(
                [new HostileLayout { Id = 2 }, new HostileLayout { Id = 3, Attack = attack }, new HostileLayout { Id = 4 }]));
            Assert.Contains(ExpectedRefusal(attack), error.Message);
            Assert.False(file.Map.IsClosed);
            Assert.Equal(length, file.Map.Length);
            Assert.Equal(1, file.Map.ExportCount); // the record file's own hold alone
            Assert.Equal(1, file.Count);

            // An attack on the first value of a range, past the capacity (the range grows the file first).
            Assert.Throws<InvalidOperationException>(() => file.AppendRange<HostileLayout>(
                [new HostileLayout { Id = 5, Attack = attack }, .. new HostileLayout[10]]));
            Assert.Equal(1, file.Count);
            Assert.Equal(1, file.Map.ExportCount);

            file.AppendRange<HostileLayout>([new HostileLayout { Id = 6 }, new HostileLayout { Id = 7 }]);
            file.Append(new HostileLayout { Id = 8 });
            Assert.Equal([1L, 6, 7, 8], Ids(file));
        }
        finally
        {
            HostileLayout.File = null;
            file.Dispose();
        }

        Assert.Equal(4, RecordsIn(temp.Path));
    }

    /// <summary>What <see cref="HostileLayout"/>'s <c>Store</c> does to the map before it writes.</summary>
    public enum Attack
    {
        None,
        Close,
        Grow,
        Shrink,
        AppendToFile,
        DisposeFile,
    }

    private static string ExpectedRefusal(Attack attack) => attack switch
    {
        Attack.Close or Attack.DisposeFile => "close",
        Attack.AppendToFile => "append",
        _ => "resize",
    };

    private static void AssertRecordAt(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> record, int index, int size)
    {
        // Addresses only: nothing is read, so a record outside the buffer fails here, not in a crash.
        Assert.Equal(size, record.Length);
        long offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(buffer), ref MemoryMarshal.GetReference(record));
        Assert.Equal((long)index * size, offset);
        Assert.InRange(offset + record.Length, 0, buffer.Length);
    }

    private static int CheckInside(MappedSpan<ProbeRef> span, Span<byte> map)
    {
        for (int i = 0; i < span.Length; i++)
        {
            AssertInsideMap(span[i].Bytes, i, map);
        }

        return span.Length;
    }

    private static int CheckInside(ReadOnlyMappedSpan<ProbeRef> span, Span<byte> map)
    {
        for (int i = 0; i < span.Length; i++)
        {
            AssertInsideMap(span[i].Bytes, i, map);
        }

        return span.Length;
    }

    private static void AssertInsideMap(ReadOnlySpan<byte> record, int index, Span<byte> map)
    {
        // Addresses only, as in AssertRecordAt.
        Assert.Equal(TestRecord.SizeInBytes, record.Length);
        long offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(map), ref MemoryMarshal.GetReference(record));
        Assert.True(offset >= 0 && offset + record.Length <= map.Length, $"Record {index} of the pin is at bytes [{offset}, {offset + record.Length}) of a map of {map.Length}.");
    }

    private static void AssertRefusedOrNone(Exception? error)
    {
        // Refusing the pin is fine; any other exception (an assertion's among them) is not.
        if (error is not null and not ArgumentException)
        {
            throw new Xunit.Sdk.XunitException($"The pin neither refused with an ArgumentException nor kept its records inside the map: {error}");
        }
    }

    private static List<long> Ids(WritableFile file)
    {
        var ids = new List<long>();
        foreach (TestRecord.View record in file.Records)
        {
            ids.Add(record.Id);
        }

        return ids;
    }

    private static long RecordsIn(string path)
    {
        using RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView> reopened = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>.Open(path, RecordFileTests.Magic, MapAccess.Read);
        return reopened.Count;
    }

    /// <summary>Says its records are 1 byte on the first call and 1 MiB on every later one.</summary>
    private readonly ref struct ShrinkingRef : IMappedRef<ShrinkingRef>
    {
        public const int FirstAnswer = 1;

        private static int s_calls;

        private readonly Span<byte> _bytes;

        private ShrinkingRef(Span<byte> bytes) => _bytes = bytes;

        public static int SizeInBytes => s_calls++ == 0 ? FirstAnswer : 1 << 20;

        public static ulong LayoutFingerprint => 0x5348_5249_4E4B_0001UL;

        public Span<byte> Bytes => _bytes;

        public static ShrinkingRef Create(Span<byte> bytes) => new(bytes);
    }

    /// <summary><see cref="ShrinkingRef"/> for <see cref="ReadOnlyMappedSpan{TRef}"/>, with a counter of its own.</summary>
    private readonly ref struct ShrinkingReadOnlyRef : IReadOnlyMappedRef<ShrinkingReadOnlyRef>
    {
        public const int FirstAnswer = 1;

        private static int s_calls;

        private readonly ReadOnlySpan<byte> _bytes;

        private ShrinkingReadOnlyRef(ReadOnlySpan<byte> bytes) => _bytes = bytes;

        public static int SizeInBytes => s_calls++ == 0 ? FirstAnswer : 1 << 20;

        public static ulong LayoutFingerprint => 0x5348_5249_4E4B_0002UL;

        public ReadOnlySpan<byte> Bytes => _bytes;

        public static ShrinkingReadOnlyRef Create(ReadOnlySpan<byte> bytes) => new(bytes);
    }

    private readonly ref struct ZeroSizeRef : IMappedRef<ZeroSizeRef>
    {
        public static int SizeInBytes => 0;

        public static ulong LayoutFingerprint => 0;

        public static ZeroSizeRef Create(Span<byte> bytes) => throw new InvalidOperationException("Never made: the span refuses the type.");
    }

    private readonly ref struct ZeroSizeReadOnlyRef : IReadOnlyMappedRef<ZeroSizeReadOnlyRef>
    {
        public static int SizeInBytes => 0;

        public static ulong LayoutFingerprint => 0;

        public static ZeroSizeReadOnlyRef Create(ReadOnlySpan<byte> bytes) => throw new InvalidOperationException("Never made: the span refuses the type.");
    }

    private readonly ref struct NegativeSizeRef : IMappedRef<NegativeSizeRef>
    {
        public static int SizeInBytes => -4;

        public static ulong LayoutFingerprint => 0;

        public static NegativeSizeRef Create(Span<byte> bytes) => throw new InvalidOperationException("Never made: the span refuses the type.");
    }

    private readonly ref struct NegativeSizeReadOnlyRef : IReadOnlyMappedRef<NegativeSizeReadOnlyRef>
    {
        public static int SizeInBytes => -4;

        public static ulong LayoutFingerprint => 0;

        public static NegativeSizeReadOnlyRef Create(ReadOnlySpan<byte> bytes) => throw new InvalidOperationException("Never made: the span refuses the type.");
    }

    private readonly ref struct MinValueSizeRef : IMappedRef<MinValueSizeRef>
    {
        public static int SizeInBytes => int.MinValue;

        public static ulong LayoutFingerprint => 0;

        public static MinValueSizeRef Create(Span<byte> bytes) => throw new InvalidOperationException("Never made: the span refuses the type.");
    }

    /// <summary>
    /// A Ref of <see cref="TestRecord"/>'s size and fingerprint (so a pin of a <see cref="TestRecord"/>
    /// array takes it) that keeps the bytes it is made from, so a test can see where they are.
    /// </summary>
    private readonly ref struct ProbeRef : IMappedRef<ProbeRef>, IReadOnlyMappedRef<ProbeRef>
    {
        private readonly ReadOnlySpan<byte> _bytes;

        private ProbeRef(ReadOnlySpan<byte> bytes) => _bytes = bytes;

        public static int SizeInBytes => TestRecord.SizeInBytes;

        public static ulong LayoutFingerprint => TestRecord.LayoutFingerprint;

        public ReadOnlySpan<byte> Bytes => _bytes;

        public static ProbeRef Create(Span<byte> bytes) => new(bytes);

        public static ProbeRef Create(ReadOnlySpan<byte> bytes) => new(bytes);
    }

    /// <summary>
    /// A view with <see cref="TestRecord"/>'s fingerprint whose size is <see cref="TestRecord"/>'s
    /// for the next <see cref="RightAnswers"/> calls, then 1 byte.
    /// </summary>
    private readonly struct FickleView : IMappedView<FickleView>
    {
        private readonly MemoryMap _map;
        private readonly long _offset;

        private FickleView(MemoryMap map, long offset)
        {
            _map = map;
            _offset = offset;
        }

        public static int RightAnswers { get; set; }

        public static int SizeInBytes => RightAnswers-- > 0 ? TestRecord.SizeInBytes : 1;

        public static ulong LayoutFingerprint => TestRecord.LayoutFingerprint;

        public static bool IsReadOnly => false;

        public MemoryMap Map => _map;

        public long Offset => _offset;

        public static FickleView Create(MemoryMap map, long offset) => new(map, offset);
    }

    /// <summary>A view whose records have no bytes.</summary>
    private readonly struct ZeroSizeView : IMappedView<ZeroSizeView>
    {
        private readonly MemoryMap _map;
        private readonly long _offset;

        private ZeroSizeView(MemoryMap map, long offset)
        {
            _map = map;
            _offset = offset;
        }

        public static int SizeInBytes => 0;

        public static ulong LayoutFingerprint => TestRecord.LayoutFingerprint;

        public static bool IsReadOnly => false;

        public MemoryMap Map => _map;

        public long Offset => _offset;

        public static ZeroSizeView Create(MemoryMap map, long offset) => new(map, offset);
    }

    /// <summary>
    /// A layout of <see cref="TestRecord"/>'s size and fingerprint, written by hand, whose span
    /// <c>Store</c> first does <see cref="Attack"/> to <see cref="File"/>'s map. If the map let it,
    /// <c>Store</c> throws instead of writing into a span whose memory may be gone.
    /// </summary>
    private struct HostileLayout : IMappedLayout<HostileLayout>
    {
        public long Id;
        public Attack Attack;

        public static WritableFile? File { get; set; }

        public static int SizeInBytes => TestRecord.SizeInBytes;

        public static ulong LayoutFingerprint => TestRecord.LayoutFingerprint;

        public static LayoutInfo LayoutInfo => TestRecord.LayoutInfo;

        public static HostileLayout Load(MemoryMap map, long offset) => throw new NotSupportedException("Not used by these tests.");

        public static void Store(MemoryMap map, long offset, in HostileLayout value) => throw new NotSupportedException("Not used by these tests.");

        public static HostileLayout Load(ReadOnlySpan<byte> source) => throw new NotSupportedException("Not used by these tests.");

        public static void Validate(in HostileLayout value)
        {
        }

        public static void Store(Span<byte> destination, in HostileLayout value)
        {
            if (value.Attack != Attack.None)
            {
                MemoryMap map = File!.Map;
                switch (value.Attack)
                {
                    case Attack.Close:
                        map.Close();
                        break;
                    case Attack.Grow:
                        map.Resize(map.Length + (1 << 20));
                        break;
                    case Attack.Shrink:
                        map.Resize(RecordFileTests.RecordsOffset);
                        break;
                    case Attack.AppendToFile:
                        // Enough appends to grow the file, which would move the map under this span.
                        for (int i = 0; i < 100_000; i++)
                        {
                            File.Append();
                        }

                        break;
                    case Attack.DisposeFile:
                        File.Dispose();
                        break;
                }

                throw new InvalidDataException($"The map let {value.Attack} through while Store held a span of it.");
            }

            destination.Slice(0, SizeInBytes).Clear();
            BinaryPrimitives.WriteInt64LittleEndian(destination, value.Id);
        }
    }
}

