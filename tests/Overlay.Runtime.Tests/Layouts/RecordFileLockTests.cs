using System;
using System.IO;
using System.Threading;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests.Layouts;

using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;
using WritableFile = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// Issue 14, hole 6: one writer per record file, and readers beside it. Without a lock, a second
/// writer's Dispose trimmed the file under the first (whose next Append died of SIGBUS), two
/// writers overwrote each other's count, and a writer's Dispose trimmed the slack a reader had mapped.
/// </summary>
public class RecordFileLockTests
{
    private const ulong Magic = RecordFileTests.Magic;
    private static readonly long RecordsOffset = RecordFileTests.RecordsOffset;

    // The protocol's bytes, as docs/layouts.md states them (other implementations must use these).
    private const long WriterByte = 1L << 62;
    private const long ReaderByte = WriterByte + 1;

    /// <summary>
    /// The file's bytes, read beside a writer: File.ReadAllBytes allows other opens to read only, and
    /// Windows then refuses it while a writer has the file open (Linux ignores the sharing mode).
    /// </summary>
    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    [Fact]
    public void TheLockBytesAreTheDocumentedOnes()
    {
        Assert.Equal(WriterByte, RecordFileLock.WriterByte);
        Assert.Equal(ReaderByte, RecordFileLock.ReaderByte);
    }

    [Fact]
    public void ASecondWriterInTheSameProcessIsRefusedBeforeAnythingChanges()
    {
        using var temp = new TempPath();
        using WritableFile first = WritableFile.Create(temp.Path, Magic);
        first.MinimumGrowthBytes = 4096;
        RecordFileTests.Fill(first, 3);
        byte[] before = ReadShared(temp.Path);

        IOException error = Assert.Throws<IOException>(() => WritableFile.Open(temp.Path, Magic));
        Assert.Contains("open for writing elsewhere", error.Message);
        Assert.Contains(temp.Path, error.Message);
        Assert.Throws<IOException>(() => WritableFile.Open(temp.Path, Magic, MapAccess.Default));
        Assert.Equal(before, ReadShared(temp.Path));

        // The first writer goes on, and what it wrote is what the file holds.
        RecordFileTests.Fill(first, 2);
        Assert.Equal(5, first.Count);
        Assert.Equal(5ul, first.Map.ReadAt<ulong>(RecordFileFormat.RecordCountOffset));
    }

    [Fact]
    public void AWriterOpensOnceThePreviousWriterIsDisposed()
    {
        using var temp = new TempPath();
        using (WritableFile first = WritableFile.Create(temp.Path, Magic))
        {
            RecordFileTests.Fill(first, 3);
        }

        using (WritableFile second = WritableFile.Open(temp.Path, Magic))
        {
            RecordFileTests.Fill(second, 1);
            Assert.Throws<IOException>(() => WritableFile.Open(temp.Path, Magic));
        }

        using WritableFile third = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(4, third.Count);
    }

