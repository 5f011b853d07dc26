using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Overlay.Platform;
using Xunit;

namespace Overlay.Tests.Platforms;

/// <summary>
/// The running OS's <see cref="IFileLocks"/> (Linux OFD locks here; <c>LockFileEx</c> in the Wine
/// run): the semantics record files and <see cref="MemoryMap.LockFile"/> build on, the same on both.
/// </summary>
public sealed class FileLocksTests : IDisposable
{
    // Past any data, as every byte Overlay locks is (Windows locks are mandatory for their range).
    private const long Byte = (1L << 62) + 10;

    private static readonly IFileLocks s_locks = FileLocks.Current;

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"overlay-locks-{Guid.NewGuid():N}.bin");

    public FileLocksTests() => File.WriteAllBytes(_path, [1, 2, 3, 4]);

    public void Dispose() => File.Delete(_path);

    private SafeFileHandle OpenFile() =>
        File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    [Fact]
    public void TwoOpensOfOneFileInOneProcessExcludeEachOther()
    {
        using SafeFileHandle a = OpenFile();
        using SafeFileHandle b = OpenFile();
        Assert.True(s_locks.TryLock(a, Byte, exclusive: true));
        Assert.False(s_locks.TryLock(b, Byte, exclusive: true));
        Assert.False(s_locks.TryLock(b, Byte, exclusive: false));

        // Another byte is another lock.
        Assert.True(s_locks.TryLock(b, Byte + 1, exclusive: true));

        s_locks.Unlock(a, Byte);
        Assert.True(s_locks.TryLock(b, Byte, exclusive: true));
    }

    [Fact]
    public void SharedLocksShareAndKeepAnExclusiveOneOut()
    {
        using SafeFileHandle a = OpenFile();
        using SafeFileHandle b = OpenFile();
        using SafeFileHandle c = OpenFile();
        Assert.True(s_locks.TryLock(a, Byte, exclusive: false));
        Assert.True(s_locks.TryLock(b, Byte, exclusive: false));
        Assert.False(s_locks.TryLock(c, Byte, exclusive: true));
        s_locks.Unlock(a, Byte);
        s_locks.Unlock(b, Byte);
        Assert.True(s_locks.TryLock(c, Byte, exclusive: true));
    }

    [Fact]
    public void ClosingTheOpenReleasesItsLocks()
    {
        using SafeFileHandle other = OpenFile();
        using (SafeFileHandle holder = OpenFile())
        {
            s_locks.Lock(holder, Byte, exclusive: true);
            Assert.False(s_locks.TryLock(other, Byte, exclusive: false));
        }

        Assert.True(s_locks.TryLock(other, Byte, exclusive: true));
    }

    [Fact]
    public void UnlockingAByteNotHeldDoesNothing()
    {
        using SafeFileHandle a = OpenFile();
        s_locks.Unlock(a, Byte);
        Assert.True(s_locks.TryLock(a, Byte, exclusive: true));
        s_locks.Unlock(a, Byte);
        s_locks.Unlock(a, Byte);
    }

    [Fact]
    public void ALockPastTheEndLeavesTheDataToEveryOpen()
    {
        // Windows' locks bar other opens from the bytes they cover: Overlay's lie past any data.
        using SafeFileHandle holder = OpenFile();
        s_locks.Lock(holder, Byte, exclusive: true);
        using SafeFileHandle other = OpenFile();
        byte[] read = new byte[4];
        Assert.Equal(4, RandomAccess.Read(other, read, 0));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, read);
        RandomAccess.Write(other, new byte[] { 9 }, 1);
        using (MemoryMap map = new(other, 0))
        {
            map[2] = 8;
        }

        byte[] after = new byte[4];
        Assert.Equal(4, RandomAccess.Read(holder, after, 0));
        Assert.Equal(new byte[] { 1, 9, 8, 4 }, after);
        Assert.Equal(4, RandomAccess.GetLength(holder));
    }

    [Fact]
    public void ALockLastsUntilTheLastDuplicateOfItsOpenCloses()
    {
        // What MapFileLock and RecordFileLock rely on: the map's duplicate shares the open, and
        // closing one handle of it does not drop the lock.
        using SafeFileHandle other = OpenFile();
        SafeFileHandle first = OpenFile();
        s_locks.Lock(first, Byte, exclusive: true);
        using var duplicate = new SafeFileHandle(MapPlatform.Current.Duplicate(first.DangerousGetHandle()), ownsHandle: true);
        first.Dispose();
        Assert.False(s_locks.TryLock(other, Byte, exclusive: false));
        duplicate.Dispose();
        Assert.True(s_locks.TryLock(other, Byte, exclusive: false));
    }
}
