using System;
using System.Collections.Generic;
using System.IO;
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
/// The first section added is written straight into the new file; later ones go to temporary
/// files next to it and are copied in by <see cref="Seal"/> (put the biggest section first). The
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
    private readonly FileStream _output;
    private readonly List<BuilderSection> _sections = new();
    private readonly List<(byte[] Bytes, int Index)> _schemas = new();
    private bool _sealed;
    private bool _disposed;

    private ContainerBuilder(string path, string temp, ulong tag, int slotSize, FileStream output)
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
        var output = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
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

        // Its schema section follows it (docs/formats.md, Schemas §4), after it so that a first
        // section still streams straight into the file; identical schemas are stored once.
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
        section.Append(stackalloc byte[ContainerFormat.HeapReservedBytes]);
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
        try
        {
            var entries = new List<SectionEntry>(_sections.Count);
            long position = 2L * _slotSize;
            long end = position;
            foreach (BuilderSection section in _sections)
            {
                SectionEntry entry = section.Entry;
                if (ReferenceEquals(section.Stream, _output))
                {
                    entry.Offset = section.Origin;
                }
                else
                {
                    entry.Offset = ContainerFormat.AlignUp(position, ContainerFormat.ExtentAlignment);
                    section.Stream.Position = 0;
                    _output.Position = entry.Offset;
                    section.Stream.CopyTo(_output);
                }

                entry.Capacity = entry.Length;
                end = Math.Max(end, entry.Offset + entry.Length);
                position = Math.Max(position, entry.Offset + entry.Length + (entry.Length == 0 ? 8 : 0));
                entries.Add(entry);
            }

            _output.SetLength(end);
            MappedContainer.WriteSlots(_output, _tag, ContainerFormat.SealedFlag, _slotSize, entries);
            _output.Flush(flushToDisk: true);
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

        // The first section streams straight into the file after the meta slots; the others wait in temporary files.
        Stream stream = _sections.Count == 0
            ? _output
            : new FileStream($"{_temp}.{_sections.Count}", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var section = new BuilderSection(this, entry, stream, _sections.Count == 0 ? 2L * _slotSize : 0);
        _sections.Add(section);
        return section;
    }

    private void CloseStreams()
    {
        foreach (BuilderSection section in _sections)
        {
            if (!ReferenceEquals(section.Stream, _output))
            {
                section.Stream.Dispose();
            }
        }

        _output.Dispose();
    }
}
