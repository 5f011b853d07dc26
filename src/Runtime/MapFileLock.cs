using System;
using Microsoft.Win32.SafeHandles;
using Overlay.Platform;

namespace Overlay;

/// <summary>
/// An advisory lock on a mapped file, from <see cref="MemoryMap.LockFile"/> or
/// <see cref="MemoryMap.TryLockFile"/>: held until disposed, or until its process dies (the kernel
/// releases it). It holds its own descriptor of the file, so it outlives the map it came from.
/// </summary>
/// <remarks>Dispose may run on any thread, once or many times; only the first call releases.</remarks>
public sealed class MapFileLock : IDisposable
{
    private readonly SafeFileHandle _file;
    private int _released;

    internal MapFileLock(SafeFileHandle file, bool exclusive)
    {
        _file = file;
        IsExclusive = exclusive;
    }

    /// <summary>Whether the lock is exclusive (a writer's) rather than shared.</summary>
    public bool IsExclusive { get; }

    /// <summary>Whether <see cref="Dispose"/> has released the lock.</summary>
    public bool IsReleased => System.Threading.Volatile.Read(ref _released) != 0;

    /// <summary>Releases the lock and closes its descriptor. A second call does nothing.</summary>
    public void Dispose()
    {
        if (System.Threading.Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            FileLocks.Current.Unlock(_file, MemoryMap.AdvisoryLockByte);
        }
        finally
        {
            // Closing the last descriptor of the open releases the lock anyway.
            _file.Dispose();
        }
    }
}
