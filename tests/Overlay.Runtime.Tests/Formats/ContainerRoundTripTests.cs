using System;
using System.IO;
using System.Linq;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Formats;

public class ContainerRoundTripTests
{
    private const ulong Tag = ContainerFiles.Tag;

    [Fact]
    public void SectionsSurviveCommitAndReopen()
    {
        using var temp = new TempPath();
        HeapRef hello;
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            RecordSection<TestRecord.View> people = container.AddRecords<TestRecord.View>("people");
            HeapSection heap = container.AddHeap("heap");
            RawSection raw = container.AddRaw("raw");
            people.Append(ContainerFiles.Record(1));
            people.Append().Id = 2;
            hello = heap.Allocate("hello"u8);
            raw.Append("abc"u8);
            container.Commit();
        }

        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            Assert.Equal(new[] { "people", "schema.0", "heap", "raw" }, container.Sections.Select(s => s.Name));
            Assert.Equal(3UL, container.Generation); // Create writes generations 1 and 2
            RecordSection<TestRecord.ReadOnlyView> people = container.Records<TestRecord.ReadOnlyView>("people");
            Assert.Equal(2, people.Count);
            Assert.Equal(ContainerFiles.Record(1), people[0].Load());
            Assert.Equal(2, people[1].Id);
            Assert.Equal("hello", Encoding.UTF8.GetString(container.Heap("heap").ToArray(hello)));
            Assert.Equal("abc"u8.ToArray(), container.Raw("raw").ToArray());
            Assert.False(container.CanWrite);
        }
    }

    [Fact]
    public void WithoutCommitTheTableKeepsTheLastCommittedState()
    {
        using var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            RecordSection<TestRecord.View> people = container.AddRecords<TestRecord.View>("people");
            people.Append(ContainerFiles.Record(1));
            container.Commit();
            people.Append(ContainerFiles.Record(2));
            container.AddRaw("later");
        }

        using MappedContainer reopened = MappedContainer.Open(temp.Path, Tag);
        Assert.Equal(1, reopened.Records<TestRecord.View>("people").Count);
        Assert.False(reopened.Contains("later"));

        // The slot a crashed writer left is cleared before it is handed out again.
        Assert.Equal(0, reopened.Records<TestRecord.View>("people").Append().Id);
    }

    [Fact]
    public void ATornNewestSlotFallsBackToThePreviousCommit()
    {
        using var temp = new TempPath();
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            RecordSection<TestRecord.View> people = container.AddRecords<TestRecord.View>("people");
            people.Append(ContainerFiles.Record(1));
            container.Commit(); // generation 3, slot 1
            people.Append(ContainerFiles.Record(2));
            container.Commit(); // generation 4, slot 0
        }

        // Tear slot 0 (the newest): one byte of its table changes, its checksum does not.
        byte[] bytes = File.ReadAllBytes(temp.Path);
        bytes[64 + ContainerFiles.Count] ^= 0xFF;
        File.WriteAllBytes(temp.Path, bytes);
        using MappedContainer reopened = MappedContainer.Open(temp.Path, Tag);
        Assert.Equal(3UL, reopened.Generation);
        Assert.Equal(1, reopened.Records<TestRecord.View>("people").Count);
    }

    [Fact]
    public void SectionsGrowIndependentlyWhenInterleaved()
    {
        using var temp = new TempPath();
        const int N = 20_000;
        var refs = new HeapRef[N];
        using (MappedContainer container = MappedContainer.Create(temp.Path, Tag))
        {
            var a = container.AddRecords<TestRecord.View>("a");
            var b = container.AddRecords<TestHeader.View>("b");
            HeapSection heap = container.AddHeap("heap");
            RawSection raw = container.AddRaw("raw");
            for (int i = 0; i < N; i++)
            {
                a.Append(ContainerFiles.Record(i));
                b.Append().Version = (uint)i;
                refs[i] = heap.Allocate(Encoding.UTF8.GetBytes($"value {i}"));
                raw.Append(BitConverter.GetBytes(i));
            }

            // Every section but the last moved at least once: the file has free extents.
            Assert.True(container.FreeBytes > 0);
            Check(container, refs, N);
            container.Commit();
        }

        using (MappedContainer reopened = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            Check(reopened, refs, N);
        }

        CompactionResult result = MappedContainer.Compact(temp.Path, Tag);
        Assert.True(result.BytesReclaimed > 0, $"{result}");
        Assert.Equal(result.NewLength, new FileInfo(temp.Path).Length);
        using (MappedContainer compacted = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            Check(compacted, refs, N);
            Assert.All(compacted.Sections, s => Assert.Equal(s.Length, s.Capacity));
        }

        // A compacted file is writable and grows again.
        using (MappedContainer again = MappedContainer.Open(temp.Path, Tag))
        {
            again.Records<TestRecord.View>("a").Append(ContainerFiles.Record(N));
            again.Raw("raw").Append(BitConverter.GetBytes(N));
            again.Commit();
            Assert.Equal(N + 1, again.Records<TestRecord.View>("a").Count);
            Assert.Equal(ContainerFiles.Record(N - 1), again.Records<TestRecord.View>("a")[N - 1].Load());
        }
    }

    private static void Check(MappedContainer container, HeapRef[] refs, int n)
    {
        var a = container.Records<TestRecord.ReadOnlyView>("a");
        var b = container.Records<TestHeader.ReadOnlyView>("b");
        HeapSection heap = container.Heap("heap");
        byte[] raw = container.Raw("raw").ToArray();
        Assert.Equal(n, a.Count);
        Assert.Equal(n, b.Count);
        Assert.Equal(n * 4, raw.Length);
        for (int i = 0; i < n; i += 97)
        {
            Assert.Equal(ContainerFiles.Record(i), a[i].Load());
            Assert.Equal((uint)i, b[i].Version);
            Assert.Equal($"value {i}", Encoding.UTF8.GetString(heap.ToArray(refs[i])));
            Assert.Equal(i, BitConverter.ToInt32(raw, i * 4));
        }

        long sum = a.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) =>
        {
            long total = 0;
            foreach (TestRecord.ReadOnlyRef record in span)
            {
                total += record.Id;
            }

            return total;
        });
        Assert.Equal((long)n * (n - 1) / 2, sum);
    }

    [Fact]
    public void FreedHeapBlocksAreReusedAfterCommitOnly()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag);
        HeapSection heap = container.AddHeap("heap");
        HeapRef first = heap.Allocate(new byte[100]);
        heap.Allocate(new byte[10]);
        heap.Free(first);
        Assert.Throws<InvalidDataException>(() => heap.Free(first)); // a double free is refused
        HeapRef beforeCommit = heap.Allocate(new byte[100]);
        Assert.NotEqual(first.Offset, beforeCommit.Offset);
        container.Commit();
        Assert.Equal(112L, heap.FreeBytes);
        HeapRef reused = heap.Allocate(new byte[40]); // fits, and splits the 112-byte block
        Assert.Equal(first.Offset, reused.Offset);
        Assert.Equal(new byte[40], heap.ToArray(reused)); // zeroed on reuse
        Assert.Equal(112L - 48, heap.FreeBytes); // 8-byte header + 40
        Assert.Equal(3, heap.Count);
    }

    [Fact]
    public void ABuiltFileIsSealedAndOpensReadOnly()
    {
        using var temp = new TempPath();
        HeapRef[] refs = new HeapRef[50];
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            HeapWriter blobs = builder.AddHeap("blobs");
            RecordsWriter<TestRecord> toc = builder.AddRecords<TestRecord>("toc");
            RawWriter raw = builder.AddRaw("raw");
            builder.AddRaw("empty");
            for (int i = 0; i < refs.Length; i++)
            {
                refs[i] = blobs.Append(Enumerable.Repeat((byte)i, i * 37).ToArray());
                Assert.Equal(i, toc.Append(ContainerFiles.Record(i)));
                raw.Append([(byte)i]);
            }

            Assert.False(File.Exists(temp.Path)); // nothing at the path before Seal
            long length = builder.Seal();
            Assert.Equal(length, new FileInfo(temp.Path).Length);
            Assert.Throws<InvalidOperationException>(() => toc.Append(ContainerFiles.Record(0)));
        }

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + ".build-*"));
        using (MappedContainer container = MappedContainer.Open(temp.Path, Tag, MapAccess.Read))
        {
            Assert.True(container.IsSealed);
            Assert.All(container.Sections, s => Assert.Equal(s.Length, s.Capacity));
            var toc = container.Records<TestRecord.ReadOnlyView>("toc");
            HeapSection blobs = container.Heap("blobs");
            for (int i = 0; i < refs.Length; i++)
            {
                Assert.Equal(ContainerFiles.Record(i), toc[i].Load());
                Assert.Equal(Enumerable.Repeat((byte)i, i * 37).ToArray(), blobs.ToArray(refs[i]));
            }

            Assert.Equal(refs.Length, container.Raw("raw").Length);
            Assert.Equal(0, container.Raw("empty").Length);
        }

        // Opening for writing works, but the sealed file does not change.
        using (MappedContainer writable = MappedContainer.Open(temp.Path, Tag, MapAccess.Write))
        {
            Assert.False(writable.CanWrite);
            Assert.Throws<NotSupportedException>(() => writable.AddRaw("more"));
            Assert.Throws<NotSupportedException>(() => writable.Commit());
        }
    }

    [Fact]
    public void ABuilderDisposedWithoutSealLeavesNothing()
    {
        using var temp = new TempPath();
        using (ContainerBuilder builder = ContainerBuilder.Create(temp.Path, Tag))
        {
            builder.AddHeap("a").Append("x"u8);
            builder.AddRaw("b").Append("y"u8);
        }

        Assert.False(File.Exists(temp.Path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.Path)!, Path.GetFileName(temp.Path) + "*"));
    }

    [Fact]
    public void BadArgumentsAreRefusedBeforeAnythingChanges()
    {
        using var temp = new TempPath();
        using MappedContainer container = MappedContainer.Create(temp.Path, Tag, maximumEntries: 2);
        container.AddRaw("one");
        Assert.Throws<ArgumentException>(() => container.AddRaw("one"));
        Assert.Throws<ArgumentException>(() => container.AddRaw(""));
        Assert.Throws<ArgumentException>(() => container.AddRaw(new string('x', 33)));
        Assert.Throws<ArgumentException>(() => container.AddRaw("a\0b"));
        Assert.Equal(31, container.MaximumEntries); // the smallest slot, 4 KiB, holds 31 entries
        for (int i = 1; i < container.MaximumEntries; i++)
        {
            container.AddRaw($"more {i}");
        }

        Assert.Throws<InvalidOperationException>(() => container.AddRaw("three"));
        Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => container.Raw("three"));
        Assert.Throws<InvalidDataException>(() => container.Heap("one"));
        Assert.Throws<InvalidDataException>(() => container.Records<TestRecord.View>("one"));
        Assert.Throws<IOException>(() => MappedContainer.Create(temp.Path, Tag));
        Assert.Throws<ArgumentOutOfRangeException>(() => MappedContainer.Create(temp.Path + "x", Tag, maximumEntries: 0));
    }

    [Fact]
    public void ARecordsSectionOfAnotherLayoutIsRefused()
    {
        using TempPath temp = ContainerFiles.Sample();
        using MappedContainer container = MappedContainer.Open(temp.Path, Tag);
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => container.Records<TestHeader.View>("people"));
        Assert.Contains("fingerprint", error.Message);
        using MappedContainer readOnly = MappedContainer.Open(temp.Path, Tag, MapAccess.Read);
        Assert.Throws<NotSupportedException>(() => readOnly.Records<TestRecord.View>("people"));
    }
}
