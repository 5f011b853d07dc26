using System;
using System.IO;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;
using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// Issue 14, hole 10: <see cref="WritableFile.Map"/> is public (for <c>Advise</c>, <c>Lock</c>, ...),
/// and resizing, closing or re-protecting it under the record file left a stale capacity: the next
/// <c>Append</c> committed a count past the data, and the file no longer opened. The record file
/// owns its map: those calls are refused, and the file goes on as before.
/// </summary>
public class RecordFileMapOwnershipTests
{
    private const ulong Magic = RecordFileTests.Magic;
    private static readonly long RecordsOffset = RecordFileTests.RecordsOffset;

    public enum Tamper
    {
        Shrink,
        ShrinkBelowTheRecords,
        Grow,
        SameLength,
        Close,
        Dispose,
        ProtectReadOnly,
        ProtectNone,
        StreamSetLength,
    }

    private static void Apply(MemoryMap map, Tamper tamper)
    {
        switch (tamper)
        {
            case Tamper.Shrink:
                map.Resize(map.Length - 32);
                break;
            case Tamper.ShrinkBelowTheRecords:
                map.Resize(RecordsOffset);
                break;
            case Tamper.Grow:
                map.Resize(map.Length + 4096);
                break;
            case Tamper.SameLength:
                map.Resize(map.Length);
                break;
            case Tamper.Close:
                map.Close();
                break;
            case Tamper.Dispose:
                map.Dispose();
                break;
            case Tamper.ProtectReadOnly:
                map.Protect(MapProtection.Read);
                break;
            case Tamper.ProtectNone:
                map.Protect(MapProtection.None);
                break;
            case Tamper.StreamSetLength:
                map.AsStream().SetLength(RecordsOffset + 32);
                break;
        }
    }

    [Theory]
    [InlineData(Tamper.Shrink)]
    [InlineData(Tamper.ShrinkBelowTheRecords)]
    [InlineData(Tamper.Grow)]
    [InlineData(Tamper.SameLength)]
    [InlineData(Tamper.Close)]
    [InlineData(Tamper.Dispose)]
    [InlineData(Tamper.ProtectReadOnly)]
    [InlineData(Tamper.ProtectNone)]
    [InlineData(Tamper.StreamSetLength)]
    public void TheMapOfAWritableFileRefusesToChangeUnderIt(Tamper tamper)
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic, initialCapacity: 8))
        {
            RecordFileTests.Fill(file, 8);
            long length = file.Map.Length;

            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Apply(file.Map, tamper));
            Assert.Contains("RecordFile", error.Message);
            Assert.False(file.Map.IsClosed);
            Assert.Equal(length, file.Map.Length);
            Assert.True(file.Map.CanWrite);
            Assert.Equal(8, file.Capacity);

            // The file goes on: it grows past the refused length, and every record reads back.
            RecordFileTests.Fill(file, 100);
            file.Append(new TestRecord { Id = 7, Tag = "value" });
            Assert.Equal(109, file.Count);
            Assert.Equal(7, file[7].Id);
            Assert.Equal("value", file[108].Tag);
        }

        using ReadOnlyFile reopened = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(109, reopened.Count);
        Assert.Equal(RecordsOffset + (109 * 32), new FileInfo(temp.Path).Length);
        Assert.Equal(RecordFileTests.TagOf(99), reopened[107].Tag);
    }

    [Theory]
    [InlineData(Tamper.Shrink)]
    [InlineData(Tamper.Close)]
    [InlineData(Tamper.ProtectNone)]
    public void TheMapOfAReadOnlyFileRefusesToChangeUnderIt(Tamper tamper)
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            RecordFileTests.Fill(file, 4);
        }

        using ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        Exception? error = Record.Exception(() => Apply(reader.Map, tamper));

        // A read-only map refuses a resize on its own (NotSupportedException); closing or
        // re-protecting it is refused because the record file owns it.
        Assert.True(error is InvalidOperationException or NotSupportedException, $"{error}");
        Assert.False(reader.Map.IsClosed);
        Assert.True(reader.Map.CanRead);
        Assert.Equal(3, reader[3].Id);
    }

    [Fact]
    public void AdviseLockAndFlushThroughTheMapStillWork()
    {
        using var temp = new TempPath();
        using WritableFile file = WritableFile.Create(temp.Path, Magic, initialCapacity: 1024);
        RecordFileTests.Fill(file, 1024);
        file.Map.Advise(MapAdvice.Sequential);
        file.Map.Advise(MapAdvice.WillNeed, MemoryMap.PageSize, MemoryMap.PageSize);
        file.Map.Flush();
        using (MappedMemory memory = file.Map.AcquireMemory(0, 8))
        {
            Assert.Equal(8, memory.Memory.Length);
        }

        RecordFileTests.Fill(file, 10_000);
        Assert.Equal(11_024, file.Count);
    }

    [Fact]
    public void DisposeClosesTheMapItOwns()
    {
        using var temp = new TempPath();
        WritableFile file = WritableFile.Create(temp.Path, Magic);
        MemoryMap map = file.Map;
        RecordFileTests.Fill(file, 3);
        file.Dispose();
        Assert.True(map.IsClosed);
        Assert.Equal(RecordsOffset + (3 * 32), new FileInfo(temp.Path).Length);
    }
}