    [Fact]
    public void AFailedOpenReleasesItsLock()
    {
        using TempPath temp = new TempPath().WithBytes(10, 0xFF);
        Assert.Throws<InvalidDataException>(() => WritableFile.Open(temp.Path, Magic));

        // A lock left behind would make this an IOException, and the other process's probe fail.
        Assert.Throws<InvalidDataException>(() => WritableFile.Open(temp.Path, Magic));
        Assert.True(PythonFileLock.CanLock(temp.Path, WriterByte, exclusive: true));
        Assert.Throws<InvalidDataException>(() => ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read));
        Assert.True(PythonFileLock.CanLock(temp.Path, ReaderByte, exclusive: true));
    }

    [Fact]
    public void AReaderKeepsReadingItsRecordsWhileAWriterAppendsGrowsAndDisposes()
    {
        using var temp = new TempPath();
        WritableFile writer = WritableFile.Create(temp.Path, Magic);
        writer.MinimumGrowthBytes = 4096;
        RecordFileTests.Fill(writer, 10);

        using ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        using (ReadOnlyFile secondReader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read))
        {
            Assert.Equal(10, secondReader.Count);
        }

        long mapped = reader.Map.Length;
        Assert.Equal(RecordsOffset + (128 * 32), mapped);
        Assert.Equal(10, reader.Count);

        // The writer grows the file six times, edits a record in place, and closes.
        RecordFileTests.Fill(writer, 5000);
        TestRecord.View third = writer[3];
        third.Tag = "edited";
        Assert.Equal(8192, writer.Capacity);
        writer.Dispose();

        // The reader's snapshot: its count, over the bytes it mapped, with the writer's edits.
        Assert.Equal(10, reader.Count);
        Assert.Equal("edited", reader[3].Tag);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i, reader[i].Id);
        }

        // The writer left its slack: the reader's whole mapping still has the file behind it. (This
        // is checked before the last mapped byte is read: if the file had been trimmed, reading
        // it would raise SIGBUS and take the test host down.)
        Assert.Equal(RecordsOffset + (8192 * 32), new FileInfo(temp.Path).Length);
        Assert.True(new FileInfo(temp.Path).Length >= mapped);
        Assert.Equal(0, reader.Map[mapped - 1]);
    }

    [Fact]
    public void AWriterLeavesTheSlackWhileAReaderIsPresentAndTheNextWriterTrimsIt()
    {
        using var temp = new TempPath();
        using (WritableFile writer = WritableFile.Create(temp.Path, Magic, initialCapacity: 100))
        {
            RecordFileTests.Fill(writer, 3);
            using ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
            writer.Dispose();
            Assert.Equal(RecordsOffset + (100 * 32), new FileInfo(temp.Path).Length);
            Assert.Equal(2, reader[2].Id);
        }

        // The file with slack is valid: its count says how many records it holds.
        using (ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read))
        {
            Assert.Equal(3, reader.Count);
            Assert.Equal(100, reader.Capacity);
        }

        using (WritableFile writer = WritableFile.Open(temp.Path, Magic))
        {
            Assert.Equal(100, writer.Capacity);
        }

        Assert.Equal(RecordsOffset + (3 * 32), new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void ACopyOnWriteOpenIsAReaderToo()
    {
        using var temp = new TempPath();
        using WritableFile writer = WritableFile.Create(temp.Path, Magic, initialCapacity: 100);
        RecordFileTests.Fill(writer, 3);
        using (WritableFile copy = WritableFile.Open(temp.Path, Magic, MapAccess.Copy))
        {
            TestRecord.View first = copy[0];
            first.Id = 99;
            writer.Dispose();
            Assert.Equal(RecordsOffset + (100 * 32), new FileInfo(temp.Path).Length);
            Assert.Equal(0, copy.Map[copy.Map.Length - 1]);
        }

        using ReadOnlyFile after = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(0, after[0].Id);
    }

    [Fact]
    public void ReadersOpeningWhileAWriterAppendsSeeTheRecordsCountedWhenTheyOpened()
    {
        using var temp = new TempPath();
        using WritableFile writer = WritableFile.Create(temp.Path, Magic);
        writer.MinimumGrowthBytes = 4096;
        long opened = 0;
        Exception? failure = null;
        using var done = new ManualResetEventSlim();
        var readers = new Thread(() =>
        {
            try
            {
                while (!done.IsSet)
                {
                    // A count read after the mapping was made could claim records past its end
                    // (the writer grows the file meanwhile): Open would refuse a valid file.
                    using ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
                    long count = reader.Count;
                    Assert.True(reader.Capacity >= count);
                    if (count > 0)
                    {
                        long last = reader[count - 1].Id;

                        // Append(in T) stores the record before it counts it; on a weakly ordered
                        // CPU a reader may still see the stores in another order (zeros).
                        Assert.True(last == count - 1 || last == 0, $"record {count - 1} has id {last}");
                    }

                    opened++;
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        readers.Start();
        for (int i = 0; i < 100_000 && failure is null; i++)
        {
            writer.Append(new TestRecord { Id = i });
        }

        while (Interlocked.Read(ref opened) < 20 && failure is null && readers.IsAlive)
        {
            writer.Append(new TestRecord { Id = writer.Count });
        }

        done.Set();
        readers.Join();
        Assert.Null(failure);
        Assert.True(opened >= 20);
    }

    [Fact]
    public void AnotherProcessCannotTakeTheWriterLockWhileAWriterHoldsIt()
    {
        using var temp = new TempPath();
        using (WritableFile writer = WritableFile.Create(temp.Path, Magic))
        {
            Assert.False(PythonFileLock.CanLock(temp.Path, WriterByte, exclusive: true));

            // A writer alone does not hold reader presence: another process may read beside it.
            Assert.True(PythonFileLock.CanLock(temp.Path, ReaderByte, exclusive: false));
        }

        using (ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read))
        {
            Assert.True(PythonFileLock.CanLock(temp.Path, WriterByte, exclusive: true));
            Assert.True(PythonFileLock.CanLock(temp.Path, ReaderByte, exclusive: false));
            Assert.False(PythonFileLock.CanLock(temp.Path, ReaderByte, exclusive: true));
        }

        // Released on Dispose.
        Assert.True(PythonFileLock.CanLock(temp.Path, WriterByte, exclusive: true));
        Assert.True(PythonFileLock.CanLock(temp.Path, ReaderByte, exclusive: true));
    }

    [Fact]
    public void AWriterInAnotherProcessMakesOpenForWritingRefuse()
    {
        using var temp = new TempPath();
        using (WritableFile file = WritableFile.Create(temp.Path, Magic))
        {
            RecordFileTests.Fill(file, 2);
        }

        byte[] before = ReadShared(temp.Path);
        using (PythonFileLock.Hold(temp.Path, WriterByte, exclusive: true))
        {
            IOException error = Assert.Throws<IOException>(() => WritableFile.Open(temp.Path, Magic));
            Assert.Contains("open for writing elsewhere", error.Message);
            Assert.Equal(before, ReadShared(temp.Path));

            // Reading beside the other process's writer is allowed.
            using ReadOnlyFile reader = ReadOnlyFile.Open(temp.Path, Magic, MapAccess.Read);
            Assert.Equal(2, reader.Count);
        }

        using WritableFile writer = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(2, writer.Count);
    }

    [Fact]
    public void AReaderInAnotherProcessKeepsTheWritersSlack()
    {
        using var temp = new TempPath();
        WritableFile writer = WritableFile.Create(temp.Path, Magic, initialCapacity: 64);
        RecordFileTests.Fill(writer, 2);
        using (PythonFileLock.Hold(temp.Path, ReaderByte, exclusive: false))
        {
            writer.Dispose();
            Assert.Equal(RecordsOffset + (64 * 32), new FileInfo(temp.Path).Length);
        }

        using (WritableFile.Open(temp.Path, Magic))
        {
        }

        Assert.Equal(RecordsOffset + (2 * 32), new FileInfo(temp.Path).Length);
    }

    [Fact]
    public void AWriterNeverDisposedReleasesItsLockWhenCollected()
    {
        using var temp = new TempPath();
        CreateAndForget(temp.Path);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        // The lock lives as long as the mapping (a mapping keeps its open file description, and
        // with it the lock): the mapping must have been unmapped, not leaked under the record
        // file's hold on it.
        using WritableFile writer = WritableFile.Open(temp.Path, Magic);
        Assert.Equal(1, writer.Count);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CreateAndForget(string path)
    {
        WritableFile forgotten = WritableFile.Create(path, Magic, initialCapacity: 16);
        RecordFileTests.Fill(forgotten, 1);
    }
}
