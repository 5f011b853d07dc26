using System;
using System.Collections.Generic;
using System.Buffers;
using System.IO;
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
/// and a section that never fills a chunk is written once, by <see cref="Seal"/>. The
/// new file is written under a temporary name and renamed over <c>path</c> only once it is
/// complete and flushed to disk, so a crash never leaves a half-written file at <c>path</c>, and
/// an existing file there is replaced atomically.
/// </para>
/// <para>Not thread-safe. <see cref="Dispose"/> without <see cref="Seal"/> abandons the file and removes every temporary file.</para>
/// </remarks>
public sealed class ContainerBuilder : IDisposable
{
    private readonly string _path;
    private readonly string _temp;
    private readonly ulong _tag;
    private readonly int _slotSize;
    private readonly SafeFileHandle _output;
    private readonly List<BuilderSection> _sections = new();
    private readonly List<SafeFileHandle> _spills = new();
    private BuilderSection? _inPlace;
    private readonly List<(byte[] Bytes, int Index)> _schemas = new();
    private bool _sealed;
    private bool _disposed;

    private ContainerBuilder(string path, string temp, ulong tag, int slotSize, SafeFileHandle output)
    {
        _path = path;
        _temp = temp;
        _tag = tag;
        _slotSize = slotSize;
        _output = output;
    }

    /// <summary>Starts a new file that will replace <paramref name="path"/> when sealed.</summary>
    /// <param name="path">Where the sealed file goes; an existing file there stays until <see cref="Seal"/> replaces it.</param>
    /// <param name="tag">The application's tag.</param>
    /// <param name="maximumEntries">Room in the table (at least the number of sections).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumEntries"/> is below 1 or above 8191.</exception>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    public static ContainerBuilder Create(string path, ulong tag, int maximumEntries = 31)
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
        return new ContainerBuilder(full, temp, tag, slotSize, output);
    }

    /// <summary>Adds a section of records of <typeparamref name="TRecord"/>'s layout.</summary>
    /// <typeparam name="TRecord">The layout.</typeparam>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL, unique.</param>
    /// <returns>The writer that appends to it.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the builder is sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    public RecordsWriter<TRecord> AddRecords<TRecord>(string name)
        where TRecord : struct, IMappedLayout<TRecord>
    {
        int size = TRecord.SizeInBytes;
        if (size <= 0)
        {
            throw new ArgumentException($"{typeof(TRecord).FullName}.SizeInBytes is {size}: a record has at least one byte.", nameof(TRecord));
        }

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
            Add($"schema.{_schemas.Count}", SectionKind.Schema, 1, 0).Append(schema);
            _schemas.Add((schema, index));
            records.Entry.Schema = (uint)index + 1;
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
    /// renames it to the path given to <see cref="Create"/>.
    /// </summary>
    /// <returns>The sealed file's length.</returns>
    /// <exception cref="InvalidOperationException">Already sealed.</exception>
    /// <exception cref="ObjectDisposedException">The builder is disposed.</exception>
    /// <exception cref="IOException">Writing or renaming failed; the temporary files are removed and <c>path</c> is untouched.</exception>
    public long Seal()
    {
        ThrowIfSealed();
        _sealed = true;
        byte[]? copy = null;
        try
        {
            // The section that streamed in place is first, at the meta slots' end; the others follow
            // it on page boundaries in table order (offsets need not follow the table: §1).
            var entries = new SectionEntry[_sections.Count];
            long position = 2L * _slotSize;
            long end = position;
            if (_inPlace is not null)
            {
                _inPlace.Spill();
                position = Place(_inPlace, position, ref end);
            }

            foreach (BuilderSection section in _sections)
            {
                if (section == _inPlace)
                {
                    continue;
                }

                long offset = ContainerFormat.AlignUp(position, ContainerFormat.ExtentAlignment);
                if (section.Handle is not null)
                {
                    copy ??= ArrayPool<byte>.Shared.Rent(BuilderSection.ChunkSize);
                    CopySpill(section, offset, copy);
                }

                RandomAccess.Write(_output, section.Pending, offset + section.Written);
                position = Place(section, offset, ref end);
            }

            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = _sections[i].Entry;
                entries[i].Capacity = entries[i].Length;
                _sections[i].Release();
            }

            using (var stream = new FileStream(_output, FileAccess.ReadWrite, bufferSize: 0))
            {
                stream.SetLength(end);
                MappedContainer.WriteSlots(stream, _tag, ContainerFormat.SealedFlag, _slotSize, new List<SectionEntry>(entries));
                stream.Flush(flushToDisk: true);
            }

            CloseStreams();
            DirectorySync.Replace(_temp, _path);
            return end;
        }
        catch
        {
            CloseStreams();
            File.Delete(_temp);
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
        CloseStreams();
        if (!_sealed)
        {
            File.Delete(_temp);
        }
    }

    internal void ThrowIfSealed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sealed)
        {
            throw new InvalidOperationException("The builder is sealed: nothing more can be added.");
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
        if (_inPlace is null)
        {
            _inPlace = section;
            return (_output, 2L * _slotSize);
        }

        SafeFileHandle spill = File.OpenHandle($"{_temp}.{_spills.Count + 1}", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        _spills.Add(spill);
        return (spill, 0);
    }

    internal bool IsOutput(SafeFileHandle handle) => ReferenceEquals(handle, _output);

    // The section's offset is set; returns where the next one may start (an empty section still
    // takes 8 bytes of offsets, so no two sections share one).
    private static long Place(BuilderSection section, long offset, ref long end)
    {
        SectionEntry entry = section.Entry;
        entry.Offset = offset;
        end = Math.Max(end, offset + entry.Length);
        return Math.Max(offset, offset + entry.Length + (entry.Length == 0 ? 8 : 0));
    }

    private void CopySpill(BuilderSection section, long offset, byte[] buffer)
    {
        for (long at = 0; at < section.Written;)
        {
            int read = RandomAccess.Read(section.Handle!, buffer.AsSpan(0, (int)Math.Min(buffer.Length, section.Written - at)), at);
            if (read <= 0)
            {
                throw new IOException($"The temporary file of section '{section.Entry.Name}' ended at {at} of {section.Written} bytes.");
            }

            RandomAccess.Write(_output, buffer.AsSpan(0, read), offset + at);
            at += read;
        }
    }

    private void CloseStreams()
    {
        foreach (SafeFileHandle spill in _spills)
        {
            spill.Dispose();
        }

        _output.Dispose();
    }
}
