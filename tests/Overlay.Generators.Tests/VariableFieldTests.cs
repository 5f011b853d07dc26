using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using Overlay.Formats;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// [VarString] and [VarBytes] fields (docs/layouts.md, "Variable-length fields"): a 12-byte heap
/// reference in the record (docs/formats.md §1.3), read and written through the container's heap.
/// </summary>
public sealed class VariableFieldTests : IDisposable
{
    private const ulong Tag = 0x474F4C5453455431UL;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"overlay-var-{Guid.NewGuid():N}.ovl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void TheRecordHoldsReferencesInTheDocumentedFormat()
    {
        Assert.Equal(8 + 12 + 12 + 4, LogEntry.SizeInBytes);
        Assert.Equal((8, 20, 32), (LogEntry.Offsets.Message, LogEntry.Offsets.Payload, LogEntry.Offsets.Level));
        long recordAt;
        long heapAt;
        HeapRef message;
        HeapRef payload;
        using (MappedContainer container = MappedContainer.Create(_path, Tag))
        {
            RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
            HeapSection heap = container.AddHeap("heap");
            LogEntry.View entry = entries.Append();
            entry.Id = 7;
            entry.Message.Write(heap, "héllo");
            entry.Payload.Write(heap, [1, 2, 3]);
            entry.Level = 2;
            Assert.Equal("héllo", entry.Message.Read(heap));
            Assert.Equal([1, 2, 3], entry.Payload.ToArray(heap));
            Assert.Equal(3, entry.Payload.Pin(heap, static bytes => bytes.Length));
            message = entry.Message.Reference;
            payload = entry.Payload.Reference;
            container.Commit();
            recordAt = container.Sections[0].Offset;
            heapAt = container.Sections[2].Offset;

            // The records section's embedded schema (docs/formats.md §8) sits between them.
            Assert.Equal(("entries", "schema.0", "heap"), (container.Sections[0].Name, container.Sections[1].Name, container.Sections[2].Name));
        }

        byte[] file = File.ReadAllBytes(_path);
        ReadOnlySpan<byte> record = file.AsSpan((int)recordAt, LogEntry.SizeInBytes);
        Assert.Equal(7, BinaryPrimitives.ReadInt64LittleEndian(record));
        Assert.Equal((ulong)message.Offset, BinaryPrimitives.ReadUInt64LittleEndian(record[8..]));
        Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(record[16..]));
        Assert.Equal((ulong)payload.Offset, BinaryPrimitives.ReadUInt64LittleEndian(record[20..]));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(record[28..]));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(record[32..]));
        Assert.Equal("héllo"u8.ToArray(), file.AsSpan((int)(heapAt + message.Offset), 6).ToArray());
        Assert.Equal([1, 2, 3], file.AsSpan((int)(heapAt + payload.Offset), 3).ToArray());

        // The Ref reads the same references from the same bytes.
        var reference = new LogEntry.ReadOnlyRef(record);
        Assert.Equal((message, payload, 7L), (reference.Message, reference.Payload, reference.Id));
    }

    [Fact]
    public void LoadAndStoreTakeTheHeapAndReplacingFreesTheOldValue()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        LogEntry.View entry = entries.Append();
        entry.Store(new LogEntry { Id = 1, Message = "first", Payload = [9], Level = 3 }, heap);
        Assert.Equal(2, heap.Count);
        entry.Store(new LogEntry { Id = 2, Message = new string('x', 1000), Payload = null!, Level = 4 }, heap);
        Assert.Equal(1, heap.Count);   // "first" and [9] freed; the empty payload is the null reference
        Assert.True(entry.Payload.Reference.IsNull);

        LogEntry loaded = entry.Load(heap);
        Assert.Equal((2L, 1000, 0, 4), (loaded.Id, loaded.Message.Length, loaded.Payload.Length, loaded.Level));
        Assert.Equal(loaded.Message, LogEntry.Load(MappedView.MapOf(entry), MappedView.OffsetOf(entry), heap).Message);

        // Without a heap there is nothing to read them from: only generic code can ask, and it is told.
        Assert.Throws<NotSupportedException>(() => Layout<LogEntry>.Load(MappedView.MapOf(entry), MappedView.OffsetOf(entry)));
        Assert.Throws<NotSupportedException>(() => Layout<LogEntry>.Store(new byte[LogEntry.SizeInBytes], loaded));
        Assert.Throws<NotSupportedException>(() => entries.Append(loaded));

        // A value that cannot be stored writes nothing.
        Assert.Throws<ArgumentException>(() => entry.Store(new LogEntry { Id = 3, Message = "\ud800", Level = 5 }, heap));
        Assert.Equal((2L, 4), (entry.Id, entry.Level));
    }

    [Theory]
    [InlineData(1L << 40, 4)]                  // past the heap
    [InlineData(long.MaxValue - 2, 16)]        // offset + length overflows
    [InlineData(16, -1)]                       // a length of 0xFFFFFFFF
    [InlineData(12, 4)]                        // inside the heap, but not a payload's start
    public void HostileReferencesAreInvalidData(long offset, int length)
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        LogEntry.View entry = entries.Append();
        entry.Message.Write(heap, "kept");
        HeapBytesField field = entry.Payload;   // a local: C# refuses a setter on what a property returned (CS1612)
        field.Reference = new HeapRef(offset, length);
        Assert.Throws<InvalidDataException>(() => entry.Payload.ToArray(heap));
        Assert.Throws<InvalidDataException>(() => entry.Load(heap));

        // Store checks every old reference before it writes: the message stays.
        Assert.Throws<InvalidDataException>(() => entry.Store(new LogEntry { Message = "new", Payload = [1] }, heap));
        Assert.Equal("kept", entry.Message.Read(heap));
        Assert.Throws<InvalidDataException>(() => entry.Payload.Write(heap, [1]));
        Assert.Equal(1, heap.Count);
    }

    [Fact]
    public void AStringThatIsNotUtf8IsInvalidData()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<LogEntry.View> entries = container.AddRecords<LogEntry.View>("entries");
        HeapSection heap = container.AddHeap("heap");
        LogEntry.View entry = entries.Append();
        entry.Payload.Write(heap, [0x41, 0xC3, 0x28]);
        HeapStringField message = entry.Message;
        message.Reference = entry.Payload.Reference;   // the blob's bytes, read as a string
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => entry.Message.Read(heap));
        Assert.Contains("Overlay.Generators.Tests.Layouts.LogEntry.Message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LayoutInfoAndTheFingerprintNameTheNewKinds()
    {
        LayoutInfo info = LogEntry.LayoutInfo;
        Assert.Equal((LayoutFieldKind.VarString, "string", 12), (info.Fields[1].Kind, info.Fields[1].TypeName, info.Fields[1].SizeInBytes));
        Assert.Equal((LayoutFieldKind.VarBytes, "byte[]", 12), (info.Fields[2].Kind, info.Fields[2].TypeName, info.Fields[2].SizeInBytes));

        // The canonical text of docs/layouts.md, hashed with FNV-1a 64.
        const string Text = "size=36;Id:i64:0:8:le:0;Message:vstring:8:12:le:0;Payload:vbytes:20:12:le:0;Level:i32:32:4:le:0;";
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(Text))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        Assert.Equal(LogEntry.LayoutFingerprint, hash);
    }
}
