using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Formats;

public sealed partial class MappedContainer
{
    /// <summary>Whether a live section has this name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True if a section (of any kind) has it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfDisposed();
        return FindEntry(name) is not null;
    }

    /// <summary>Adds an empty section of records of <typeparamref name="TView"/>'s layout, with room for <paramref name="initialCapacity"/> records.</summary>
    /// <typeparam name="TView">The layout's <c>View</c> (or <c>ReadOnlyView</c>).</typeparam>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL; not used by another section.</param>
    /// <param name="initialCapacity">Records to make room for now; the section grows past it as needed.</param>
    /// <returns>The section.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken, or the layout has no bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative or too large.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public RecordSection<TView> AddRecords<TView>(string name, long initialCapacity = 0)
        where TView : struct, IMappedView<TView>
    {
        int size = TView.SizeInBytes;
        if (size <= 0)
        {
            throw new ArgumentException($"{typeof(TView).FullName}.SizeInBytes is {size}: a record has at least one byte.", nameof(TView));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        if (initialCapacity > long.MaxValue / 2 / size)
        {
            throw new ArgumentOutOfRangeException(nameof(initialCapacity), initialCapacity, "The section would be larger than a file can be.");
        }

        // The schema goes in with the section (docs/formats.md, Schemas §4): everything that can
        // refuse (the layout's schema, the name, the access, the table's room) is checked before
        // either entry is added, so a refused call changes nothing.
        byte[]? schema = TView.LayoutInfo is { } layout ? LayoutSchema.Encode(layout) : null;
        uint reference = 0;
        if (schema is not null)
        {
            SectionEntry.CheckName(name, nameof(name));
            ThrowIfNotWritable();
            reference = FindSchema(schema);
            if (FindEntry(name) is null && !HasRoomFor(reference == 0 ? 2 : 1))
            {
                throw new InvalidOperationException($"{_path}'s table is full ({MaximumEntries} entries; a records section needs one more for its schema): create the container with a larger maximumEntries, or compact it.");
            }
        }

        SectionEntry entry = AddEntry(name, SectionKind.Records, (uint)size, TView.LayoutFingerprint, initialCapacity * size);
        if (schema is not null)
        {
            entry.Schema = reference != 0 ? reference : AddSchema(schema);
        }

        return new RecordSection<TView>(this, entry);
    }

    /// <summary>Adds an empty heap with room for <paramref name="initialCapacity"/> bytes of blocks.</summary>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL; not used by another section.</param>
    /// <param name="initialCapacity">Bytes to make room for now.</param>
    /// <returns>The heap.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative or too large.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public HeapSection AddHeap(string name, long initialCapacity = 0)
    {
        CheckCapacityArgument(initialCapacity);
        SectionEntry entry = AddEntry(name, SectionKind.Heap, ContainerFormat.HeapGranule, 0, Math.Max(initialCapacity, ContainerFormat.HeapReservedBytes));
        entry.Length = ContainerFormat.HeapReservedBytes;
        _map.Fill(entry.Offset, ContainerFormat.HeapReservedBytes, 0);
        return new HeapSection(this, entry);
    }

    /// <summary>Adds an empty section of raw bytes with room for <paramref name="initialCapacity"/> bytes.</summary>
    /// <param name="name">1 to 32 UTF-8 bytes, no NUL; not used by another section.</param>
    /// <param name="initialCapacity">Bytes to make room for now.</param>
    /// <returns>The section.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative or too large.</exception>
    /// <exception cref="NotSupportedException">The container is read-only or sealed.</exception>
    /// <exception cref="InvalidOperationException">The table is full, or the file must grow while memory exported from <see cref="Map"/> is in use.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public RawSection AddRaw(string name, long initialCapacity = 0)
    {
        CheckCapacityArgument(initialCapacity);
        return new RawSection(this, AddEntry(name, SectionKind.Raw, 1, 0, initialCapacity));
    }

    /// <summary>The records section called <paramref name="name"/>, checked against <typeparamref name="TView"/>'s layout.</summary>
    /// <typeparam name="TView">The layout's <c>View</c>, or its <c>ReadOnlyView</c> (the only kind a read-only container hands out).</typeparam>
    /// <param name="name">The section's name.</param>
    /// <returns>The section.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="InvalidDataException">The section is not of records, or its record size or fingerprint is not <typeparamref name="TView"/>'s.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TView"/> is writable but the map is read-only.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public RecordSection<TView> Records<TView>(string name)
        where TView : struct, IMappedView<TView>
    {
        SectionEntry entry = GetEntry(name, SectionKind.Records);
        if (entry.Stride != (uint)TView.SizeInBytes || entry.Fingerprint != TView.LayoutFingerprint)
        {
            CheckCompatible<TView>(entry);
        }

        if (!TView.IsReadOnly && !_map.CanWrite)
        {
            throw new NotSupportedException($"{_path} is mapped read-only: use the layout's ReadOnlyView, not {typeof(TView).Name}.");
        }

        return new RecordSection<TView>(this, entry);
    }

    /// <summary>The heap called <paramref name="name"/>.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The heap.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="InvalidDataException">The section is not a heap.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public HeapSection Heap(string name) => new(this, GetEntry(name, SectionKind.Heap));

    /// <summary>The raw section called <paramref name="name"/>.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The section.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="InvalidDataException">The section is not of raw bytes.</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public RawSection Raw(string name) => new(this, GetEntry(name, SectionKind.Raw));

    // Another layout than the file's: readable without migration only if the embedded schema says
    // the two differ by appended fields alone (docs/formats.md, Schemas §3).
    private void CheckCompatible<TView>(SectionEntry entry)
        where TView : struct, IMappedView<TView>
    {
        string mismatch = $"section '{entry.Name}' holds records of {entry.Stride} bytes with fingerprint 0x{entry.Fingerprint:X16}, not {typeof(TView).FullName}'s ({TView.SizeInBytes} bytes, 0x{TView.LayoutFingerprint:X16})";
        LayoutInfo? current = TView.LayoutInfo;
        if (entry.Schema == 0 || current is null)
        {
            throw ContainerReader.Invalid(_path, mismatch + (entry.Schema == 0 ? ", and the section carries no schema to compare them by" : ", and the view has no LayoutInfo to compare them by"));
        }

        SchemaComparison comparison = SchemaComparison.Compare(ReadSchema(entry), current);
        if (!comparison.IsCompatible)
        {
            throw new InvalidDataException($"{_path}: {mismatch}; the file's layout and the code's differ incompatibly, so the file needs an upgrade:\n{comparison}");
        }
    }

    private SectionEntry? FindEntry(string name)
    {
        foreach (SectionEntry entry in _entries)
        {
            if (entry.Kind != SectionKind.Free && string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        return null;
    }

    private SectionEntry GetEntry(string name, SectionKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfDisposed();
        SectionEntry entry = FindEntry(name) ?? throw new KeyNotFoundException($"{_path} has no section '{name}'.");
        if (entry.Kind != kind)
        {
            throw ContainerReader.Invalid(_path, $"section '{name}' is a {entry.Kind} section, not {kind}");
        }

        return entry;
    }

    /// <summary>
    /// Every check a new section passes before anything is written: a valid, unused name, a
    /// writable container, and room in the table (a free entry is dropped to make it if needed).
    /// </summary>
    private void CheckNewEntry(string name)
    {
        SectionEntry.CheckName(name, nameof(name));
        ThrowIfNotWritable();
        if (FindEntry(name) is not null)
        {
            throw new ArgumentException($"{_path} already has a section '{name}'.", nameof(name));
        }

        if (_entries.Count >= MaximumEntries && !DropOneFreeEntry())
        {
            throw new InvalidOperationException($"{_path}'s table is full ({MaximumEntries} entries): create the container with a larger maximumEntries, or compact it.");
        }
    }

    private static void CheckCapacityArgument(long initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        if (initialCapacity > long.MaxValue / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(initialCapacity), initialCapacity, "The section would be larger than a file can be.");
        }
    }

    private SectionEntry AddEntry(string name, SectionKind kind, uint stride, ulong fingerprint, long capacity)
    {
        CheckNewEntry(name);
        var entry = new SectionEntry { Name = name, Kind = kind, Stride = stride, Fingerprint = fingerprint };
        Place(entry, Math.Max(capacity, ContainerFormat.MinimumGrowthBytes));
        _entries.Add(entry);
        return entry;
    }
}
