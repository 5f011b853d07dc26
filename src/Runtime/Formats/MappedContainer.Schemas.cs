using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Schemas;

namespace Overlay.Formats;

// Embedded schemas (docs/formats.md, Schemas §4): each records section names, through its table
// entry's schema reference, a schema section (kind 5) holding its layout's binary schema. Sections
// of the same layout share one schema section.
public sealed partial class MappedContainer
{
    /// <summary>The largest schema section this reader loads (a schema of 256 layouts of 4096 fields fits many times over).</summary>
    internal const int MaximumSchemaBytes = 16 << 20;

    /// <summary>The layout schema embedded for the section called <paramref name="name"/>, read without the code that wrote it.</summary>
    /// <param name="name">A section's name.</param>
    /// <returns>The layout, or null when the section carries no schema (raw bytes, heaps, records of a hand-written view).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No section has this name.</exception>
    /// <exception cref="InvalidDataException">The embedded schema is invalid (the message names the file, the section and the problem).</exception>
    /// <exception cref="ObjectDisposedException">The container is closed.</exception>
    public LayoutInfo? GetSchema(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfDisposed();
        SectionEntry entry = FindEntry(name) ?? throw new KeyNotFoundException($"{_path} has no section '{name}'.");
        return entry.Schema == 0 ? null : ReadSchema(entry);
    }

    internal LayoutInfo ReadSchema(SectionEntry entry)
    {
        // Open checked that the reference names a schema entry; the entry's extent is inside the file.
        SectionEntry schema = _entries[(int)entry.Schema - 1];
        if (schema.Length > MaximumSchemaBytes)
        {
            throw ContainerReader.Invalid(_path, $"the schema of section '{entry.Name}' ('{schema.Name}') is {schema.Length} bytes, more than the {MaximumSchemaBytes} a schema may have");
        }

        byte[] bytes = new byte[schema.Length];
        _map.ReadAt(schema.Offset, bytes);
        LayoutInfo layout;
        try
        {
            layout = LayoutSchema.Decode(bytes);
        }
        catch (InvalidDataException e)
        {
            throw ContainerReader.Invalid(_path, $"section '{entry.Name}': {e.Message}");
        }

        if (entry.Kind == SectionKind.Records && (layout.SizeInBytes != entry.Stride || layout.Fingerprint != entry.Fingerprint))
        {
            throw ContainerReader.Invalid(_path, $"section '{entry.Name}' holds {entry.Stride}-byte records with fingerprint 0x{entry.Fingerprint:X16}, but its schema describes {layout.Name} ({layout.SizeInBytes} bytes, 0x{layout.Fingerprint:X16})");
        }

        return layout;
    }

    /// <summary>The reference (table index + 1) of a schema section holding exactly <paramref name="bytes"/>, or 0.</summary>
    private uint FindSchema(byte[] bytes)
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            SectionEntry existing = _entries[i];
            if (existing.Kind == SectionKind.Schema && existing.Length == bytes.Length && SameBytes(existing, bytes))
            {
                return (uint)i + 1;
            }
        }

        return 0;
    }

    /// <summary>Adds a schema section holding <paramref name="bytes"/>; the table must have room for it.</summary>
    private uint AddSchema(byte[] bytes)
    {
        string name = SchemaSectionName();
        SectionEntry entry = AddEntry(name, SectionKind.Schema, 1, 0, bytes.Length);
        _map.WriteAt(entry.Offset, bytes);
        entry.Length = bytes.Length;
        return (uint)_entries.IndexOf(entry) + 1;
    }

    private bool SameBytes(SectionEntry entry, byte[] bytes)
    {
        byte[] stored = new byte[bytes.Length];
        _map.ReadAt(entry.Offset, stored);
        return stored.AsSpan().SequenceEqual(bytes);
    }

    private string SchemaSectionName()
    {
        for (int i = 0; ; i++)
        {
            string name = $"schema.{i}";
            if (FindEntry(name) is null)
            {
                return name;
            }
        }
    }

    /// <summary>Whether the table can take <paramref name="count"/> more entries (dropping free extents if it must).</summary>
    private bool HasRoomFor(int count)
    {
        int free = 0;
        foreach (SectionEntry entry in _entries)
        {
            free += entry.Kind == SectionKind.Free ? 1 : 0;
        }

        return MaximumEntries - _entries.Count + free >= count;
    }
}
