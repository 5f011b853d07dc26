using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace Overlay.Layouts;

// Growth: the only place the map grows, and the policy for how much.
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    // Whether the map has the large-folio advice on (AdviseForGrowth), and whether Flush ran since
    // the last growth: together, whether appends outrun flushes.
    private bool _largeFolios;
    private bool _flushedSinceGrowth;

    /// <summary>
    /// The least number of bytes by which <see cref="Append()"/> grows the file when it is full;
    /// 256 MiB (<see cref="DefaultMinimumGrowthBytes"/>) unless set. Each step grows by the records'
    /// current size (doubling), at least this and at most <see cref="MaximumGrowthBytes"/> (or this,
    /// if larger).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive.</exception>
    /// <remarks>
    /// Why large steps: every growth is an <c>ftruncate</c> plus an <c>mremap</c> (which may move
    /// the page tables of the whole mapping), so small steps turn a long append run quadratic,
    /// while the slack costs nothing: the file grows sparse, and <see cref="Dispose"/> trims it.
    /// Doubling keeps the number of remaps logarithmic; the 1 GiB cap bounds the sparse slack a
    /// crashed writer leaves behind. Stores after a growth run slower than into a file sized once
    /// (issue 8), so the first step is large: 256 MiB, where 64 MiB took four growths to reach
    /// 320 MB and measured up to 2x slower. Set it lower for many small files on a file system
    /// without sparse files (Windows' NTFS reserves the slack on the disk while the file is open).
    /// </remarks>
    public long MinimumGrowthBytes
    {
        get => _minimumGrowthBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _minimumGrowthBytes = value;
        }
    }

    /// <summary>Makes room for at least <paramref name="capacity"/> records, growing the file to exactly that if it holds fewer.</summary>
    /// <param name="capacity">The number of records.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative or too large for a file.</exception>
    /// <exception cref="NotSupportedException">The file was opened read-only or copy-on-write.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    /// <exception cref="InvalidOperationException">The file must grow but memory exported from <see cref="Map"/> is in use, or a <c>Pin</c> callback runs.</exception>
    /// <exception cref="FileTruncatedException">The file must grow but another process truncated it under the map (as for <see cref="Append()"/> past the capacity).</exception>
    public void EnsureCapacity(long capacity)
    {
        ThrowIfNotAppendable();
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > _capacity)
        {
            GrowTo(capacity);
        }
    }

    /// <summary>
    /// Reserve's slow path: the records up to <paramref name="required"/> reach past the pre-faulted
    /// ones. Grows the file if they do not fit, then faults the pages of the next window in for
    /// writing (<see cref="MemoryMap.TryPrefaultForWrite"/>), so that appends take no page fault per
    /// fresh page (issue 8: a fault per 4 KiB was most of an append's time).
    /// </summary>
    /// <remarks>
    /// A window ahead of the count rather than the whole growth: the pages are zeroed by the kernel
    /// just before the records are written over them, so they are still in the cache, and the
    /// last growth's slack (up to 1 GiB) is never faulted in only to be trimmed by Dispose.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MakeRoom(long required)
    {
        if (required > _capacity)
        {
            Grow(required);
        }

        long window = Math.Max(1, PrefaultWindowBytes / _stride);
        long from = Math.Max(_prefaulted, _count);
        long to = required > _capacity - window ? _capacity : required + window;

        // A platform or kernel that cannot pre-fault, or a call that failed: the pages fault on
        // first touch, and the slow path waits for the next growth.
        _prefaulted = to > from && _map.TryPrefaultForWrite(_recordsOffset + (from * _stride), (to - from) * _stride) ? to : _capacity;
    }

    private void Grow(long required)
    {
        long currentBytes = _capacity * _stride;
        long step = Math.Clamp(currentBytes, _minimumGrowthBytes, Math.Max(_minimumGrowthBytes, MaximumGrowthBytes));
        long maximum = (long.MaxValue - _recordsOffset) / _stride;
        long wanted = _capacity + Math.Max(1, step / _stride);
        if (wanted < 0 || wanted > maximum)
        {
            wanted = maximum;
        }

        if (required > maximum)
        {
            throw new IOException($"{_path}: {required} records of {_stride} bytes do not fit in a file.");
        }

        GrowTo(Math.Max(required, wanted));
        AdviseForGrowth();
    }

    /// <summary>
    /// After an append grew the file: if no <see cref="Flush"/> ran since the last growth (or since
    /// the file was opened), appends outrun flushes, and the pages faulted in from now on come as
    /// large folios (<see cref="MemoryMap.TryAdviseLargeFolios"/>, 2 MiB): one page fault per 2 MiB
    /// instead of one per few pages. Issue 8: that fault count is why stores after a growth ran
    /// 2-3x slower than into a file sized once (a C probe: 9,700 faults against 2,900 for 320 MB,
    /// about 210 with the advice, and 5x faster). <see cref="Flush"/> takes the advice back.
    /// </summary>
    /// <remarks>
    /// Not for a file that flushes often: the kernel writes a dirty folio back whole, so each
    /// flush of a few records in a 2 MiB folio writes 2 MiB (measured 6x slower flushing every
    /// 4 KiB). A flush between two growths keeps small folios; the folios already large stay so.
    /// </remarks>
    private void AdviseForGrowth()
    {
        if (!_flushedSinceGrowth && !_largeFolios)
        {
            _largeFolios = _map.TryAdviseLargeFolios(large: true);
        }

        _flushedSinceGrowth = false;
    }

    /// <summary>What <see cref="Flush"/> does to the growth policy: the appends are flushed, so small folios again.</summary>
    private void AdviseForFlush()
    {
        _flushedSinceGrowth = true;
        if (_largeFolios)
        {
            _map.TryAdviseLargeFolios(large: false);
            _largeFolios = false;
        }
    }

    private void GrowTo(long capacity)
    {
        if (capacity > (long.MaxValue - _recordsOffset) / _stride)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The file would be larger than a file can be.");
        }

        // Resize only remaps (MREMAP_MAYMOVE) and extends the file with zeros: it never flushes.
        ResizeMap(_recordsOffset + (capacity * _stride));
    }

    /// <summary>
    /// The only place the map's length changes (growth here, the trim in <see cref="Dispose"/>): the
    /// map refuses everyone else (<see cref="MemoryMap.TakeOwnership"/>), and the capacity is read
    /// back from the live map, so it cannot go stale (issue 14, hole 10).
    /// </summary>
    /// <remarks>Never inlined: growth is rare, and its try/finally must stay out of the append paths.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ResizeMap(long length)
    {
        ThrowIfStoring("grow");
        _map.ResizeAsOwner(length);
        _capacity = (_map.Length - _recordsOffset) / _stride;
        _prefaulted = Math.Min(_prefaulted, _capacity);
    }
}
