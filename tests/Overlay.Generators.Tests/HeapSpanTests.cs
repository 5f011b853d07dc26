using System;
using System.IO;
using System.Text;
using Overlay.Formats;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// <see cref="HeapSection.PinReadOnly{TResult}(Func{ReadOnlyHeapSpan, TResult})"/>: the whole heap
/// pinned for a record loop, each reference checked as <see cref="HeapSection.Pin{TResult}"/> checks it.
/// </summary>
public sealed class HeapSpanTests : IDisposable
{
    private const ulong Tag = 0x4845415053504E31UL;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"overlay-heapspan-{Guid.NewGuid():N}.ovl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void APinnedLoopReadsEveryValueAsTheViewsDo()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        var random = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            string message = i % 7 == 0 ? "" : new string((char)('a' + random.Next(26)), random.Next(1, 90)) + "é" + i;
            entries.Append().Store(new LogEntry { Id = i, Message = message, Payload = i % 3 == 0 ? [] : [(byte)i, 1, 2], Level = i }, heap);
        }

        (long Bytes, int Empty, string Last) pinned = entries.PinReadOnly<LogEntry.ReadOnlyRef, (long, int, string)>(heap, static (records, values) =>
        {
            long bytes = 0;
            int empty = 0;
            for (int i = 0; i < records.Length; i++)
            {
                ReadOnlySpan<byte> message = values[records[i].Message];
                bytes += message.Length + values[records[i].Payload].Length;
                empty += message.IsEmpty ? 1 : 0;
            }

            return (bytes, empty, values.GetString(records[records.Length - 1].Message));
        });

        long expectedBytes = 0;
        int expectedEmpty = 0;
        for (long i = 0; i < entries.Count; i++)
        {
            LogEntry.View view = entries[i];
            string message = view.Message.Read(heap);
            expectedBytes += Encoding.UTF8.GetByteCount(message) + view.Payload.ToArray(heap).Length;
            expectedEmpty += message.Length == 0 ? 1 : 0;
        }

        Assert.Equal((expectedBytes, expectedEmpty, entries[entries.Count - 1].Message.Read(heap)), pinned);
        Assert.Equal(72, expectedEmpty);
    }

    [Theory]
    [InlineData(0L, 5)]               // inside the reserved word
    [InlineData(17L, 4)]              // not on a granule
    [InlineData(16L, -1)]             // a negative length
    [InlineData(16L, int.MaxValue)]   // past the heap's end
    [InlineData(long.MaxValue - 7, 16)]
    [InlineData(long.MinValue, 8)]
    public void AReferenceOutsideTheHeapThrowsInvalidData(long offset, int length)
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        HeapSection heap = container.AddHeap("heap");
        heap.Allocate("some bytes"u8);
        var reference = new HeapRef(offset, length);
        InvalidDataException pinned = Assert.Throws<InvalidDataException>(() => heap.PinReadOnly(values => values[reference].Length));
        Assert.Contains("'heap'", pinned.Message);

        // The same rule as the per-value pin.
        Assert.Throws<InvalidDataException>(() => heap.Pin(reference, static bytes => bytes.Length));
    }

    [Fact]
    public void TheNullReferenceIsEmptyAndALastValueEndingAtTheHeapsEndIsWhole()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        HeapSection heap = container.AddHeap("heap");
        HeapRef last = heap.Allocate("0123456789abcdef"u8);
        Assert.Equal(heap.Length, last.Offset + last.Length);
        Assert.Equal((0, "0123456789abcdef", heap.Length), heap.PinReadOnly(values => (values[default].Length, values.GetString(last), values.Length)));
    }

    [Fact]
    public void InvalidUtf8ThrowsInvalidDataAndTheMapCannotResizeWhilePinned()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        HeapSection heap = container.AddHeap("heap");
        HeapRef bad = heap.Allocate([0x61, 0xC3, 0x28]);
        Assert.Throws<InvalidDataException>(() => heap.PinReadOnly(values => values.GetString(bad)));

        // Growing the heap past its capacity needs the map to move: refused while pinned, and the
        // heap is unchanged (nothing half-allocated).
        long before = heap.Length;
        Assert.ThrowsAny<InvalidOperationException>(() => heap.PinReadOnly(_ => heap.Allocate(checked((int)(heap.Capacity + (1 << 20))))));
        Assert.Equal(before, heap.Length);
        Assert.Equal(3, heap.PinReadOnly(values => values[bad].Length));
    }

    [Fact]
    public void AnEmptySpanAndAClosedContainerThrowTypedExceptions()
    {
        ReadOnlyHeapSpan empty = default;
        Assert.Equal(0, empty[default].Length);
        try
        {
            _ = empty[new HeapRef(16, 1)];
            Assert.Fail("an empty span handed out bytes");
        }
        catch (InvalidDataException)
        {
        }

        MappedContainer container = MappedContainer.Create(_path, Tag);
        HeapSection heap = container.AddHeap("heap");
        container.Dispose();
        Assert.Throws<ObjectDisposedException>(() => heap.PinReadOnly(values => values.Length));
        Assert.Throws<ArgumentNullException>(() => heap.PinReadOnly<int>(null!));
    }

    [Fact]
    public void RecordsPinnedWithAnotherContainersHeapAreRefused()
    {
        string other = _path + ".other";
        try
        {
            using MappedContainer first = MappedContainer.Create(_path, Tag);
            using MappedContainer second = MappedContainer.Create(other, Tag);
            RecordSection<LogEntry.View> entries = first.AddRecords<LogEntry.View>("entries");
            HeapSection foreign = second.AddHeap("heap");
            ArgumentException refused = Assert.Throws<ArgumentException>(() =>
                entries.PinReadOnly<LogEntry.ReadOnlyRef, int>(foreign, static (records, values) => records.Length));
            Assert.Equal("heap", refused.ParamName);
        }
        finally
        {
            File.Delete(other);
        }
    }
}
