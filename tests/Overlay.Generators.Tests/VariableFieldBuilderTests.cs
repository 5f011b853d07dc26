using System;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// <see cref="ContainerBuilder"/> with records that have variable-length fields: one pass appends
/// each record's strings, blobs and lists to a heap and the record with their references; the
/// sealed file opens read-only and reads them back through its heap.
/// </summary>
public sealed class VariableFieldBuilderTests : IDisposable
{
    private const ulong Tag = 0x444C495542524156UL;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"overlay-var-build-{Guid.NewGuid():N}.ovl");

    public void Dispose() => File.Delete(_path);

    private static Inventory Make(int i) => new()
    {
        Owner = i,
        Counts = Enumerable.Range(0, i % 5).Select(n => (n * 1000) + i).ToArray(),
        Ports = i % 3 == 0 ? [] : [(ushort)i, 0xABCD],
        Quests = Enumerable.Range(0, i % 4).Select(n => new QuestEntry { Id = (i * 10) + n, Stage = (short)-n, Done = n % 2 == 0 }).ToArray(),
        Moods = [(Mood)(i % 2)],
    };

    [Fact]
    public void RecordsAndTheirHeapAreWrittenInOnePassAndReadBackFromTheSealedFile()
    {
        const int Count = 500;
        using (ContainerBuilder builder = ContainerBuilder.Create(_path, Tag))
        {
            RecordsWriter<Inventory> inventories = builder.AddRecords<Inventory>("inventories");
            RecordsWriter<LogEntry> log = builder.AddRecords<LogEntry>("log");
            HeapWriter heap = builder.AddHeap("heap");
            for (int i = 0; i < Count; i++)
            {
                Assert.Equal(i, inventories.Append(Make(i), heap));
                log.Append(new LogEntry { Id = i, Message = $"entry {i} ✓", Payload = i % 2 == 0 ? null! : [(byte)i, 2], Level = i % 7 }, heap);
            }

            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(_path, Tag, MapAccess.Read);
        Assert.True(container.IsSealed);
        RecordSection<Inventory.ReadOnlyView> records = container.Records<Inventory.ReadOnlyView>("inventories");
        RecordSection<LogEntry.ReadOnlyView> entries = container.Records<LogEntry.ReadOnlyView>("log");
        HeapSection readHeap = container.Heap("heap");
        Assert.Equal(Count, records.Count);
        for (int i = 0; i < Count; i++)
        {
            Inventory expected = Make(i);
            Inventory actual = records[i].Load(readHeap);
            Assert.Equal(expected.Owner, actual.Owner);
            Assert.Equal(expected.Counts, actual.Counts);
            Assert.Equal(expected.Ports, actual.Ports);
            Assert.Equal(expected.Quests, actual.Quests);
            Assert.Equal(expected.Moods, actual.Moods);
            Assert.Equal(expected.Counts.Length, records[i].Counts.AsReadOnlyArray(readHeap).Length);

            LogEntry entry = entries[i].Load(readHeap);
            Assert.Equal(($"entry {i} ✓", i % 7), (entry.Message, entry.Level));
            Assert.Equal(i % 2 == 0 ? [] : new[] { (byte)i, (byte)2 }, entry.Payload);
        }

        // Empty lists and blobs are null references, and take no heap value.
        Assert.True(records[0].Counts.Reference.IsNull);
        Assert.True(entries[0].Payload.Reference.IsNull);
    }

    [Fact]
    public void AValueThatCannotBeStoredAppendsNoRecord()
    {
        using ContainerBuilder builder = ContainerBuilder.Create(_path, Tag);
        RecordsWriter<LogEntry> log = builder.AddRecords<LogEntry>("log");
        HeapWriter heap = builder.AddHeap("heap");
        Assert.Throws<ArgumentException>(() => log.Append(new LogEntry { Message = "\ud800" }, heap));
        Assert.Equal((0L, 0L), (log.Count, heap.Count));

        // Without a heap the layout refuses, as everywhere else.
        Assert.Throws<NotSupportedException>(() => log.Append(new LogEntry { Message = "x" }));
        Assert.Throws<ArgumentNullException>(() => log.Append(new LogEntry(), null!));

        // A heap of another builder would be another file's bytes.
        using ContainerBuilder other = ContainerBuilder.Create(_path + ".other", Tag);
        HeapWriter foreign = other.AddHeap("heap");
        Assert.Throws<ArgumentException>(() => log.Append(new LogEntry { Message = "x" }, foreign));
        Assert.Equal(0L, log.Count);
    }

    [Fact]
    public void ALayoutWithoutVariableFieldsIgnoresTheHeap()
    {
        using (ContainerBuilder builder = ContainerBuilder.Create(_path, Tag))
        {
            RecordsWriter<QuestEntry> quests = builder.AddRecords<QuestEntry>("quests");
            HeapWriter heap = builder.AddHeap("heap");
            quests.Append(new QuestEntry { Id = 3, Stage = 4, Done = true }, heap);
            Assert.Equal(0L, heap.Count);
            builder.Seal();
        }

        using MappedContainer container = MappedContainer.Open(_path, Tag, MapAccess.Read);
        Assert.Equal(new QuestEntry { Id = 3, Stage = 4, Done = true }, container.Records<QuestEntry.ReadOnlyView>("quests")[0].Load());
    }
}
