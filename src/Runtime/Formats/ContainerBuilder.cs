using System;
using System.Collections.Generic;
using System.Buffers;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Formats;

/// <summary>
/// Writes a container once, in one pass, for files that never change (asset packs, baked data):
/// add sections, append records, blobs and bytes to them in any interleaving, then <see cref="Seal"/>.
/// The sealed file has no free space, is flagged sealed, and opens with
/// <see cref="MappedContainer.Open"/> (read-only) after the header checks alone.
/// </summary>
/// <remarks>
/// <para>
/// Each section's bytes are stored into a 1 MiB chunk of its own and written a chunk at a time.
/// The first section to fill a chunk (usually the fastest-growing one) streams straight into the
/// new file; the others go to temporary files next to it and are copied in by <see cref="Seal"/>,
/// and a section that never fills a chunk is written once, by <see cref="Seal"/>. Records added
/// with a capacity hint (<see cref="AddRecords{TRecord}(string, long)"/>) have their extent
/// reserved before the streaming section, so both are written once. Every 64 MiB written, the new
/// file is flushed to disk in the background, so that <see cref="Seal"/>'s flush has little left. The
/// new file is written under a temporary name and renamed over <c>path</c> only once it is
/// complete and flushed to disk, so a crash never leaves a half-written file at <c>path</c>, and
/// an existing file there is replaced atomically.
/// </para>
/// <para>
/// Created with <c>flushToDisk: false</c>, the builder makes no flush at all (none in the background,
/// none in <see cref="Seal"/>, no sync of the directory) and leaves its bytes in the OS cache, as a
/// <see cref="FileStream"/> that is never flushed to disk does: the file survives the process's crash
/// (the rename still comes after every write), not the system's (<c>docs/formats.md</c> §1.4).
/// </para>
/// <para>Not thread-safe. <see cref="Dispose"/> without <see cref="Seal"/> abandons the file and removes every temporary file.</para>
/// </remarks>
public sealed class ContainerBuilder : IDisposable
{
    /// <summary>Bytes written into the new file between two background flushes.</summary>
    internal const long FlushStep = 64L << 20;

    private readonly string _path;
    private readonly bool _flushToDisk;
    private readonly string _temp;
    private readonly ulong _tag;
    private readonly int _slotSize;
    private readonly SafeFileHandle _output;
    private readonly List<BuilderSection> _sections = new();
    private readonly List<SafeFileHandle> _spills = new();
    private readonly List<BuilderSection> _reserved = new();
    private BuilderSection? _inPlace;
    private readonly List<(byte[] Bytes, int Index)> _schemas = new();
    private bool _sealed;

    // Why the builder is spent after a Seal that threw: the failure and the state it left the
    // files in, for every later call's message (docs/formats.md §1.4). Null until one fails.
    private string? _sealFailure;
    private Exception? _sealError;
    private bool _disposed;

    // _sealed || _disposed: the one field every append reads (ThrowIfSealed), twice a record.
    private bool _closed;
    private long _unflushed;
    private Task? _flush;
    private Task _writes = Task.CompletedTask;
    private int _flushes;

    private ContainerBuilder(string path, string temp, ulong tag, int slotSize, SafeFileHandle output, bool flushToDisk)
    {
        _path = path;
        _flushToDisk = flushToDisk;
        _temp = temp;
        _tag = tag;
        _slotSize = slotSize;
        _output = output;
    }

