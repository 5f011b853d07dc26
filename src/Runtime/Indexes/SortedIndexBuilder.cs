using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;

namespace Overlay.Indexes;

/// <summary>
/// Builds a <see cref="MappedSortedIndex{TKey, TValue}"/> file from keys and values given in any
/// order, more of them than fit in memory: entries are buffered up to a memory budget, each full
/// buffer is sorted and written to a temporary run file, and <see cref="Build"/> merges the runs
/// (and, for a rebuild, the entries of an existing index) into the new file.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value layout's view type (either kind), or <see cref="NoValue"/>.</typeparam>
/// <remarks>
/// Later entries win: of several entries with one key, the last added is kept; a key passed to
/// <see cref="Remove"/> after its last <c>Add</c> is left out, and an existing index's entries
/// count as added before everything else. <see cref="Build"/> writes a temporary file beside the
/// target, flushes it to the disk, and renames it over the target: a crash leaves the old file or the new
/// one, never a mix, and readers that have the old file open keep reading it. Not thread-safe.
/// </remarks>
public sealed class SortedIndexBuilder<TKey, TValue> : IDisposable
    where TKey : struct
    where TValue : struct, IMappedView<TValue>
{
    /// <summary>The default memory budget for buffered entries: 64 MiB.</summary>
    public const long DefaultMemoryBudget = 64L << 20;

    private const byte Put = 0;
    private const byte Delete = 1;

    private readonly IndexKeyFormat<TKey> _keys;
    private readonly int _keySize;
    private readonly int _valueSize;
    private readonly int _recordSize;
    private readonly string _runDirectory;
    private readonly List<string> _runs = new();
    private readonly byte[] _buffer;
    private int _buffered;
    private long _added;
    private bool _disposed;

    /// <summary>Creates a builder.</summary>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys.</param>
    /// <param name="memoryBudget">The bytes of entries buffered before a run is sorted and written out; at least one entry's worth.</param>
    /// <param name="runDirectory">Where run files go; null for the system's temporary directory.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="memoryBudget"/> is too small for one entry or larger than 1 GiB.</exception>
    /// <exception cref="NotSupportedException">The key type needs a <paramref name="keyFormat"/>, or a layout is too large.</exception>
    public SortedIndexBuilder(IndexKeyFormat<TKey>? keyFormat = null, long memoryBudget = DefaultMemoryBudget, string? runDirectory = null)
    {
        _keys = keyFormat ?? IndexKeyFormat<TKey>.Default;
        _keySize = _keys.Size;
        _valueSize = TValue.SizeInBytes;
        if (_keySize is <= 0 or > IndexKeyFormat.MaximumKeySize || _valueSize is < 0 or > (1 << 20))
        {
            throw new NotSupportedException($"A sorted index holds keys of 1 to {IndexKeyFormat.MaximumKeySize} bytes and values of up to 1 MiB; {_keys.Name} is {_keySize} and {typeof(TValue).FullName} {_valueSize}.");
        }

        _recordSize = 1 + _keySize + _valueSize;
        if (memoryBudget < _recordSize || memoryBudget > 1L << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(memoryBudget), memoryBudget, $"The budget must hold at least one {_recordSize}-byte entry and at most 1 GiB.");
        }

        _buffer = new byte[memoryBudget / _recordSize * _recordSize];
        _runDirectory = runDirectory ?? System.IO.Path.GetTempPath();
    }

    /// <summary>The entries and removals given since the last build.</summary>
    public long Added => _added;

    /// <summary>The run files written so far (each a sorted memory budget's worth).</summary>
    public int Runs => _runs.Count;

    /// <summary>Adds (or, later in the input, replaces) <paramref name="key"/> with <paramref name="value"/>.</summary>
    /// <typeparam name="TLayout">The value's layout: the layout of <typeparamref name="TValue"/>.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The layout is not <typeparamref name="TValue"/>'s, or the key or value cannot be stored (nothing is added).</exception>
    /// <exception cref="IOException">A run file cannot be written.</exception>
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
            _keys.Write(in key, record.Slice(1, _keySize));
            TLayout.Store(record.Slice(1 + _keySize, _valueSize), value);
        }
        catch
        {
            _buffered -= _recordSize;
            throw;
        }

        record[0] = Put;
        _added++;
    }

    /// <summary>Adds <paramref name="key"/> with a zeroed value (for a set of keys, <see cref="NoValue"/>).</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentException">A layout key cannot be stored.</exception>
    /// <exception cref="IOException">A run file cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public void Add(in TKey key) => AddKey(in key, Put);

    /// <summary>Leaves <paramref name="key"/> out of the result (unless it is added again later): for rebuilding an existing index.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentException">A layout key cannot be stored.</exception>
    /// <exception cref="IOException">A run file cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public void Remove(in TKey key) => AddKey(in key, Delete);

    /// <summary>
    /// Merges everything given (and <paramref name="existing"/>'s entries, older than all of it) into
    /// a new sorted index file at <paramref name="path"/>, replacing any file there by a rename once
    /// the new one is on the disk. The builder is empty afterwards and can be used again.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="existing">An index whose entries to start from (it may be the file at <paramref name="path"/>: it stays readable), or null.</param>
    /// <param name="tag">The application tag to record.</param>
    /// <returns>The number of keys written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="InvalidDataException"><paramref name="existing"/> is damaged (its keys are not in increasing order); nothing is written and the builder is empty.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public long Build(string path, MappedSortedIndex<TKey, TValue>? existing = null, ulong tag = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(path);
        string full = System.IO.Path.GetFullPath(path);
        string temporary = $"{full}.build-{Guid.NewGuid():N}.tmp";
        try
        {
            long count;
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
            {
                // Written in 2 MiB-aligned writes, so the fresh file sits in the page cache in
                // large folios, which lookups then reach through one TLB entry per 2 MiB.
                using (var aligned = new FolioAlignedWriteStream(output))
                {
                    count = BuildInto(aligned, existing, tag, temporary + ".values");
                    aligned.Flush();
                }

                output.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
            return count;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The key format entries are stored with.</summary>
    internal IndexKeyFormat<TKey> KeyFormat => _keys;

    /// <summary>The format version to write: 3, or 2 (no radix table) or 1 (the Eytzinger summary) for the tests that check older files still open.</summary>
    internal uint FormatVersion { get; set; } = SortedIndexHeader.Version;

    /// <summary>The most keys a build can write: every entry given, and <paramref name="existing"/>'s.</summary>
    internal long MaximumCount(MappedSortedIndex<TKey, TValue>? existing) => (existing?.Count ?? 0) + _added;

    /// <summary>
    /// The merge of <see cref="Build"/> into <paramref name="output"/> (a file, or a container
    /// section's bytes), from its position 0, without flushing it; the builder is empty afterwards.
    /// </summary>
    internal long BuildInto(Stream output, MappedSortedIndex<TKey, TValue>? existing, ulong tag, string? valuesTemporary = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SpillRun();
        valuesTemporary ??= System.IO.Path.Combine(_runDirectory, $"overlay-values-{Guid.NewGuid():N}.tmp");
        var sources = new List<RunSource>();
        try
        {
            if (existing is not null)
            {
                sources.Add(new IndexSource(existing, _keySize, _valueSize));
            }

            foreach (string run in _runs)
            {
                sources.Add(new FileSource(run, _recordSize));
            }

            return Merge(sources, output, valuesTemporary, tag, MaximumCount(existing));
        }
        finally
        {
            foreach (RunSource source in sources)
            {
                source.Dispose();
            }

            File.Delete(valuesTemporary);
            DeleteRuns();
        }
    }

    /// <summary>Deletes the run files.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            DeleteRuns();
        }
    }

    private void AddKey(in TKey key, byte kind)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> record = Reserve();
        try
        {
            _keys.Write(in key, record.Slice(1, _keySize));
        }
        catch
        {
            _buffered -= _recordSize;
            throw;
        }

        record[0] = kind;
        record[(1 + _keySize)..].Clear();
        _added++;
    }

    private Span<byte> Reserve()
    {
        if (_buffered + _recordSize > _buffer.Length)
        {
            SpillRun();
        }

        Span<byte> record = _buffer.AsSpan(_buffered, _recordSize);
        _buffered += _recordSize;
        return record;
    }

    /// <summary>Sorts the buffer (stably, by key) and writes it as a run, keeping the last entry of each key.</summary>
    private void SpillRun()
    {
        int records = _buffered / _recordSize;
        if (records == 0)
        {
            return;
        }

        int[] order = new int[records];
        for (int i = 0; i < records; i++)
        {
            order[i] = i;
        }

        byte[] buffer = _buffer;
        int size = _recordSize;
        int keySize = _keySize;
        Array.Sort(order, (a, b) =>
        {
            int byKey = IndexKeyFormat<TKey>.Compare(buffer.AsSpan((a * size) + 1, keySize), buffer.AsSpan((b * size) + 1, keySize));
            return byKey != 0 ? byKey : a.CompareTo(b);
        });

        string run = System.IO.Path.Combine(_runDirectory, $"overlay-run-{Guid.NewGuid():N}.tmp");
        _runs.Add(run);
        using (var stream = new FileStream(run, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            for (int i = 0; i < records; i++)
            {
                // The last of equal keys wins: skip an entry whose successor has its key.
                if (i + 1 < records && IndexKeyFormat<TKey>.Compare(buffer.AsSpan((order[i] * size) + 1, keySize), buffer.AsSpan((order[i + 1] * size) + 1, keySize)) == 0)
                {
                    continue;
                }

                stream.Write(buffer, order[i] * size, size);
            }
        }

        _buffered = 0;
    }

    private long Merge(List<RunSource> sources, Stream keys, string valuesTemporary, ulong tag, long maximumCount)
    {
        // Newest first among equal keys: a higher source index is newer (the existing index is 0).
        var queue = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) =>
        {
            int byKey = IndexKeyFormat<TKey>.Compare(sources[a].Key, sources[b].Key);
            return byKey != 0 ? byKey : b.CompareTo(a);
        }));
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i].MoveNext())
            {
                queue.Enqueue(i, i);
            }
        }

        long count = 0;
        var summary = new List<byte[]>();
        var radix = new MappedSortedIndex<TKey, TValue>.RadixTableBuilder(FormatVersion == SortedIndexHeader.Version ? maximumCount : 0);
        long blockSize = SortedIndexHeader.DefaultBlockSize;
        using (var values = new FileStream(valuesTemporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
        {
            keys.Position = SortedIndexHeader.Size;
            byte[] key = new byte[_keySize];
            while (queue.TryDequeue(out int winner, out _))
            {
                RunSource source = sources[winner];
                source.Key.CopyTo(key);
                bool put = source.Kind == Put;
                if (put)
                {
                    if (count % blockSize == 0)
                    {
                        summary.Add((byte[])key.Clone());
                    }

                    keys.Write(key);
                    radix.Add(key);
                    values.Write(source.Value);
                    count++;
                }

                Advance(queue, sources, winner);

                // Older entries with the same key lose.
                while (queue.TryPeek(out int other, out _) && IndexKeyFormat<TKey>.Compare(sources[other].Key, key) == 0)
                {
                    queue.Dequeue();
                    Advance(queue, sources, other);
                }
            }

            (ulong radixMin, uint radixShift, uint radixBuckets) = radix.Finish();
            var regions = MappedSortedIndex<TKey, TValue>.Regions(count, _keySize, _valueSize, blockSize, FormatVersion, radixBuckets)
                ?? throw new IOException($"{count} entries do not fit in a file.");
            if (FormatVersion == SortedIndexHeader.Version)
            {
                // Version 3: the tree and the table right after the keys, the values last (Regions).
                keys.SetLength(regions.Summary);
                keys.Position = regions.Summary;
                WriteTree(keys, summary);
                keys.SetLength(regions.Radix);
                keys.Position = regions.Radix;
                radix.Write(keys);
                keys.SetLength(regions.Values);
                keys.Position = regions.Values;
                values.Position = 0;
                values.CopyTo(keys);
            }
            else
            {
                keys.SetLength(regions.Values);
                keys.Position = regions.Values;
                values.Position = 0;
                values.CopyTo(keys);
                keys.SetLength(regions.Summary);
                keys.Position = regions.Summary;
                if (FormatVersion == SortedIndexHeader.Version1)
                {
                    WriteSummary(keys, summary, regions.Summary);
                }
                else
                {
                    WriteTree(keys, summary);
                }
            }

            keys.SetLength(regions.End);
            var header = new SortedIndexHeader(
                SortedIndexHeader.ExpectedMagic, FormatVersion, SortedIndexHeader.Size, (uint)_keySize, (uint)_valueSize,
                _keys.Fingerprint, TValue.LayoutFingerprint, (ulong)count, (uint)blockSize, MappedSortedIndex<TKey, TValue>.KeyOrder,
                (ulong)regions.SummaryCount, (ulong)regions.Keys, (ulong)regions.Values, (ulong)regions.Summary, tag, radixMin, radixShift, radixBuckets, true, 0);
            byte[] headerBytes = new byte[SortedIndexHeader.Size];
            header.Write(headerBytes);
            keys.Position = 0;
            keys.Write(headerBytes);
        }

        return count;
    }

    private static void Advance(PriorityQueue<int, int> queue, List<RunSource> sources, int index)
    {
        if (sources[index].MoveNext())
        {
            queue.Enqueue(index, index);
        }
    }

    /// <summary>
    /// The version 2 summary: a static B+-tree over the blocks (MappedSortedIndex.Tree.cs), level
    /// by level from the root. Key t of node i of a level is the first key under its child
    /// 17i + t + 1; a node short of children (only a level's last) is padded with the level's
    /// largest first key, which the search's clamp expects.
    /// </summary>
    private static void WriteTree(Stream stream, List<byte[]> blockFirstKeys)
    {
        // The first keys under each node, level by level from the bottom: the first key of a
        // node is the first key of its child 0.
        var below = new List<List<byte[]>> { blockFirstKeys };
        while (below[^1].Count > 1)
        {
            List<byte[]> children = below[^1];
            var firsts = new List<byte[]>((children.Count + SortedIndexHeader.Fanout - 1) / SortedIndexHeader.Fanout);
            for (int i = 0; i < children.Count; i += SortedIndexHeader.Fanout)
            {
                firsts.Add(children[i]);
            }

            below.Add(firsts);
        }

        // Level L's nodes are over below[L - 1]'s entries; the root's level is the last list made.
        for (int level = below.Count - 1; level >= 1; level--)
        {
            List<byte[]> children = below[level - 1];
            int nodes = below[level].Count;
            byte[] largest = children[^1];
            for (long node = 0; node < nodes; node++)
            {
                for (int t = 0; t < SortedIndexHeader.NodeKeys; t++)
                {
                    long child = (node * SortedIndexHeader.Fanout) + t + 1;
                    stream.Write(child < children.Count ? children[(int)child] : largest);
                }
            }
        }
    }

    /// <summary>The version 1 block summary in Eytzinger order (node k's children are 2k and 2k + 1), then each node's block number.</summary>
    private void WriteSummary(Stream stream, List<byte[]> sorted, long summaryOffset)
    {
        int m = sorted.Count;
        var eytzinger = new byte[m][];
        var ranks = new long[m];
        int next = 0;

        // An in-order walk of the implicit tree hands out the sorted keys in order.
        var stack = new Stack<int>();
        int node = 1;
        while (stack.Count > 0 || node <= m)
        {
            if (node <= m)
            {
                stack.Push(node);
                node *= 2;
            }
            else
            {
                node = stack.Pop();
                eytzinger[node - 1] = sorted[next];
                ranks[node - 1] = next;
                next++;
                node = (node * 2) + 1;
            }
        }

        foreach (byte[] key in eytzinger)
        {
            stream.Write(key);
        }

        stream.Position = MappedSortedIndex<TKey, TValue>.RanksOffset(summaryOffset, m, _keySize);
        Span<byte> rank = stackalloc byte[sizeof(ulong)];
        foreach (long r in ranks)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(rank, (ulong)r);
            stream.Write(rank);
        }
    }

    private void DeleteRuns()
    {
        foreach (string run in _runs)
        {
            File.Delete(run);
        }

        _runs.Clear();
        _buffered = 0;
        _added = 0;
    }

    /// <summary>A sorted source of entries for the merge.</summary>
    private abstract class RunSource : IDisposable
    {
        public abstract ReadOnlySpan<byte> Key { get; }

        public abstract ReadOnlySpan<byte> Value { get; }

        public abstract byte Kind { get; }

        public abstract bool MoveNext();

        public virtual void Dispose()
        {
        }
    }

    private sealed class FileSource(string path, int recordSize) : RunSource
    {
        private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        private readonly byte[] _record = new byte[recordSize];

        public override ReadOnlySpan<byte> Key => _record.AsSpan(1, recordSize - 1 - TValue.SizeInBytes);

        public override ReadOnlySpan<byte> Value => _record.AsSpan(recordSize - TValue.SizeInBytes);

        public override byte Kind => _record[0];

        public override bool MoveNext() => _stream.ReadAtLeast(_record, recordSize, throwOnEndOfStream: false) == recordSize;

        public override void Dispose() => _stream.Dispose();
    }

    private sealed class IndexSource(MappedSortedIndex<TKey, TValue> index, int keySize, int valueSize) : RunSource
    {
        private readonly byte[] _key = new byte[keySize];
        private readonly byte[] _value = new byte[valueSize];
        private readonly byte[] _previous = new byte[keySize];
        private readonly long _count = index.Count;
        private long _position = -1;

        public override ReadOnlySpan<byte> Key => _key;

        public override ReadOnlySpan<byte> Value => _value;

        public override byte Kind => Put;

        public override bool MoveNext()
        {
            if (++_position >= _count)
            {
                return false;
            }

            if (_position > 0)
            {
                _key.CopyTo(_previous, 0);
            }

            index.CopyEntry(_position, _key, _value);

            // The merge trusts each source to be sorted; a damaged file's keys may not be, and
            // merging them would write an index whose lookups miss keys it holds (found by fuzzing).
            if (_position > 0 && IndexKeyFormat<TKey>.Compare(_previous, _key) >= 0)
            {
                throw new InvalidDataException($"The existing index {index.Path} is damaged: its keys are not in increasing order at entry {_position} of {_count}; nothing was written.");
            }

            return true;
        }
    }
}
