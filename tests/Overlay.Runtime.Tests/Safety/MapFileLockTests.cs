using System;
using System.IO;
using Overlay.Layouts;
using Overlay.Tests.Layouts;
using Xunit;

namespace Overlay.Tests.Safety;

/// <summary>The opt-in advisory lock of plain maps (issue 11, "external changes"): <see cref="MemoryMap.LockFile"/>.</summary>
public class MapFileLockTests
{
    private static TempPath File4K() => new TempPath().WithBytes(4096);

    [Fact]
    public void AnExclusiveLockExcludesAnotherMapOfTheFileUntilDisposed()
    {
        using TempPath temp = File4K();
        using MemoryMap first = MemoryMap.Open(temp.Path);
        using MemoryMap second = MemoryMap.Open(temp.Path);
        MapFileLock held = first.LockFile();
        Assert.True(held.IsExclusive);
        Assert.Null(second.TryLockFile());
        Assert.Null(second.TryLockFile(exclusive: false));
        held.Dispose();
        Assert.True(held.IsReleased);
        held.Dispose(); // a second dispose does nothing
        using MapFileLock? again = second.TryLockFile();
        Assert.NotNull(again);
    }

    [Fact]
    public void SharedLocksShareAndKeepAnExclusiveOneOut()
    {
        using TempPath temp = File4K();
        using MemoryMap a = MemoryMap.Open(temp.Path);
        using MemoryMap b = MemoryMap.Open(temp.Path, MapAccess.Read);
        using MemoryMap c = MemoryMap.Open(temp.Path);
        using MapFileLock readerA = a.LockFile(exclusive: false);
        using MapFileLock? readerB = b.TryLockFile(exclusive: false);
        Assert.NotNull(readerB);
        Assert.Null(c.TryLockFile());
    }

    [Fact]
    public void TheLockOutlivesItsMap()
    {
        using TempPath temp = File4K();
        using MemoryMap other = MemoryMap.Open(temp.Path);
        MapFileLock held;
        using (MemoryMap map = MemoryMap.Open(temp.Path))
        {
            held = map.LockFile();
        }

        Assert.Null(other.TryLockFile());
        held.Dispose();
        using MapFileLock? now = other.TryLockFile();
        Assert.NotNull(now);
    }

    [Fact]
    public void AnotherProcessSeesTheLockOnTheDocumentedByte()
    {
        using TempPath temp = File4K();
        using MemoryMap map = MemoryMap.Open(temp.Path);
        using (map.LockFile(exclusive: false))
        {
            Assert.False(PythonFileLock.CanLock(temp.Path, MemoryMap.AdvisoryLockByte, exclusive: true));
        }

        using (PythonFileLock.Hold(temp.Path, MemoryMap.AdvisoryLockByte, exclusive: true))
        {
            Assert.Null(map.TryLockFile(exclusive: false));
        }

        using MapFileLock? after = map.TryLockFile();
        Assert.NotNull(after);
    }

    [Fact]
    public void ARecordFilesLocksAndTheAdvisoryLockDoNotConflict()
    {
        using var temp = new TempPath();
        using var file = RecordFile<TestHeader.View, TestRecord.View>.Create(temp.Path, RecordFileTests.Magic);
        using MapFileLock held = file.Map.LockFile();
        Assert.Throws<IOException>(() => RecordFile<TestHeader.View, TestRecord.View>.Open(temp.Path, RecordFileTests.Magic));
        using var reader = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>.Open(temp.Path, RecordFileTests.Magic, MapAccess.Read);
        Assert.Equal(0, reader.Count);
    }

    [Fact]
    public void MapsWithoutAFileAndClosedMapsAreRefused()
    {
        using (MemoryMap anonymous = MemoryMap.Anonymous(4096))
        {
            Assert.Throws<NotSupportedException>(() => anonymous.LockFile());
            Assert.Throws<NotSupportedException>(() => anonymous.TryLockFile());
        }

        using TempPath temp = File4K();
        using (FileStream stream = File.Open(temp.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        using (var untracked = new MemoryMap(stream.SafeFileHandle, 4096, trackFile: false))
        {
            Assert.Throws<NotSupportedException>(() => untracked.LockFile());
        }

        var closed = MemoryMap.Open(temp.Path);
        closed.Close();
        Assert.Throws<ObjectDisposedException>(() => closed.LockFile());
        Assert.Throws<ObjectDisposedException>(() => closed.TryLockFile());
    }
}
