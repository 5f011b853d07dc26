using System;
using System.IO;
using Overlay.Formats;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// Every member of the variable-length field accessors and of the sections they use, after the
/// container is disposed or the section moved: a typed exception (<see cref="ObjectDisposedException"/>,
/// <see cref="InvalidOperationException"/>), never a fault and never a silent read of dead bytes.
/// </summary>
public sealed class VariableFieldLifetimeTests : IDisposable
{
    private const ulong Tag = 0x474F4C5453455432UL;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"overlay-var-life-{Guid.NewGuid():N}.ovl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void EveryFieldMemberThrowsObjectDisposedAfterTheContainerIsDisposed()
    {
        MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        LogEntry.View entry = entries.Append();
        entry.Store(new LogEntry { Id = 1, Message = "hello", Payload = [1, 2, 3], Level = 2 }, heap);
        LogEntry.ReadOnlyView readOnly = entry;
        HeapStringField message = entry.Message;
        HeapBytesField payload = entry.Payload;
        HeapRef reference = message.Reference;
        MemoryMap map = container.Map;
        container.Dispose();

        Assert.Throws<ObjectDisposedException>(() => message.Reference);
        Assert.Throws<ObjectDisposedException>(() => message.Reference = reference);
        Assert.Throws<ObjectDisposedException>(() => message.Read(heap));
        Assert.Throws<ObjectDisposedException>(() => message.Write(heap, "new"));
        Assert.Throws<ObjectDisposedException>(() => message.Write(heap, null));
        Assert.Throws<ObjectDisposedException>(() => readOnly.Message.Read(heap));

        Assert.Throws<ObjectDisposedException>(() => payload.Reference);
        Assert.Throws<ObjectDisposedException>(() => payload.Reference = reference);
        Assert.Throws<ObjectDisposedException>(() => payload.ToArray(heap));
        Assert.Throws<ObjectDisposedException>(() => payload.Pin(heap, static bytes => bytes.Length));
        Assert.Throws<ObjectDisposedException>(() => payload.Write(heap, [4]));
        Assert.Throws<ObjectDisposedException>(() => payload.Write(heap, default));

        Assert.Throws<ObjectDisposedException>(() => entry.Load(heap));
        Assert.Throws<ObjectDisposedException>(() => readOnly.Load(heap));
        Assert.Throws<ObjectDisposedException>(() => entry.Store(new LogEntry { Message = "x" }, heap));
        Assert.Throws<ObjectDisposedException>(() => LogEntry.Load(map, 0, heap));
        Assert.Throws<ObjectDisposedException>(() => LogEntry.Store(map, 0, new LogEntry(), heap));
    }

    [Fact]
    public void EveryHeapMemberThrowsObjectDisposedAfterTheContainerIsDisposed()
    {
        MappedContainer container = MappedContainer.Create(_path, Tag);
        HeapSection heap = container.AddHeap("heap");
        HeapRef value = heap.Allocate("value"u8);
        container.Dispose();

        Assert.Equal("heap", heap.Name); // what it was made with: no map needed
        Assert.Contains("heap", heap.ToString(), StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => heap.Length);
        Assert.Throws<ObjectDisposedException>(() => heap.Capacity);
        Assert.Throws<ObjectDisposedException>(() => heap.Count);
        Assert.Throws<ObjectDisposedException>(() => heap.FreeBytes);
        Assert.Throws<ObjectDisposedException>(() => heap.Allocate(4));
        Assert.Throws<ObjectDisposedException>(() => heap.Allocate(0));
        Assert.Throws<ObjectDisposedException>(() => heap.Allocate("x"u8));
        Assert.Throws<ObjectDisposedException>(() => heap.Allocate(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ObjectDisposedException>(() => heap.Free(value));
        Assert.Throws<ObjectDisposedException>(() => heap.Free(default));
        Assert.Throws<ObjectDisposedException>(() => heap.Read(value, new byte[8]));
        Assert.Throws<ObjectDisposedException>(() => heap.Read(default, new byte[8]));
        Assert.Throws<ObjectDisposedException>(() => heap.ToArray(value));
        Assert.Throws<ObjectDisposedException>(() => heap.ToArray(default));
        Assert.Throws<ObjectDisposedException>(() => heap.Write(value, 0, "V"u8));
        Assert.Throws<ObjectDisposedException>(() => heap.Write(default, 0, default));
        Assert.Throws<ObjectDisposedException>(() => heap.Pin(value, static bytes => bytes.Length));
        Assert.Throws<ObjectDisposedException>(() => heap.Pin(default, static bytes => bytes.Length));
    }

    [Fact]
    public void AStaleViewsVariableFieldsThrowAfterItsSectionMoved()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        LogEntry.View stale = entries.Append();
        stale.Store(new LogEntry { Id = 1, Message = "kept", Payload = [7] }, heap);
        entries.EnsureCapacity(100_000); // the schema and the heap follow it: it moves

        Assert.Throws<InvalidOperationException>(() => stale.Message.Read(heap));
        Assert.Throws<InvalidOperationException>(() => stale.Message.Write(heap, "lost"));
        Assert.Throws<InvalidOperationException>(() => stale.Payload.ToArray(heap));
        Assert.Throws<InvalidOperationException>(() => stale.Payload.Pin(heap, static bytes => bytes.Length));
        Assert.Throws<InvalidOperationException>(() => stale.Payload.Write(heap, [8]));
        Assert.Throws<InvalidOperationException>(() => stale.Load(heap));
        Assert.Throws<InvalidOperationException>(() => stale.Store(new LogEntry { Message = "lost" }, heap));

        // Nothing was allocated, freed or written by the refused calls.
        Assert.Equal(2, heap.Count);
        LogEntry loaded = entries[0].Load(heap);
        Assert.Equal("kept", loaded.Message);
        Assert.Equal([7], loaded.Payload);
    }

    [Fact]
    public void AMovedHeapKeepsEveryReferenceValid()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        container.AddRaw("after"); // the heap is not last: growing moves it
        LogEntry.View entry = entries.Append();
        entry.Store(new LogEntry { Id = 1, Message = "before the move", Payload = [1, 2] }, heap);
        long before = System.Linq.Enumerable.Single(container.Sections, s => s.Name == "heap").Offset;
        heap.Allocate(1 << 20);
        Assert.NotEqual(before, System.Linq.Enumerable.Single(container.Sections, s => s.Name == "heap").Offset);

        // References are heap-relative and the fields go through the heap's current extent.
        Assert.Equal("before the move", entry.Message.Read(heap));
        Assert.Equal(2, entry.Payload.Pin(heap, static bytes => bytes.Length));
        entry.Message.Write(heap, "after");
        Assert.Equal("after", entry.Load(heap).Message);
    }
}
