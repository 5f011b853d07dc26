using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Overlay.Formats;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Generators.Tests;

/// <summary>
/// [VarList] fields (docs/layouts.md, "Variable-length fields"): a 12-byte heap reference in the
/// record to <c>count × element size</c> heap bytes, each element in the field's byte order (a
/// layout's elements in their own), read in place, copied, and replaced through the heap.
/// </summary>
public sealed class VarListTests : IDisposable
{
    private const ulong Tag = 0x5453494C52415631UL;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"overlay-varlist-{Guid.NewGuid():N}.ovl");

    public void Dispose() => File.Delete(_path);

    private static readonly QuestEntry[] s_quests = [new() { Id = 7, Stage = -2, Done = true }, new() { Id = 0x01020304, Stage = 300 }];

    [Fact]
    public void TheListsAreStoredInTheDocumentedBytes()
    {
        Assert.Equal(4 + (4 * 12), Inventory.SizeInBytes);
        Assert.Equal(7, QuestEntry.SizeInBytes);
        long recordAt;
        long heapAt;
        HeapRef counts;
        HeapRef ports;
        HeapRef quests;
        HeapRef moods;
        using (MappedContainer container = MappedContainer.Create(_path, Tag))
        {
            RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
            HeapSection heap = container.AddHeap("heap");
            Inventory.View inventory = records.Append();
            inventory.Owner = 5;
            inventory.Counts.Write(heap, [1, -2, 0x01020304]);
            inventory.Ports.Write(heap, [0x1234, 0xABCD]);
            inventory.Quests.Write(heap, s_quests);
            inventory.Moods.Write(heap, [Mood.Angry, Mood.Calm, Mood.Angry]);
            (counts, ports, quests, moods) = (inventory.Counts.Reference, inventory.Ports.Reference, inventory.Quests.Reference, inventory.Moods.Reference);
            container.Commit();
            recordAt = container.Sections.Single(s => s.Name == "inventories").Offset;
            heapAt = container.Sections.Single(s => s.Name == "heap").Offset;
        }

        byte[] file = File.ReadAllBytes(_path);
        ReadOnlySpan<byte> record = file.AsSpan((int)recordAt, Inventory.SizeInBytes);
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(record));
        Assert.Equal((counts.Offset, 12), Reference(record[4..]));
        Assert.Equal((ports.Offset, 4), Reference(record[16..]));
        Assert.Equal((quests.Offset, 14), Reference(record[28..]));
        Assert.Equal((moods.Offset, 3), Reference(record[40..]));

        // Elements back to back at the payload, in the field's byte order; a layout's as its Store writes them.
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 4, 3, 2, 1 }, Heap(file, heapAt, counts));
        Assert.Equal(new byte[] { 0x12, 0x34, 0xAB, 0xCD }, Heap(file, heapAt, ports));
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0xFE, 0xFF, 1, 4, 3, 2, 1, 0x2C, 0x01, 0 }, Heap(file, heapAt, quests));
        Assert.Equal(new byte[] { 1, 0, 1 }, Heap(file, heapAt, moods));

        // Reopened read-only, the read-only view reads the same lists.
        using MappedContainer reopened = MappedContainer.Open(_path, Tag, MapAccess.Read);
        Inventory.ReadOnlyView view = reopened.Records<Inventory.ReadOnlyView>("inventories")[0];
        HeapSection readHeap = reopened.Heap("heap");
        Assert.Equal([1, -2, 0x01020304], view.Counts.ToArray(readHeap));
        Assert.Equal([(ushort)0x1234, (ushort)0xABCD], view.Ports.ToArray(readHeap));
        Assert.Equal(s_quests, view.Quests.ToArray(readHeap));
        Assert.Equal([Mood.Angry, Mood.Calm, Mood.Angry], view.Moods.ToArray(readHeap));

        static (long, int) Reference(ReadOnlySpan<byte> bytes) =>
            ((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes), (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));

        static byte[] Heap(byte[] file, long heapAt, HeapRef reference) => file.AsSpan((int)(heapAt + reference.Offset), reference.Length).ToArray();
    }

    [Fact]
    public void ViewsReadAndWriteTheElementsInPlace()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
        HeapSection heap = container.AddHeap("heap");
        Inventory.View inventory = records.Append();
        Assert.Equal(0, inventory.Counts.Count(heap));
        Assert.Empty(inventory.Quests.ToArray(heap));
        Assert.Equal(0, inventory.Quests.AsArray(heap).Count);

        inventory.Counts.Write(heap, [10, 20, 30]);
        inventory.Ports.Write(heap, [80, 443]);
        inventory.Quests.Write(heap, s_quests);
        Assert.Equal((3, 2, 2), (inventory.Counts.Count(heap), inventory.Ports.Count(heap), inventory.Quests.Count(heap)));

        MappedValueArray<int> counts = inventory.Counts.AsArray(heap);
        counts[1] = 21;
        Assert.Equal(60 + 1, counts.ToArray().Sum());
        Assert.Throws<IndexOutOfRangeException>(() => counts[3]);
        MappedValueArray<ushort> ports = inventory.Ports.AsArray(heap);
        ports[0] = 0x0102;
        Assert.Equal(0x0102, inventory.Ports.AsReadOnlyArray(heap)[0]);
        Assert.Equal(new byte[] { 0x01, 0x02, 0x01, 0xBB }, heap.ToArray(inventory.Ports.Reference)); // big-endian in the heap

        MappedArray<QuestEntry.View> quests = inventory.Quests.AsArray(heap);
        quests.At(1).Stage = 9;
        Assert.Equal(9, inventory.Quests.ToArray(heap)[1].Stage);
        Assert.Equal(21 + 10 + 30, inventory.Counts.Pin(heap, static span => span[0] + span[1] + span[2]));
        Assert.Equal(0x0102, inventory.Ports.Pin(heap, static span => span[0]));
        Assert.Equal(7, inventory.Quests.Pin(heap, static bytes => new ReadOnlyMappedSpan<QuestEntry.ReadOnlyRef>(bytes)[0].Id));

        // Replacing frees the old list; an empty list stores the null reference.
        long live = heap.Count;
        inventory.Counts.Write(heap, [1, 2, 3, 4, 5]);
        Assert.Equal(live, heap.Count);
        inventory.Counts.Write(heap, ReadOnlySpan<int>.Empty);
        Assert.True(inventory.Counts.Reference.IsNull);
        Assert.Equal(live - 1, heap.Count);
    }

    [Fact]
    public void LoadAndStoreCopyTheListsWithTheHeap()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
        HeapSection heap = container.AddHeap("heap");
        Inventory.View inventory = records.Append();
        var value = new Inventory { Owner = 3, Counts = [4, 5], Ports = [6], Quests = s_quests, Moods = null! };
        inventory.Store(value, heap);
        Assert.Equal(3, heap.Count); // the null list is the null reference

        Inventory loaded = inventory.Load(heap);
        Assert.Equal(3, loaded.Owner);
        Assert.Equal([4, 5], loaded.Counts);
        Assert.Equal([(ushort)6], loaded.Ports);
        Assert.Equal(s_quests, loaded.Quests);
        Assert.Empty(loaded.Moods);
        Assert.Equal(s_quests, Inventory.Load(MappedView.MapOf(inventory), MappedView.OffsetOf(inventory), heap).Quests);

        inventory.Store(loaded with { Counts = [], Quests = [s_quests[1]] }, heap);
        Assert.Equal(2, heap.Count);
        Assert.Equal([s_quests[1]], inventory.Load(heap).Quests);

        // The Ref holds the references; a pinned loop follows them through the heap.
        records.PinReadOnly<Inventory.ReadOnlyRef, int>(span =>
        {
            Assert.Equal(inventory.Quests.Reference, span[0].Quests);
            Assert.Equal(inventory.Ports.Reference, span[0].Ports);
            return 0;
        });

        // Without a heap there is nothing to read them from.
        Assert.Throws<NotSupportedException>(() => Layout<Inventory>.Load(MappedView.MapOf(inventory), MappedView.OffsetOf(inventory)));
        Assert.Throws<NotSupportedException>(() => records.Append(loaded));
    }

    [Theory]
    [InlineData(1L << 40, 4)]              // past the heap
    [InlineData(long.MaxValue - 2, 16)]    // offset + length overflows
    [InlineData(16, -1)]                   // a length of 0xFFFFFFFF
    [InlineData(12, 4)]                    // inside the heap, but not a payload's start
    public void HostileReferencesAreInvalidData(long offset, int length)
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
        HeapSection heap = container.AddHeap("heap");
        Inventory.View inventory = records.Append();
        inventory.Counts.Write(heap, [1]);
        HeapLayoutListField<QuestEntry, QuestEntry.View> quests = inventory.Quests;
        quests.Reference = new HeapRef(offset, length);
        HeapListField<int> counts = inventory.Counts;
        HeapRef kept = counts.Reference;
        counts.Reference = new HeapRef(offset, length);

        Assert.Throws<InvalidDataException>(() => inventory.Counts.Count(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Counts.AsArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Counts.ToArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Counts.Pin(heap, static span => span.Length));
        Assert.Throws<InvalidDataException>(() => inventory.Quests.Count(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Quests.AsArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Quests.ToArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Quests.Pin(heap, static bytes => bytes.Length));
        Assert.Throws<InvalidDataException>(() => inventory.Load(heap));

        // Store checks every old reference before it writes: nothing is allocated.
        counts.Reference = kept;
        Assert.Throws<InvalidDataException>(() => inventory.Store(new Inventory { Counts = [2], Quests = s_quests }, heap));
        Assert.Equal([1], inventory.Counts.ToArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Quests.Write(heap, s_quests));
        Assert.Equal(1, heap.Count);
    }

    [Fact]
    public void ALengthThatIsNotAWholeNumberOfElementsIsInvalidData()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
        HeapSection heap = container.AddHeap("heap");
        Inventory.View inventory = records.Append();
        HeapRef ten = heap.Allocate(10); // inside the heap: 2.5 ints, 1.43 quests
        HeapListField<int> counts = inventory.Counts;
        counts.Reference = ten;
        HeapLayoutListField<QuestEntry, QuestEntry.View> quests = inventory.Quests;
        quests.Reference = ten;

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => inventory.Counts.Count(heap));
        Assert.Contains("Overlay.Generators.Tests.Layouts.Inventory.Counts", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => inventory.Counts.AsArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Counts.Pin(heap, static span => span.Length));
        Assert.Throws<InvalidDataException>(() => inventory.Quests.AsArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Quests.ToArray(heap));
        Assert.Throws<InvalidDataException>(() => inventory.Load(heap));
    }

    [Fact]
    public void AStoreThatCannotValidateAnElementWritesNothing()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Ship.View> ships = container.AddRecords<Ship.View>("ships");
        HeapSection heap = container.AddHeap("heap");
        Ship.View ship = ships.Append();
        ship.Store(new Ship { Id = 1, Crew = [new Crew { Id = 2, Ranks = [3, 4] }] }, heap);

        // An element whose fixed array has the wrong length is refused before the first write.
        Assert.Throws<ArgumentException>(() => ship.Store(new Ship { Id = 9, Crew = [new Crew { Id = 5, Ranks = [1] }] }, heap));
        Assert.Throws<ArgumentException>(() => ship.Crew.Write(heap, [new Crew { Id = 5, Ranks = null! }]));
        Assert.Equal((1, 1), (ship.Id, heap.Count));
        Assert.Equal([3, 4], ship.Load(heap).Crew[0].Ranks);
    }

    [Fact]
    public void ArraysOverTheHeapThrowAfterCloseAndAfterTheHeapMoved()
    {
        MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
        HeapSection heap = container.AddHeap("heap");
        container.AddRaw("after"); // the heap is not last: growing moves it
        Inventory.View inventory = records.Append();
        inventory.Counts.Write(heap, [1, 2, 3]);
        inventory.Quests.Write(heap, s_quests);
        MappedValueArray<int> counts = inventory.Counts.AsArray(heap);
        MappedArray<QuestEntry.View> quests = inventory.Quests.AsArray(heap);
        QuestEntry.View quest = quests[0];

        heap.Allocate(1 << 20); // the heap moves: its old extent is retired
        Assert.Throws<InvalidOperationException>(() => counts[0]);
        Assert.Throws<InvalidOperationException>(() => counts[0] = 5);
        Assert.Throws<InvalidOperationException>(() => quest.Id);
        Assert.Throws<InvalidOperationException>(() => quests.At(1).Stage = 1);

        // Taken again, they read the moved heap: references are heap-relative.
        Assert.Equal([1, 2, 3], inventory.Counts.AsArray(heap).ToArray());
        Assert.Equal(7, inventory.Quests.AsArray(heap)[0].Id);

        HeapListField<int> field = inventory.Counts;
        MappedValueArray<int> live = field.AsArray(heap);
        container.Dispose();
        Assert.Throws<ObjectDisposedException>(() => live[0]);
        Assert.Throws<ObjectDisposedException>(() => field.Count(heap));
        Assert.Throws<ObjectDisposedException>(() => field.AsArray(heap));
        Assert.Throws<ObjectDisposedException>(() => field.ToArray(heap));
        Assert.Throws<ObjectDisposedException>(() => field.Pin(heap, static span => span.Length));
        Assert.Throws<ObjectDisposedException>(() => field.Write(heap, [1]));
        Assert.Throws<ObjectDisposedException>(() => inventory.Quests.ToArray(heap));
        Assert.Throws<ObjectDisposedException>(() => inventory.Load(heap));
    }

    [Fact]
    public void AStaleViewsListsThrowAfterItsRecordsSectionMoved()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
        HeapSection heap = container.AddHeap("heap");
        Inventory.View stale = records.Append();
        stale.Store(new Inventory { Owner = 1, Counts = [5, 6], Quests = s_quests }, heap);
        records.EnsureCapacity(100_000); // the records section moves: the stale view's reference is in a retired range

        Assert.Throws<InvalidOperationException>(() => stale.Counts.Count(heap));
        Assert.Throws<InvalidOperationException>(() => stale.Counts.AsArray(heap));
        Assert.Throws<InvalidOperationException>(() => stale.Counts.Write(heap, [7]));
        Assert.Throws<InvalidOperationException>(() => stale.Quests.ToArray(heap));
        Assert.Throws<InvalidOperationException>(() => stale.Load(heap));

        // Nothing was allocated or freed by the refused calls; a fresh view reads the lists.
        Assert.Equal(2, heap.Count);
        Assert.Equal([5, 6], records[0].Counts.ToArray(heap));
    }

    [Fact]
    public void AnArrayStaysValidWhenTheHeapGrowsInPlace()
    {
        using MappedContainer container = MappedContainer.Create(_path, Tag);
        RecordSection<Inventory.View> records = container.AddRecords<Inventory.View>("inventories");
        Inventory.View inventory = records.Append();
        HeapSection heap = container.AddHeap("heap"); // the last section: it grows where it is
        inventory.Counts.Write(heap, [1, 2, 3]);
        long offset = container.Sections.Single(s => s.Name == "heap").Offset;
        MappedValueArray<int> counts = inventory.Counts.AsArray(heap);
        heap.Allocate(1 << 20);
        Assert.Equal(offset, container.Sections.Single(s => s.Name == "heap").Offset);
        counts[2] = 30;
        Assert.Equal([1, 2, 30], inventory.Counts.ToArray(heap));
    }

    [Fact]
    public void LayoutInfoTheFingerprintAndTheSchemaNameTheLists()
    {
        LayoutInfo info = Inventory.LayoutInfo;
        Assert.Equal((LayoutFieldKind.VarList, "int", 12, false), (info.Fields[1].Kind, info.Fields[1].TypeName, info.Fields[1].SizeInBytes, info.Fields[1].IsBigEndian));
        Assert.Equal((LayoutFieldKind.VarList, "ushort", true), (info.Fields[2].Kind, info.Fields[2].TypeName, info.Fields[2].IsBigEndian));
        Assert.Equal((LayoutFieldKind.VarList, "Overlay.Generators.Tests.Layouts.QuestEntry"), (info.Fields[3].Kind, info.Fields[3].TypeName));
        Assert.Same(QuestEntry.LayoutInfo, info.Fields[3].Layout);
        Assert.Equal(("byte", (LayoutInfo?)null), (info.Fields[4].UnderlyingType, info.Fields[4].Layout));

        // The canonical text of docs/layouts.md, hashed with FNV-1a 64.
        string text = "size=52;Owner:i32:0:4:le:0;Counts:vlist(i32):4:12:le:0;Ports:vlist(u16):16:12:be:0;"
            + $"Quests:vlist(layout({QuestEntry.LayoutFingerprint:X16})):28:12:le:0;Moods:vlist(enum(u8)):40:12:le:0;";
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        Assert.Equal(Inventory.LayoutFingerprint, hash);

        // The schema keeps every list's element: value type and byte order, or the nested layout.
        LayoutInfo decoded = LayoutSchema.Decode(LayoutSchema.Encode(info));
        Assert.True(SchemaComparison.Compare(decoded, info).IsIdentical);
        Assert.Equal(("int", "ushort", true, "byte"), (decoded.Fields[1].TypeName, decoded.Fields[2].TypeName, decoded.Fields[2].IsBigEndian, decoded.Fields[4].UnderlyingType));
        Assert.Equal(QuestEntry.SizeInBytes, decoded.Fields[3].Layout!.SizeInBytes);
    }
}

/// <summary>An element layout with a fixed array, whose Validate can refuse a value.</summary>
[MappedLayout]
public partial struct Crew
{
    public int Id;
    [FixedArray(2)] public int[] Ranks;
}

/// <summary>A record with a list of <see cref="Crew"/>.</summary>
[MappedLayout]
public partial struct Ship
{
    public int Id;
    [VarList] public Crew[] Crew;
}