    /// <summary>Starts a new file that will replace <paramref name="path"/> when sealed.</summary>
    /// <param name="path">Where the sealed file goes; an existing file there stays until <see cref="Seal"/> replaces it.</param>
    /// <param name="tag">The application's tag.</param>
    /// <param name="maximumEntries">Room in the table (at least the number of sections).</param>
    /// <param name="flushToDisk">
    /// <see langword="true"/> (the default): <see cref="Seal"/> is durable, it flushes the file to disk
    /// before the rename and syncs the directory after it, and the file is flushed in the background
    /// every 64 MiB written. <see langword="false"/>: no flush at all, as
    /// <see cref="FileStream.Flush(bool)"/> with <see langword="false"/>; the bytes stay in the OS
    /// cache and reach the disk when the OS writes them back. The sealed file's bytes are the same.
    /// It survives the process's crash (the rename comes after every write: the path holds the old
    /// file or the complete new one), not the system's: after a power loss the path may hold the old
    /// file, or the new one with parts missing (zeros) that still opens. For files that can be rebuilt
    /// (a build step's output), as LMDB's <c>MDB_NOSYNC</c> or SQLite's <c>synchronous=OFF</c>
    /// (<c>docs/formats.md</c> §1.4).
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumEntries"/> is below 1 or above 8191.</exception>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    public static ContainerBuilder Create(string path, ulong tag, int maximumEntries = 31, bool flushToDisk = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        int slotSize = maximumEntries < 1 ? 0 : ContainerFormat.SlotSizeFor(maximumEntries);
        if (slotSize == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumEntries), maximumEntries, $"A container's table holds 1 to {ContainerFormat.EntriesPerSlot(ContainerFormat.MaximumSlotSize)} entries.");
        }

        string full = Path.GetFullPath(path);
        string temp = $"{full}.build-{Guid.NewGuid():N}.tmp";
        SafeFileHandle output = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        return new ContainerBuilder(full, temp, tag, slotSize, output, flushToDisk);
    }

    /// <summary>Adds a section of records of <typeparamref name="TRecord"/>'s layout.</summary>
    /// <typeparam name="TRecord">The layout.</typeparam>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL, unique.</param>
    /// <returns>The writer that appends to it.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public RecordsWriter<TRecord> AddRecords<TRecord>(string name)
        where TRecord : struct, IMappedLayout<TRecord> => AddRecords<TRecord>(name, 0);

    /// <summary>
    /// Adds a section of records of <typeparamref name="TRecord"/>'s layout that will hold about
    /// <paramref name="expectedCount"/> records: their extent is reserved in the new file, so the
    /// records are written once, in place, beside the section that streams (<c>docs/formats.md</c> §1.4).
    /// </summary>
    /// <remarks>
    /// A wrong hint costs time, never correctness: records past the hint spill to a temporary file,
    /// and <see cref="Seal"/> moves what follows a reservation that was too large or too small, so
    /// the sealed file is byte for byte the one an exact hint gives. A hint given once another section has started
    /// streaming into the new file (its first 1 MiB written) is ignored.
    /// </remarks>
    /// <typeparam name="TRecord">The layout.</typeparam>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL, unique.</param>
    /// <param name="expectedCount">The records expected; 0 reserves nothing.</param>
    /// <returns>The writer that appends to it.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedCount"/> is negative, or its records are larger than a file can be.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public RecordsWriter<TRecord> AddRecords<TRecord>(string name, long expectedCount)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        int size = TRecord.SizeInBytes;
        if (size <= 0)
        {
            throw new ArgumentException($"{typeof(TRecord).FullName}.SizeInBytes is {size}: a record has at least one byte.", nameof(TRecord));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(expectedCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expectedCount, (long.MaxValue / 4) / size, nameof(expectedCount));

        // Its schema section follows it (docs/formats.md, Schemas §4); it never fills a chunk, so it
        // is written once, by Seal (§1.4). Identical schemas are stored once.
        byte[] schema = LayoutSchema.Encode(TRecord.LayoutInfo);
        int existing = _schemas.FindIndex(s => s.Bytes.AsSpan().SequenceEqual(schema));
        if (existing < 0 && _sections.Count + 2 > ContainerFormat.EntriesPerSlot(_slotSize))
        {
            throw new InvalidOperationException($"The table is full ({ContainerFormat.EntriesPerSlot(_slotSize)} entries; a records section needs one more for its schema): create the builder with a larger maximumEntries.");
        }

        BuilderSection records = Add(name, SectionKind.Records, (uint)size, TRecord.LayoutFingerprint);
        if (existing >= 0)
        {
            records.Entry.Schema = (uint)_schemas[existing].Index + 1;
        }
        else
        {
            int index = _sections.Count;
            Add(SchemaSectionName(), SectionKind.Schema, 1, 0).Append(schema);
            _schemas.Add((schema, index));
            records.Entry.Schema = (uint)index + 1;
        }

        if (expectedCount > 0 && _inPlace is null)
        {
            // Reservations come first, after the meta slots, in the order added; the section that
            // streams starts after the last one (PlaceSpill). Seal lays out the same way, so with
            // exact hints nothing moves.
            records.Reserve(_output, NextOrigin(), expectedCount * size);
            _reserved.Add(records);
        }

        return new RecordsWriter<TRecord>(records);
    }

    /// <summary>Adds a heap: a section of blobs addressed by <see cref="HeapRef"/>s, in the heap format (<c>docs/formats.md</c> §1.3).</summary>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL, unique.</param>
    /// <returns>The writer that appends blobs to it.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public HeapWriter AddHeap(string name)
    {
        BuilderSection section = Add(name, SectionKind.Heap, ContainerFormat.HeapGranule, 0);
        section.AppendZeros(ContainerFormat.HeapReservedBytes);
        return new HeapWriter(section);
    }

    /// <summary>Adds a section of raw bytes.</summary>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL, unique.</param>
    /// <returns>The writer that appends to it.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public RawWriter AddRaw(string name) => new(Add(name, SectionKind.Raw, 1, 0));

    /// <summary>
    /// Lays the sections out, writes both meta slots (flag sealed), flushes the file to disk and
    /// renames it to the path given to <see cref="Create"/>, then syncs the directory; a builder
    /// created with <c>flushToDisk: false</c> neither flushes nor syncs.
    /// </summary>
    /// <remarks>
    /// A <see cref="Seal"/> that throws spends the builder (its files are closed and what it
    /// held may be released), so every later call throws an <see cref="InvalidOperationException"/> that says the seal
    /// failed, why (its <see cref="Exception.InnerException"/> is the failure) and what is on disk.
    /// A failure before the rename (a write, a move, the flush) removes the new file and every
    /// temporary file and leaves <c>path</c> untouched; one after it (the directory's sync) leaves the
    /// complete, flushed sealed file at <c>path</c>, whose name may not survive a power loss
    /// (<c>docs/formats.md</c> §1.4).
    /// </remarks>
    /// <returns>The sealed file's length.</returns>
    /// <exception cref="InvalidOperationException">Already sealed, or an earlier <see cref="Seal"/> failed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    /// <exception cref="IOException">Writing or renaming failed (a full disk, a file-size limit); before the rename the temporary files are removed and <c>path</c> is untouched, after it (the directory's sync) the sealed file is at <c>path</c>.</exception>
    public long Seal()
    {
        ThrowIfSealed();
        _sealed = true;
        _closed = true;
        byte[]? copy = null;
        bool renamed = false;
        try
        {
            // The sections written into the new file (reserved ones in the order added, then the one
            // that streamed) are first, from the meta slots' end; the others follow them on page
            // boundaries in table order (offsets need not follow the table: §1).
            var entries = new SectionEntry[_sections.Count];
            var resident = new List<BuilderSection>(_reserved);
            if (_inPlace is not null)
            {
                resident.Add(_inPlace);
            }

            long position = 2L * _slotSize;
            long end = position;
            long stale = position;
            bool rewound = false;
            var origins = new long[resident.Count];
            foreach (BuilderSection section in _sections)
            {
                // Every chunk handed to a write is written before anything is placed or copied; a
                // write that failed is written again here, and failing again fails the seal.
                section.Settle();
            }

            for (int i = 0; i < resident.Count; i++)
            {
                BuilderSection section = resident[i];
                section.Spill();
                section.Settle();
                origins[i] = section.Origin;
                stale = Math.Max(stale, section.Origin + Math.Max(section.InOutput, section.Reached));
                rewound |= section.Reached > section.InOutput;
                position = Place(section, i == 0 ? position : ContainerFormat.AlignUp(position, ContainerFormat.ExtentAlignment), ref end);
            }

            copy = ArrayPool<byte>.Shared.Rent(BuilderSection.ChunkSize);
            bool moved = MoveResidents(resident, origins, copy);
            foreach (BuilderSection section in resident)
            {
                if (section.Overflow is not null)
                {
                    CopySpill(section, section.Overflow, section.Written - section.Reserved, section.Entry.Offset + section.Reserved, copy);
                }
            }

            foreach (BuilderSection section in _sections)
            {
                if (resident.Contains(section))
                {
                    continue;
                }

                long offset = ContainerFormat.AlignUp(position, ContainerFormat.ExtentAlignment);
                if (section.Handle is not null)
                {
                    CopySpill(section, section.Handle, section.Written, offset, copy);
                }

                BuilderWrites.Write(_output, section.Pending, offset + section.Written);
                position = Place(section, offset, ref end);
            }

            // A record refused after its heap bytes were written out (BuilderSection.Rewind) left
            // them past its section's new end: where no section and no truncation covers them, in the
            // gaps between sections, they are zeroed as after a move.
            if (moved || rewound)
            {
                ZeroGaps(Math.Min(stale, end), copy);
            }

            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = _sections[i].Entry;
                entries[i].Capacity = entries[i].Length;
                _sections[i].Release();
            }

            // A background flush that failed fails the seal: its error may not be reported again
            // by the flush below (Linux reports a writeback error to one fsync only).
            _flush?.GetAwaiter().GetResult();
            BuilderWrites.SetLength(_output, end);
            WriteSlots(entries);
            if (_flushToDisk)
            {
                _flushes++;
                RandomAccess.FlushToDisk(_output);
            }

            CloseStreams();
            File.Move(_temp, _path, overwrite: true);
            renamed = true;
            if (_flushToDisk)
            {
                _flushes++;
                DirectorySync.SyncDirectoryOf(_path);
            }

            return end;
        }
        catch (Exception e)
        {
            CloseStreams();
            _sealError = e;
            _sealFailure = renamed
                ? $"Seal failed after it renamed the new file to '{_path}': the sealed file is there, complete and flushed, but its name may not survive a power loss"
                : $"Seal failed before the new file was complete: {Abandon()}";
            throw;
        }
        finally
        {
            if (copy is not null)
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
    }

    /// <summary>Closes the builder; without <see cref="Seal"/>, abandons the file (nothing appears at the path).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _closed = true;
        CloseStreams();
        if (!_sealed || _sealFailure is not null)
        {
            // A failed Seal removed the new file already, unless that failed too: this tries again.
            TryDelete(_temp);
        }
    }

    /// <summary>Throws when the builder is sealed, spent or disposed: one read on the append path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ThrowIfSealed()
    {
        if (_closed)
        {
            ThrowClosed();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowClosed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sealFailure is not null)
        {
            throw new InvalidOperationException($"{_sealFailure} ({_sealError!.GetType().Name}: {_sealError.Message}). The builder is spent: nothing more can be added or sealed; build the file again with a new builder.", _sealError);
        }

        if (_sealed)
        {
            throw new InvalidOperationException("The builder is sealed: nothing more can be added.");
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // After a Seal that failed before the rename: the new file goes (its spills went with their
    // handles, DeleteOnClose). A failed delete must not hide the seal's own exception: it is told.
    private string Abandon() => TryDelete(_temp)
        ? $"the new file was removed and '{_path}' is untouched"
        : $"'{_path}' is untouched, but the new file '{_temp}' could not be removed: delete it (it is not the file at the path, and may be incomplete)";

    // Both meta slots (docs/formats.md §3: generation 1 in slot 1, 2 in slot 0) through
    // BuilderWrites, so that their failure is the IOException of every other write of the builder.
    private void WriteSlots(SectionEntry[] entries)
    {
        byte[] slot = new byte[ContainerFormat.PrefixSize + (entries.Length * ContainerFormat.EntrySize)];
        for (ulong generation = 1; generation <= 2; generation++)
        {
            MappedContainer.EncodeSlot(slot, _tag, ContainerFormat.SealedFlag, _slotSize, generation, entries);
            BuilderWrites.Write(_output, slot, (long)(generation % 2) * _slotSize);
        }
    }

    // "schema.N", N the schemas so far, or the next N the caller's own sections left free: a name
    // the caller took must not refuse the schema after its records section was added (the records
    // would stay, without a schema, under a message about a name the caller never passed here).
    private string SchemaSectionName()
    {
        for (int i = _schemas.Count; ; i++)
        {
            string name = $"schema.{i}";
            if (!_sections.Exists(s => string.Equals(s.Entry.Name, name, StringComparison.Ordinal)))
            {
                return name;
            }
        }
    }

    private BuilderSection Add(string name, SectionKind kind, uint stride, ulong fingerprint)
    {
        SectionEntry.CheckName(name, nameof(name));
        ThrowIfSealed();
        if (_sections.Exists(s => string.Equals(s.Entry.Name, name, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The builder already has a section '{name}'.", nameof(name));
        }

        if (_sections.Count >= ContainerFormat.EntriesPerSlot(_slotSize))
        {
            throw new InvalidOperationException($"The table is full ({ContainerFormat.EntriesPerSlot(_slotSize)} entries): create the builder with a larger maximumEntries.");
        }

        var entry = new SectionEntry { Name = name, Kind = kind, Stride = stride, Fingerprint = fingerprint };

        var section = new BuilderSection(this, entry);
        _sections.Add(section);
        return section;
    }

    /// <summary>
    /// Where <paramref name="section"/>'s first full chunk goes: if no section streams in place yet,
    /// the new file right after the meta slots (it stays there); otherwise a temporary file next to
    /// it, removed when closed, which <see cref="Seal"/> copies in.
    /// </summary>
    internal (SafeFileHandle Handle, long Origin) PlaceSpill(BuilderSection section)
    {
        if (_inPlace is null && section.Reserved == 0)
        {
            _inPlace = section;
            return (_output, NextOrigin());
        }

        SafeFileHandle spill = File.OpenHandle($"{_temp}.{_spills.Count + 1}", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        _spills.Add(spill);
        return (spill, 0);
    }

    internal bool IsOutput(SafeFileHandle handle) => ReferenceEquals(handle, _output);

    /// <summary>
    /// Runs a section's chunk write on a pool thread after every write queued before it, whether
    /// that one failed or not: one write at a time, as the file system takes them (a second writer
    /// of the same file would wait for its lock, spinning, on a core the appending thread needs).
    /// </summary>
    internal Task QueueWrite(Action write)
    {
        Task queued = _writes.ContinueWith(_ => write(), CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default);
        _writes = queued;
        return queued;
    }

    /// <summary>The bytes <see cref="Wrote"/> counted since the last background flush started (for tests).</summary>
    internal long Unflushed => _unflushed;

    /// <summary>
    /// The calls made to put something on disk (for tests): background flushes started, the flush in
    /// <see cref="Seal"/> and the directory's sync; each counted as it is made. None without <c>flushToDisk</c>.
    /// </summary>
    internal int Flushes => _flushes;

    /// <summary>
    /// Counts bytes written into the new file; every <see cref="FlushStep"/> of them, starts flushing
    /// it to disk on a pool thread, so that the disk writes while the caller appends and the flush
    /// in <see cref="Seal"/> has only the last part left. A flush in flight or failed starts no other;
    /// without <c>flushToDisk</c> none starts.
    /// </summary>
    internal void Wrote(long bytes)
    {
        _unflushed += bytes;
        if (_flushToDisk && _unflushed >= FlushStep && _flush is null or { IsCompletedSuccessfully: true })
        {
            _unflushed = 0;
            _flushes++;
            SafeFileHandle output = _output;
            _flush = Task.Run(() => RandomAccess.FlushToDisk(output));
        }
    }

    // The section's offset is set; returns where the next one may start (an empty section still
    // takes 8 bytes of offsets, so no two sections share one).
    private static long Place(BuilderSection section, long offset, ref long end)
    {
        SectionEntry entry = section.Entry;
        entry.Offset = offset;
        end = Math.Max(end, offset + entry.Length);
        return Math.Max(offset, offset + entry.Length + (entry.Length == 0 ? 8 : 0));
    }

    // Where the next section written into the new file starts: after the meta slots, or on the
    // page after the last reservation (as Seal places them).
    private long NextOrigin()
    {
        if (_reserved.Count == 0)
        {
            return 2L * _slotSize;
        }

        return ContainerFormat.AlignUp(_reserved[^1].Origin + _reserved[^1].Reserved, ContainerFormat.ExtentAlignment);
    }

    // A reservation that was too large or too small shifts what follows it: each section's bytes in
    // the new file move from where they were written to where Seal placed them. Moves towards the
    // start go first, in file order, then moves towards the end, in reverse: no move overwrites
    // bytes not yet moved (each section's place is after the one before it, in both layouts).
    private bool MoveResidents(List<BuilderSection> resident, long[] origins, byte[] buffer)
    {
        bool moved = false;
        for (int i = 0; i < resident.Count; i++)
        {
            if (resident[i].Entry.Offset < origins[i])
            {
                Move(origins[i], resident[i].Entry.Offset, resident[i].InOutput, buffer);
                moved = true;
            }
        }

        for (int i = resident.Count - 1; i >= 0; i--)
        {
            if (resident[i].Entry.Offset > origins[i])
            {
                Move(origins[i], resident[i].Entry.Offset, resident[i].InOutput, buffer);
                moved = true;
            }
        }

        return moved;
    }

    // memmove within the new file, a buffer at a time: forwards when moving towards the start,
    // backwards when moving towards the end, so an overlap never reads bytes already overwritten.
    private void Move(long from, long to, long length, byte[] buffer)
    {
        for (long done = 0; done < length;)
        {
            int take = (int)Math.Min(buffer.Length, length - done);
            long at = to < from ? done : length - done - take;
            ReadExactly(_output, buffer.AsSpan(0, take), from + at);
            BuilderWrites.Write(_output, buffer.AsSpan(0, take), to + at);
            done += take;
        }
    }

    // After a move or a rewind, the bytes between sections (page alignment, the 8 bytes of an empty section)
    // below the old end of what was written may be stale: they are zeroed, as in a file where nothing moved.
    private void ZeroGaps(long below, byte[] buffer)
    {
        var placed = new List<(long Start, long End)>();
        foreach (BuilderSection section in _sections)
        {
            placed.Add((section.Entry.Offset, section.Entry.Offset + section.Entry.Length));
        }

        placed.Sort();
        long position = 2L * _slotSize;
        Array.Clear(buffer);
        foreach ((long start, long stop) in placed)
        {
            for (long at = position; at < Math.Min(start, below);)
            {
                int take = (int)Math.Min(buffer.Length, Math.Min(start, below) - at);
                BuilderWrites.Write(_output, buffer.AsSpan(0, take), at);
                at += take;
            }

            position = Math.Max(position, stop);
        }
    }

    private void CopySpill(BuilderSection section, SafeFileHandle from, long length, long offset, byte[] buffer)
    {
        for (long at = 0; at < length;)
        {
            int read = RandomAccess.Read(from, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - at)), at);
            if (read <= 0)
            {
                throw new IOException($"The temporary file of section '{section.Entry.Name}' ended at {at} of {length} bytes.");
            }

            BuilderWrites.Write(_output, buffer.AsSpan(0, read), offset + at);
            at += read;
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read <= 0)
            {
                throw new IOException($"The file being built ended at {offset}, inside a section being moved.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    private void CloseStreams()
    {
        foreach (BuilderSection section in _sections)
        {
            // No write may be in flight on a handle being closed (its failure, if any, is moot now).
            section.JoinQuietly();
        }

        try
        {
            _flush?.Wait();
        }
        catch (AggregateException)
        {
            // Seal reported it, or the file is abandoned.
        }

        foreach (SafeFileHandle spill in _spills)
        {
            spill.Dispose();
        }

        _output.Dispose();
    }
}
