using System;
using System.IO;
using System.Numerics;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Indexes;

/// <summary>
/// Builds a <see cref="MappedHashIndex{TKey, TValue}"/> file in bulk from keys and values given in
/// any order, more of them than fit in memory, writing the table front to back in one sequential
/// pass of large writes instead of inserting key by key into a mapped table (docs/indexes.md,
/// "Building in bulk"). <see cref="Formats.MappedContainer.BuildHashIndex{TKey, TValue}"/> writes
/// the same table into a container section.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value layout's view type (either kind), or <see cref="NoValue"/>.</typeparam>
/// <remarks>
/// <para>
/// Why slot order: probing is linear and never wraps, and a key's home is its hash's low bits, so
/// entries sorted by (home, hash) can be placed with one cursor (each at its home or right after
/// the previous entry, whichever is later) and the table comes out in increasing slot order. A
/// table larger than the kernel's dirty-page limits then costs one sequential write, not a write
/// fault for every insert into a page that write-back has cleaned.
/// </para>
/// <para>
/// Memory: entries are buffered up to the memory budget; past it the buffer is appended to a
/// temporary spill file in the run directory. <see cref="Build"/> then partitions every entry by
/// home range into temporary files beside the target, each about half a budget, and sorts and
/// places them one at a time (a partition that the key set crowds past the budget is sorted in
/// memory all the same). Sorting also takes 12 bytes per entry of a partition.
/// </para>
/// <para>
/// The result is what inserting the same keys one by one into <see cref="MappedHashIndex{TKey, TValue}.Create"/>
/// with the same options gives: the capacity is planned for <see cref="Added"/> entries (at least
/// <see cref="HashIndexOptions.InitialCapacity"/>), and doubled while the last run would pass the
/// tail, as an insert would grow it; every lookup, miss and the count agree. Later entries win: of
/// several entries with one key the last added is kept (as <c>Set</c> does), and the repeats still
/// count toward the planned capacity. Not thread-safe.
/// </para>
/// <para>
/// Crash safety as <c>Create</c>: the file is written under a temporary name beside the target,
/// synced, and only then linked to its name (never over an existing file), and the directory is
/// synced. A crash leaves no file at the path, only temporary files (<c>*.create-*.tmp</c> and
/// their partitions beside it, the spill file in the run directory) for the caller to remove.
/// </para>
/// </remarks>
public sealed class HashIndexBuilder<TKey, TValue> : IDisposable
    where TKey : struct
    where TValue : struct, IMappedView<TValue>
{
    /// <summary>The default memory budget for buffered entries: 64 MiB.</summary>
    public const long DefaultMemoryBudget = 64L << 20;

    // Beyond this many partitions the streams' buffers cost more than a partition saves.
    private const int MaximumPartitions = 256;

    // The table is written in writes of about this size, each ending on a FolioBytes boundary of the file.
    private const int WriteChunk = 4 << 20;

    // The page cache's largest folio (a PMD: 2 MiB), one constant with the sorted builder's stream.
    private const long FolioBytes = FolioAlignedWriteStream.FolioBytes;

    private readonly IndexKeyFormat<TKey> _keys;
    private readonly int _keySize;
    private readonly int _valueSize;
    private readonly int _stride;
    private readonly string _runDirectory;

    // Entries in slot format (hash, key, value, padding); the hash is filled in by Build, whose
    // options choose the seed.
    private readonly byte[] _buffer;
    private int _buffered;
    private FileStream? _spill;
    private string? _spillPath;
    private long _spilled;
    private long _added;
    private bool _disposed;

    /// <summary>Creates a builder.</summary>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys, <see cref="IndexKeyFormat.ForLayout{TLayout}"/> for a layout.</param>
    /// <param name="memoryBudget">The bytes of entries buffered in memory (a slot's size each) before they are spilled to a file; at least one entry's worth, at most 1 GiB.</param>
    /// <param name="runDirectory">Where the spill file goes; null for the system's temporary directory.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="memoryBudget"/> is too small for one entry or larger than 1 GiB.</exception>
    /// <exception cref="NotSupportedException">The key type needs a <paramref name="keyFormat"/>, or a layout is too large.</exception>
    public HashIndexBuilder(IndexKeyFormat<TKey>? keyFormat = null, long memoryBudget = DefaultMemoryBudget, string? runDirectory = null)
    {
        _keys = keyFormat ?? IndexKeyFormat<TKey>.Default;
        _stride = MappedHashIndex<TKey, TValue>.SlotStride(_keys);
        _keySize = _keys.Size;
        _valueSize = TValue.SizeInBytes;
        if (memoryBudget < _stride || memoryBudget > 1L << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(memoryBudget), memoryBudget, $"The budget must hold at least one {_stride}-byte entry and at most 1 GiB.");
        }

        _buffer = new byte[memoryBudget / _stride * _stride];
        _runDirectory = runDirectory ?? System.IO.Path.GetTempPath();
    }

    /// <summary>The entries given since the last build (repeated keys counted each time).</summary>
    public long Added => _added;

    /// <summary>How many of them were spilled to the run directory because they passed the memory budget.</summary>
    public long Spilled => _spilled;

    /// <summary>Adds (or, later in the input, replaces) <paramref name="key"/> with <paramref name="value"/>.</summary>
    /// <typeparam name="TLayout">The value's layout: the layout of <typeparamref name="TValue"/>.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The layout is not <typeparamref name="TValue"/>'s, or the key or value cannot be stored (nothing is added).</exception>
    /// <exception cref="IOException">The spill file cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public void Add<TLayout>(in TKey key, in TLayout value)
        where TLayout : struct, IMappedLayout<TLayout>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (TLayout.LayoutFingerprint != TValue.LayoutFingerprint || TLayout.SizeInBytes != _valueSize)
        {
            throw new ArgumentException($"{typeof(TLayout).FullName} is not the layout of {typeof(TValue).FullName}.", nameof(TLayout));
        }

        Span<byte> record = Reserve();
        try
        {
            _keys.Write(in key, record.Slice(sizeof(ulong), _keySize));
            TLayout.Store(record.Slice(sizeof(ulong) + _keySize, _valueSize), value);
        }
        catch
        {
            _buffered -= _stride;
            throw;
        }

        _added++;
    }

    /// <summary>Adds <paramref name="key"/> with a zeroed value (for a set of keys, <see cref="NoValue"/>).</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentException">A layout key cannot be stored (nothing is added).</exception>
    /// <exception cref="IOException">The spill file cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public void Add(in TKey key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> record = Reserve();
        try
        {
            _keys.Write(in key, record.Slice(sizeof(ulong), _keySize));
        }
        catch
        {
            _buffered -= _stride;
            throw;
        }

        _added++;
    }

    /// <summary>
    /// Writes everything given into a new hash index file at <paramref name="path"/>, in one
    /// sequential pass, synced and then linked into place; <see cref="MappedHashIndex{TKey, TValue}.Open"/>
    /// opens it. The builder is empty afterwards (whether the build succeeded or failed, unless it
    /// failed before anything was written: an existing path or bad options) and can be used again.
    /// </summary>
    /// <param name="path">The file to create; it must not exist.</param>
    /// <param name="options">Capacity, load factor, seed and tag, as for <c>Create</c>; null for the defaults.</param>
    /// <returns>The number of keys written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the builder keeps its entries).</exception>
    /// <exception cref="IOException">A file exists at <paramref name="path"/> (the builder keeps its entries), one appeared there during the build, or a file cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public long Build(string path, HashIndexOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(path);
        HashIndexHeader plan = Plan(options);
        string full = System.IO.Path.GetFullPath(path);
        string building = DirectorySync.NameWhileCreating(full, "hash index");
        try
        {
            HashIndexHeader written;
            using (var file = new FileStream(building, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
            {
                written = WriteTable(new FileTableSink(file.SafeFileHandle), plan, building);
                file.Flush(flushToDisk: true);
            }

            DirectorySync.LinkNew(building, full, "hash index");
            DirectorySync.SyncDirectoryOf(full);
            return (long)written.Count;
        }
        finally
        {
            File.Delete(building);
            Reset();
        }
    }

    /// <summary>The key format the builder stores keys in (the index's).</summary>
    internal IndexKeyFormat<TKey> KeyFormat => _keys;

    /// <summary>
    /// The table a build of what was added would start with: the capacity planned for <see cref="Added"/>
    /// entries (at least the options' initial capacity). Checks the options and changes nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    internal HashIndexHeader Plan(HashIndexOptions? options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        options ??= new HashIndexOptions();
        MappedHashIndex<TKey, TValue>.PlanNew(options, _keys, out _);
        return MappedHashIndex<TKey, TValue>.PlanNew(
            new HashIndexOptions
            {
                InitialCapacity = Math.Max(options.InitialCapacity, _added),
                MaxLoadPercent = options.MaxLoadPercent,
                Seed = options.Seed,
                Tag = options.Tag,
                TailSlots = options.TailSlots,
                HashFunction = options.HashFunction,
            },
            _keys,
            out _);
    }

    /// <summary>
    /// Writes the table <paramref name="plan"/> starts (from <see cref="Plan"/>) into <paramref name="sink"/>,
    /// as <see cref="Build"/> writes its file: the same placement, the header last. Partitions go
    /// to <c>{partitionBase}.part{n}.tmp</c>. The builder is empty afterwards, whether or not it succeeded.
    /// </summary>
    /// <returns>The header written: the final capacity and the count.</returns>
    internal HashIndexHeader BuildInto(HashTableSink sink, HashIndexHeader plan, string partitionBase)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return WriteTable(sink, plan, partitionBase);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Deletes the spill file.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Reset();
        }
    }

    private Span<byte> Reserve()
    {
        if (_buffered + _stride > _buffer.Length)
        {
            SpillBuffer();
        }

        Span<byte> record = _buffer.AsSpan(_buffered, _stride);
        record.Clear();
        _buffered += _stride;
        return record;
    }

    private void SpillBuffer()
    {
        if (_spill is null)
        {
            _spillPath = System.IO.Path.Combine(_runDirectory, $"overlay-hash-spill-{Guid.NewGuid():N}.tmp");
            _spill = new FileStream(_spillPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }

        _spill.Write(_buffer, 0, _buffered);
        _spilled += _buffered / _stride;
        _buffered = 0;
    }

    private void Reset()
    {
        _buffered = 0;
        _added = 0;
        _spilled = 0;
        _spill?.Dispose();
        _spill = null;
        if (_spillPath is not null)
        {
            File.Delete(_spillPath);
            _spillPath = null;
        }
    }

    /// <summary>Writes the slots and then the header into <paramref name="sink"/>; returns the header.</summary>
    private HashIndexHeader WriteTable(HashTableSink sink, HashIndexHeader plan, string partitionBase)
    {
        ulong preparedSeed = StableHash.PrepareSeed(plan.Seed);
        long capacity = (long)plan.Capacity;
        int tail = (int)plan.TailSlots;
        while (true)
        {
            sink.Reserve(HashIndexHeader.Size + ((capacity + tail) * _stride));
            var writer = new SlotWriter(sink, _stride, capacity + tail);
            long count = _spill is null
                ? PlaceInMemory(writer, capacity, preparedSeed, plan.HashFunction)
                : PlaceSpilled(writer, capacity, preparedSeed, plan.HashFunction, partitionBase);
            if (count >= 0)
            {
                writer.Finish();
                HashIndexHeader header = MappedHashIndex<TKey, TValue>.MakeHeader(
                    _keys, _keySize, _valueSize, _stride, tail, (int)plan.MaxLoadPercent, plan.HashFunction, plan.Seed, plan.Tag, capacity, count, HashIndexHeader.Clean);
                byte[] bytes = new byte[HashIndexHeader.Size];
                header.Write(bytes);
                sink.Write(bytes, 0);
                return header;
            }

            // A run reached the end of the tail: an insert would grow the table there, so the build
            // starts again at twice the capacity.
            capacity *= 2;
            if (capacity > MappedHashIndex<TKey, TValue>.MaximumCapacity)
            {
                throw new IOException($"{_added} entries do not fit in a hash index of at most {MappedHashIndex<TKey, TValue>.MaximumCapacity} slots.");
            }
        }
    }

    private long PlaceInMemory(SlotWriter writer, long capacity, ulong preparedSeed, uint function)
    {
        int records = _buffered / _stride;
        for (int i = 0; i < records; i++)
        {
            FillHash(_buffer.AsSpan(i * _stride, _stride), preparedSeed, function);
        }

        var sorter = new Sorter(records);
        return sorter.Place(_buffer, records, _stride, _keySize, BitOperations.Log2((ulong)capacity), writer, 0);
    }

    private long PlaceSpilled(SlotWriter writer, long capacity, ulong preparedSeed, uint function, string partitionBase)
    {
        // Everything goes to the spill file first: the buffer then sorts the partitions, and a
        // second attempt (at twice the capacity) reads every entry from the file again.
        if (_buffered > 0)
        {
            SpillBuffer();
        }

        int bits = BitOperations.Log2((ulong)capacity);
        long total = _spilled * _stride;
        int partitionBits = 0;
        while ((1L << partitionBits) * (_buffer.Length / 2) < total && (1 << partitionBits) < MaximumPartitions && partitionBits < bits)
        {
            partitionBits++;
        }

        int partitions = 1 << partitionBits;
        string[] names = new string[partitions];
        var streams = new FileStream?[partitions];
        try
        {
            for (int p = 0; p < partitions; p++)
            {
                names[p] = $"{partitionBase}.part{p}.tmp";
                streams[p] = new FileStream(names[p], FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            }

            ulong mask = (ulong)capacity - 1;
            void Distribute(Span<byte> records)
            {
                for (int offset = 0; offset < records.Length; offset += _stride)
                {
                    Span<byte> record = records.Slice(offset, _stride);
                    ulong hash = FillHash(record, preparedSeed, function);

                    // The partition is the home's top bits: partitions hold consecutive home ranges.
                    int p = (int)((hash & mask) >> (bits - partitionBits));
                    streams[p]!.Write(record);
                }
            }

            _spill!.Position = 0;
            byte[] chunk = new byte[Math.Max(_stride, (1 << 20) / _stride * _stride)];
            long remaining = _spilled * _stride;
            while (remaining > 0)
            {
                int want = (int)Math.Min(chunk.Length, remaining);
                _spill.ReadExactly(chunk, 0, want);
                Distribute(chunk.AsSpan(0, want));
                remaining -= want;
            }

            long largest = 0;
            for (int p = 0; p < partitions; p++)
            {
                largest = Math.Max(largest, streams[p]!.Length);
                streams[p]!.Flush();
            }

            if (largest > Array.MaxLength / _stride * (long)_stride)
            {
                throw new IOException($"The keys crowd {largest} bytes of entries into one range of homes, more than one array holds: the key set is too skewed for a bulk build.");
            }

            // Every partition is sorted in the buffer when it fits (the buffer's own entries are in
            // the partitions now), else in an array of its size.
            byte[] records = largest <= _buffer.Length ? _buffer : new byte[largest];
            var sorter = new Sorter((int)(largest / _stride));
            long count = 0;
            for (int p = 0; p < partitions; p++)
            {
                FileStream stream = streams[p]!;
                int length = (int)stream.Length;
                stream.Position = 0;
                stream.ReadExactly(records, 0, length);
                stream.Dispose();
                streams[p] = null;
                File.Delete(names[p]);
                count = sorter.Place(records, length / _stride, _stride, _keySize, bits, writer, count);
                if (count < 0)
                {
                    return -1;
                }
            }

            return count;
        }
        finally
        {
            for (int p = 0; p < partitions; p++)
            {
                streams[p]?.Dispose();
                if (names[p] is not null)
                {
                    File.Delete(names[p]);
                }
            }
        }
    }

    private ulong FillHash(Span<byte> record, ulong preparedSeed, uint function)
    {
        ulong hash = MappedHashIndex<TKey, TValue>.HashOf(record.Slice(sizeof(ulong), _keySize), preparedSeed, function);
        BitConverter.TryWriteBytes(record, hash);
        return hash;
    }

    /// <summary>Sorts entries by (home, hash) and places them, the last of each key winning.</summary>
    private sealed class Sorter(int capacity)
    {
        private readonly ulong[] _order = new ulong[capacity];
        private readonly int[] _index = new int[capacity];

        /// <summary>Places <paramref name="records"/> entries of <paramref name="buffer"/>; returns <paramref name="count"/> plus the keys placed, or -1 if a run passed the tail.</summary>
        public long Place(byte[] buffer, int records, int stride, int keySize, int bits, SlotWriter writer, long count)
        {
            ulong[] order = _order;
            int[] index = _index;
            for (int i = 0; i < records; i++)
            {
                // Rotated so that the home (the low bits) leads: one integer orders by (home, hash).
                order[i] = BitOperations.RotateRight(BitConverter.ToUInt64(buffer, i * stride), bits);
                index[i] = i;
            }

            Array.Sort(order, index, 0, records);
            int at = 0;
            while (at < records)
            {
                int end = at + 1;
                while (end < records && order[end] == order[at])
                {
                    end++;
                }

                if (end - at > 1)
                {
                    // Equal hashes (the same key added again, or a true collision): in the order
                    // added, so that the last of each key is the one kept.
                    Array.Sort(index, at, end - at);
                }

                for (int k = at; k < end; k++)
                {
                    ReadOnlySpan<byte> key = buffer.AsSpan((index[k] * stride) + sizeof(ulong), keySize);
                    bool replaced = false;
                    for (int later = k + 1; later < end && !replaced; later++)
                    {
                        replaced = key.SequenceEqual(buffer.AsSpan((index[later] * stride) + sizeof(ulong), keySize));
                    }

                    if (replaced)
                    {
                        continue;
                    }

                    long home = (long)(order[k] >> (64 - bits));
                    if (!writer.Place(buffer.AsSpan(index[k] * stride, stride), home))
                    {
                        return -1;
                    }

                    count++;
                }

                at = end;
            }

            return count;
        }
    }

    /// <summary>
    /// Writes slots in increasing order, in large writes after the header; empty slots are zeros.
    /// Every write but the last ends on a multiple of <see cref="FolioBytes"/> in the file, so
    /// that the page cache can hold the table in 2 MiB folios, which the kernel then maps with one
    /// TLB entry each rather than 512. Writes that straddled those boundaries (4 MiB less a partial
    /// slot, from offset 128) left half the table in small folios: at 50M keys, lookups in it cost
    /// about 15 times their cost in the other half (docs/benchmarks/indexes.md, "The cliff at 50M keys").
    /// </summary>
    private sealed class SlotWriter
    {
        private readonly HashTableSink _sink;
        private readonly int _stride;
        private readonly long _slotCount;
        private readonly long _fileOffset;

        // A write's worth and room for one more slot: a slot may straddle a write's end.
        private readonly byte[] _chunk;
        private int _filled;
        private long _position = HashIndexHeader.Size;
        private long _next;

        public SlotWriter(HashTableSink sink, int stride, long slotCount)
        {
            _sink = sink;
            _stride = stride;
            _slotCount = slotCount;
            _fileOffset = sink.FileOffset;
            _chunk = new byte[WriteChunk + stride];
        }

        /// <summary>Places an entry at its home or after the last one placed; false if that is past the tail.</summary>
        public bool Place(ReadOnlySpan<byte> record, long home)
        {
            long slot = Math.Max(home, _next);
            if (slot >= _slotCount)
            {
                return false;
            }

            Empty(slot - _next);
            if (_filled + _stride > _chunk.Length)
            {
                WriteToBoundary();
            }

            record.CopyTo(_chunk.AsSpan(_filled));
            _filled += _stride;
            _next = slot + 1;
            return true;
        }

        /// <summary>Empties the slots after the last entry and writes what is buffered.</summary>
        public void Finish()
        {
            Empty(_slotCount - _next);
            _next = _slotCount;
            _sink.Write(_chunk.AsSpan(0, _filled), _position);
            _position += _filled;
            _filled = 0;
        }

        private void Empty(long slots)
        {
            long bytes = slots * _stride;
            while (bytes > 0)
            {
                if (_filled == _chunk.Length)
                {
                    WriteToBoundary();
                }

                int part = (int)Math.Min(_chunk.Length - _filled, bytes);
                _chunk.AsSpan(_filled, part).Clear();
                _filled += part;
                bytes -= part;
            }
        }

        /// <summary>Writes the buffered bytes up to the last folio boundary they pass and keeps the rest.</summary>
        private void WriteToBoundary()
        {
            // The buffer holds more than a folio (WriteChunk is two), so a boundary is always inside it.
            long start = _fileOffset + _position;
            int length = (int)(((start + _filled) & ~(FolioBytes - 1)) - start);
            _sink.Write(_chunk.AsSpan(0, length), _position);
            _chunk.AsSpan(length, _filled - length).CopyTo(_chunk);
            _position += length;
            _filled -= length;
        }
    }
}
