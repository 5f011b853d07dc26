using System;
using Overlay.Platform;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Writes the whole map's changes back to the file and waits for the write (Python's
    /// <c>flush()</c>, <c>msync(MS_SYNC)</c>). Read-only and copy-on-write maps have nothing to
    /// write and return at once.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="MapIOException">The OS reported a failure.</exception>
    public void Flush() => Flush(0, -1);

    /// <summary>
    /// Writes the changes in <c>[offset, offset + size)</c> back to the file and waits for the
    /// write (Python's <c>flush(offset, size)</c>).
    /// </summary>
    /// <param name="offset">Where the range starts; a multiple of <see cref="PageSize"/>.</param>
    /// <param name="size">How many bytes; -1 (the default) flushes to the end of the map (Python's gh-138092 fix).</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map.</exception>
    /// <exception cref="ArgumentException"><paramref name="offset"/> is not page-aligned (checked for every map, even where nothing is written).</exception>
    /// <exception cref="MapIOException">The OS reported a failure.</exception>
    public void Flush(long offset, long size = -1) => FlushCore(offset, size, wait: true);

    /// <summary>
    /// Starts writing the whole map's changes back and returns without waiting (<c>msync(MS_ASYNC)</c>):
    /// the kernel writes them soon; a later <see cref="Flush()"/> waits for them.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="MapIOException">The OS reported a failure.</exception>
    public void ScheduleFlush() => FlushCore(0, -1, wait: false);

    /// <summary>Starts writing the changes in a range back, without waiting (<c>msync(MS_ASYNC)</c>).</summary>
    /// <param name="offset">Where the range starts; a multiple of <see cref="PageSize"/>.</param>
    /// <param name="size">How many bytes; -1 for the rest of the map.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map.</exception>
    /// <exception cref="ArgumentException"><paramref name="offset"/> is not page-aligned.</exception>
    /// <exception cref="MapIOException">The OS reported a failure.</exception>
    public void ScheduleFlush(long offset, long size = -1) => FlushCore(offset, size, wait: false);

    /// <summary>
    /// Advises the kernel how the range <c>[start, start + length)</c> will be used (Python's
    /// <c>madvise</c>). The length is clipped to the end of the map.
    /// </summary>
    /// <param name="advice">The advice; see <see cref="MapAdvice"/> for which advice discards data.</param>
    /// <param name="start">Where the range starts: inside the map and a multiple of <see cref="PageSize"/>.</param>
    /// <param name="length">How many bytes; null for the rest of the map.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is outside the map, or the length is negative or overflows.</exception>
    /// <exception cref="ArgumentException"><paramref name="start"/> is not page-aligned.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="advice"/> is not a named <see cref="MapAdvice"/> value (checked after the range).</exception>
    /// <exception cref="NotSupportedException"><see cref="MapAdvice.HardwarePoison"/> or <see cref="MapAdvice.SoftOffline"/>, which would make the pages fault.</exception>
    /// <exception cref="MapIOException">The kernel refused the advice (EINVAL for advice it does not know).</exception>
    public void Advise(MapAdvice advice, long start = 0, long? length = null)
    {
        ThrowIfClosed();
        if (start < 0 || start >= _length)
        {
            ThrowHelper.OutOfRange(nameof(start), start, $"The start is outside the map (length {_length}).");
        }

        long count = length ?? _length;
        if (count < 0)
        {
            ThrowHelper.OutOfRange(nameof(length), count, "The length must not be negative.");
        }

        if (count > long.MaxValue - start)
        {
            ThrowHelper.OutOfRange(nameof(length), count, "The start plus the length overflows.");
        }

        RequirePageAligned(start, nameof(start));
        if (!IsDefined(advice))
        {
            // Only the values this enum names reach the kernel: newer kernels give other numbers
            // meanings that make the pages fault (102 is MADV_GUARD_INSTALL since Linux 6.13).
            throw new ArgumentOutOfRangeException(nameof(advice), advice, "Not a MapAdvice value: only the advice MapAdvice names is passed to the kernel.");
        }

        if (advice is MapAdvice.HardwarePoison or MapAdvice.SoftOffline)
        {
            throw new NotSupportedException($"MapAdvice.{advice} is refused: it takes the pages away from the process, so the next access would fault.");
        }

        count = Math.Min(count, _length - start);
        _platform.Advise(_data + start, count, advice, _anonymous ? _flags | MapFlags.Anonymous : _flags);
    }

    /// <summary>
    /// Copies <paramref name="count"/> bytes from <paramref name="source"/> to
    /// <paramref name="destination"/>; the ranges may overlap (Python's <c>move</c>). The cursor
    /// does not move.
    /// </summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="source">Where they come from.</param>
    /// <param name="count">How many.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="NotSupportedException">The map is read-only (checked before the ranges).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A range is not inside the map; nothing is moved.</exception>
    public void Move(long destination, long source, long count)
    {
        ThrowIfNotWritable();
        if (destination < 0 || source < 0 || count < 0 || _length - destination < count || _length - source < count)
        {
            ThrowHelper.OutOfRange(nameof(count), count, $"Moving {count} bytes from {source} to {destination} reaches outside the map (length {_length}).");
        }

        Buffer.MemoryCopy(_data + source, _data + destination, _length - destination, count);
    }

    /// <summary>
    /// Changes the map's length (Python's <c>resize</c>). A file map resizes its file to
    /// <c>Offset + newSize</c> and follows it; anonymous private memory grows with zeros. The
    /// cursor stays where it is, even past the new end. On failure the map and the file are as
    /// they were.
    /// </summary>
    /// <param name="newSize">The new length; at least 1.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">Exported memory is still in use (checked first).</exception>
    /// <exception cref="NotSupportedException">The map was opened with <c>trackFile: false</c>, is read-only or copy-on-write, or is shared anonymous memory asked to grow (Linux cannot grow it: the new pages would fault).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newSize"/> is not positive, or <c>Offset + newSize</c> overflows.</exception>
    /// <exception cref="MapIOException">The OS refused.</exception>
    /// <exception cref="FileTruncatedException">The file is shorter than the bytes the map covers: someone truncated it while it was mapped. Nothing is changed.</exception>
    public void Resize(long newSize)
    {
        ThrowIfClosed();
        BeginMaintenance("resize");
        try
        {
            ResizeHeld(newSize);
        }
        finally
        {
            // A resize that lost the mapping closed the map: Maintenance stays, as after Close.
            if (!_closed)
            {
                EndMaintenance();
            }
        }
    }

    /// <summary>The resize itself, once the caller made sure no export points into the pages.</summary>
    private void ResizeHeld(long newSize)
    {
        CheckResize(newSize);

        // Before ftruncate: growing a file someone cut would fill the lost bytes with zeros and
        // hide the loss; shrinking it would leave the map's old pages over nothing.
        ThrowIfFileTruncated("Resize");
        bool unmapped = false;
        try
        {
            _data = _anonymous
                ? _platform.ResizeAnonymous(_data, _length, newSize, _protection, _flags | MapFlags.Anonymous)
                : _platform.ResizeFile(_data, _length, newSize, new FileMapping(_file, _offset, _protection, _flags), out unmapped);
        }
        catch when (unmapped)
        {
            // Windows only: the old view was gone before the failure and could not be put back
            // (see WindowsMapPlatform.Resize.cs). Closing the map keeps every access away from
            // the unmapped pages.
            _data = null;
            ReleaseClosed();
            throw;
        }

        SetLength(newSize);
    }

    /// <summary>
    /// Locks the whole map in memory (<c>mlock</c>): its pages are faulted in and not swapped out.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="MapIOException">The OS refused (ENOMEM beyond <c>RLIMIT_MEMLOCK</c>).</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not lock memory (EPERM).</exception>
    public void Lock() => Lock(0, -1);

    /// <summary>Locks the range <c>[start, start + length)</c> in memory (<c>mlock</c>).</summary>
    /// <param name="start">Where the range starts.</param>
    /// <param name="length">How many bytes; -1 for the rest of the map.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map.</exception>
    /// <exception cref="MapIOException">The OS refused.</exception>
    public void Lock(long start, long length)
    {
        long count = CheckRange(start, length);
        _platform.Lock(_data + start, count);
    }

    /// <summary>Unlocks the whole map (<c>munlock</c>).</summary>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="MapIOException">The OS refused.</exception>
    public void Unlock() => Unlock(0, -1);

    /// <summary>Unlocks the range <c>[start, start + length)</c> (<c>munlock</c>).</summary>
    /// <param name="start">Where the range starts.</param>
    /// <param name="length">How many bytes; -1 for the rest of the map.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the map.</exception>
    /// <exception cref="MapIOException">The OS refused.</exception>
    public void Unlock(long start, long length)
    {
        long count = CheckRange(start, length);
        _platform.Unlock(_data + start, count);
    }

    /// <summary>
    /// Changes the protection of the whole map (<c>mprotect</c>). Removing <see cref="MapProtection.Write"/>
    /// makes every write refused until it is given back; a map opened read-only can never be
    /// made writable.
    /// </summary>
    /// <param name="protection">The new protection.</param>
    /// <exception cref="ObjectDisposedException">The map is closed.</exception>
    /// <exception cref="InvalidOperationException">Exported memory is still in use: its spans were handed out under the old protection.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="protection"/> has bits <see cref="MapProtection"/> does not name.</exception>
    /// <exception cref="NotSupportedException">Adding write access to a map opened with <see cref="MapAccess.Read"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The file's open mode forbids the protection (EACCES); the pages keep their old protection.</exception>
    public void Protect(MapProtection protection)
    {
        ThrowIfClosed();
        BeginMaintenance("change the protection of");
        try
        {
            const MapProtection known = MapProtection.Read | MapProtection.Write | MapProtection.Execute | MapProtection.GrowsDown | MapProtection.GrowsUp;
            if ((protection & ~known) != 0)
            {
                // As for Advise: bits this enum does not name are not passed to the kernel.
                throw new ArgumentOutOfRangeException(nameof(protection), protection, "Not a combination of MapProtection values.");
            }

            if (_access == MapAccess.Read && (protection & MapProtection.Write) != 0)
            {
                throw new NotSupportedException("A map opened read-only cannot be made writable; open it with MapAccess.Write.");
            }

            ProtectPages(protection);
        }
        finally
        {
            EndMaintenance();
        }
    }

    /// <summary>
    /// <c>mprotect</c> works VMA by VMA and may fail after changing some of them: on failure the old
    /// protection is put back on every page; if even that fails, which pages allow what is unknown,
    /// so the map allows nothing (<see cref="MapProtection.None"/>) until a later
    /// <see cref="Protect"/> succeeds. The limits the accessors check never allow more than the pages do.
    /// </summary>
    private void ProtectPages(MapProtection protection)
    {
        try
        {
            _platform.Protect(_data, _length, protection);
        }
        catch
        {
            try
            {
                _platform.Protect(_data, _length, _protection);
            }
            catch (Exception)
            {
                _protection = MapProtection.None;
                SetLength(_length);
            }

            throw;
        }

        _protection = protection;
        SetLength(_length);
    }

    private void FlushCore(long offset, long size, bool wait)
    {
        ThrowIfClosed();
        if (offset < 0 || offset > _length)
        {
            ThrowHelper.OutOfRange(nameof(offset), offset, $"The offset is outside the map (length {_length}).");
        }

        if (size == -1)
        {
            size = _length - offset;
        }

        if (size < 0 || _length - offset < size)
        {
            ThrowHelper.OutOfRange(nameof(size), size, $"The range reaches outside the map (length {_length}).");
        }

        RequirePageAligned(offset, nameof(offset));
        if (_access is MapAccess.Read or MapAccess.Copy)
        {
            return;
        }

        // A named map's handle is its shared object, not a file to sync.
        _platform.Sync(_data + offset, size, _anonymous ? PlatformFile.None : _file, wait);
    }

    /// <summary>Every argument and state check of <see cref="Resize"/>, in CPython's order, before any system call.</summary>
    private void CheckResize(long newSize)
    {
        if (_name is not null)
        {
            throw new NotSupportedException($"Cannot resize the named map '{_name}': other processes map the same shared memory at its current size.");
        }

        if (!_anonymous && !_trackFile)
        {
            throw new NotSupportedException("Cannot resize: the map was created with trackFile: false and holds no file descriptor.");
        }

        if (_access is not (MapAccess.Default or MapAccess.Write))
        {
            throw new NotSupportedException($"Cannot resize a map opened with MapAccess.{_access}: only writable shared maps can change size.");
        }

        if (newSize <= 0)
        {
            ThrowHelper.OutOfRange(nameof(newSize), newSize, "The new size must be positive: a map cannot be empty.");
        }

        if (newSize > long.MaxValue - _offset)
        {
            ThrowHelper.OutOfRange(nameof(newSize), newSize, "The offset plus the new size overflows.");
        }

        // MAP_SHARED_VALIDATE (0x03) shares the Private bit, so compare the whole mapping type.
        if (_anonymous && (_flags & MapFlags.SharedValidate) != MapFlags.Private && newSize > _length)
        {
            throw new NotSupportedException("Cannot grow shared anonymous memory: Linux does not extend its backing object, so the new pages would fault. Create a larger map instead.");
        }
    }

    // A closed set written out, not Enum.IsDefined: no reflection, and a value added to the enum
    // must be added here on purpose.
    private static bool IsDefined(MapAdvice advice) => advice is
        MapAdvice.Normal or MapAdvice.Random or MapAdvice.Sequential or MapAdvice.WillNeed or
        MapAdvice.DontNeed or MapAdvice.Free or MapAdvice.Remove or MapAdvice.DontFork or
        MapAdvice.DoFork or MapAdvice.Mergeable or MapAdvice.Unmergeable or MapAdvice.HugePage or
        MapAdvice.NoHugePage or MapAdvice.DontDump or MapAdvice.DoDump or MapAdvice.WipeOnFork or
        MapAdvice.KeepOnFork or MapAdvice.Cold or MapAdvice.PageOut or MapAdvice.PopulateRead or
        MapAdvice.PopulateWrite or MapAdvice.DontNeedLocked or MapAdvice.Collapse or
        MapAdvice.HardwarePoison or MapAdvice.SoftOffline;

    private long CheckRange(long start, long length)
    {
        ThrowIfClosed();
        if (start < 0 || start > _length)
        {
            ThrowHelper.OutOfRange(nameof(start), start, $"The start is outside the map (length {_length}).");
        }

        long count = length == -1 ? _length - start : length;
        if (count < 0 || _length - start < count)
        {
            ThrowHelper.OutOfRange(nameof(length), length, $"The range reaches outside the map (length {_length}).");
        }

        return count;
    }

    private static void RequirePageAligned(long offset, string parameter)
    {
        if (offset % PageSize != 0)
        {
            throw new ArgumentException($"{offset} is not a multiple of the page size ({PageSize}).", parameter);
        }
    }
}
