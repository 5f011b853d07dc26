using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Schemas;

namespace Overlay.Formats;

// Upgrade (docs/formats.md, Schemas §9): the compaction's new-file-then-rename, with the named
// records sections converted record by record through their embedded schemas.
public sealed partial class MappedContainer
{
    /// <summary>
    /// Rewrites the container at <paramref name="path"/> with the sections <paramref name="plan"/>
    /// names converted into their current layouts (<see cref="RecordConverter"/>), crash-safely: a new
    /// file is written next to the old one (<c>path.upgrade-*.tmp</c>), flushed, then renamed over
    /// it, so a crash or a refused record leaves the old file as it was. Other sections are copied;
    /// free space is dropped, as by <see cref="Compact"/>.
    /// </summary>
    /// <param name="path">The container; not open for writing meanwhile.</param>
    /// <param name="tag">The application tag it must carry.</param>
    /// <param name="plan">The sections to convert.</param>
    /// <param name="progress">Told the records converted so far, after each batch (64K records, fewer when they are large), on the calling thread.</param>
    /// <returns>The number of records converted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="KeyNotFoundException">A section the plan names does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is invalid, a named section is not of records or has no schema, or a stored value does not fit its new field; the old file is intact.</exception>
    /// <exception cref="IndexRecoveryRequiredException">A hash index section was changed after the last commit by a writer that crashed: recover it first; the old file is intact.</exception>
    /// <exception cref="InvalidOperationException">A field could lose values and has no converter (every such field is listed); the old file is intact.</exception>
    /// <exception cref="IOException">Writing or renaming failed; the old file is intact.</exception>
    public static long Upgrade(string path, ulong tag, ContainerUpgrade plan, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(plan);
        string full = System.IO.Path.GetFullPath(path);
        string temp = ReplacementFiles.Prepare(full, "upgrade");
        long converted = 0;
        try
        {
            using MappedContainer source = Open(full, tag, MapAccess.Read);
            source.ThrowIfRecordFile();
            source.ThrowIfIndexNeedsRecovery();

            // The new table: the old entries, the converted ones with their new stride, fingerprint
            // and length, each pointing at a new schema entry appended after the others.
            var planned = new List<SectionEntry>();
            var converters = new Dictionary<SectionEntry, RecordConverter>(ReferenceEqualityComparer.Instance);
            var schemas = new Dictionary<SectionEntry, byte[]>(ReferenceEqualityComparer.Instance);
            var sources = new Dictionary<SectionEntry, SectionEntry>(ReferenceEqualityComparer.Instance);
            foreach (SectionEntry entry in source._entries)
            {
                SectionEntry copy = entry.Clone();
                planned.Add(copy);
                sources[copy] = entry;
            }

            foreach ((string name, ContainerUpgrade.Target target) in plan.Targets)
            {
                SectionEntry entry = source.GetEntry(name, SectionKind.Records);
                if (entry.Schema == 0)
                {
                    throw ContainerReader.Invalid(full, $"section '{name}' carries no schema: it cannot be upgraded field by field");
                }

                RecordConverter converter = RecordConverter.Create(source.ReadSchema(entry), target.Layout, target.Converters);
                SectionEntry copy = planned[source._entries.IndexOf(entry)];
                copy.Stride = (uint)target.Layout.SizeInBytes;
                copy.Fingerprint = target.Layout.Fingerprint;
                copy.Length = entry.Count * target.Layout.SizeInBytes;
                copy.LayoutVersion = (uint)target.Layout.Version;
                byte[] schema = LayoutSchema.Encode(target.Layout);
                var schemaEntry = new SectionEntry { Name = UnusedSchemaName(planned), Kind = SectionKind.Schema, Stride = 1, Length = schema.Length };
                planned.Add(schemaEntry);
                schemas[schemaEntry] = schema;
                copy.Schema = (uint)planned.Count;
                converters[copy] = converter;
            }

            // Lists whose elements change type are rewritten in their heap: those sections are
            // converted now, into memory, because the heap grows before the table can be laid out.
            var rewriters = new Dictionary<SectionEntry, HeapListRewriter>(ReferenceEqualityComparer.Instance);
            var preconverted = new Dictionary<SectionEntry, MemoryStream>(ReferenceEqualityComparer.Instance);
            foreach ((SectionEntry copy, RecordConverter converter) in converters)
            {
                if (!converter.RewritesLists)
                {
                    continue;
                }

                SectionEntry heapEntry = source.ListHeapOf(copy.Name, plan);
                SectionEntry heapCopy = planned[source._entries.IndexOf(heapEntry)];
                if (!rewriters.TryGetValue(heapCopy, out HeapListRewriter? rewriter))
                {
                    rewriter = new HeapListRewriter(new HeapSection(source, heapEntry), heapEntry);
                    rewriters[heapCopy] = rewriter;
                }

                var buffer = new MemoryStream();
                converted += source.ConvertRecords(sources[copy], converter, buffer, converted, progress, rewriter);
                preconverted[copy] = buffer;
            }

            foreach ((SectionEntry heapCopy, HeapListRewriter rewriter) in rewriters)
            {
                rewriter.Update(heapCopy);
            }

            DropUnreferencedSchemas(planned);
            int slotSize = Math.Max(source._slotSize, ContainerFormat.SlotSizeFor(planned.Count));
            if (slotSize == 0)
            {
                throw new InvalidOperationException($"{full}: the upgraded table would need {planned.Count} entries, more than a container holds.");
            }

            List<SectionEntry> placed = Layout(planned, slotSize, out long newLength);
            using (SafeFileHandle handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var output = new FileStream(handle, FileAccess.Write, 1 << 16))
            {
                output.SetLength(newLength);
                int next = 0;
                foreach (SectionEntry from in planned)
                {
                    if (from.Kind == SectionKind.Free)
                    {
                        continue;
                    }

                    SectionEntry to = placed[next++];
                    output.Position = to.Offset;
                    if (schemas.TryGetValue(from, out byte[]? schema))
                    {
                        output.Write(schema);
                    }
                    else if (preconverted.TryGetValue(from, out MemoryStream? records))
                    {
                        records.Position = 0;
                        records.CopyTo(output);
                    }
                    else if (converters.TryGetValue(from, out RecordConverter? converter))
                    {
                        output.Flush();
                        converted += source.ConvertRecordsInto(sources[from], converter, handle, to.Offset, converted, progress);
                    }
                    else
                    {
                        source.CopyBytes(sources[from], output);
                        if (rewriters.TryGetValue(from, out HeapListRewriter? rewriter))
                        {
                            rewriter.WriteTail(output, to.Offset);
                        }
                    }
                }

                WriteSlots(output, tag, source._flags, slotSize, placed);
                output.Flush(flushToDisk: true);
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        DirectorySync.Replace(temp, full);
        return converted;
    }

    /// <summary>
    /// Marks free the schema sections no section refers to any more (those of the layouts every
    /// section of which was converted), so that <see cref="Layout"/> drops them and renumbers the
    /// references of the others.
    /// </summary>
    private static void DropUnreferencedSchemas(List<SectionEntry> planned)
    {
        var referenced = new HashSet<uint>();
        foreach (SectionEntry entry in planned)
        {
            if (entry.Kind != SectionKind.Free && entry.Schema != 0)
            {
                referenced.Add(entry.Schema);
            }
        }

        for (int i = 0; i < planned.Count; i++)
        {
            if (planned[i].Kind == SectionKind.Schema && !referenced.Contains((uint)i + 1))
            {
                planned[i].Kind = SectionKind.Free;
            }
        }
    }

    private static string UnusedSchemaName(List<SectionEntry> entries)
    {
        for (int i = 0; ; i++)
        {
            string name = $"schema.{i}";
            if (!entries.Exists(e => e.Kind != SectionKind.Free && string.Equals(e.Name, name, StringComparison.Ordinal)))
            {
                return name;
            }
        }
    }

    /// <summary>The heap the lists of <paramref name="section"/> point into: the one the plan names, or the container's only heap.</summary>
    private SectionEntry ListHeapOf(string section, ContainerUpgrade plan)
    {
        if (plan.ListHeaps.TryGetValue(section, out string? named))
        {
            return GetEntry(named, SectionKind.Heap);
        }

        List<SectionEntry> heaps = _entries.FindAll(e => e.Kind == SectionKind.Heap);
        return heaps.Count == 1
            ? heaps[0]
            : throw new InvalidOperationException($"{_path}: the lists of section '{section}' change element type and are rewritten in their heap, but the container has {heaps.Count} heaps: name it with ContainerUpgrade.ListHeap(\"{section}\", heap).");
    }

    private long ConvertRecords(SectionEntry entry, RecordConverter converter, Stream output, long before, IProgress<long>? progress, IListHeap? lists)
    {
        int from = (int)entry.Stride;
        int to = converter.Current.SizeInBytes;
        const int Batch = 1 << 16;
        byte[] input = new byte[(long)from * Math.Min(Batch, Math.Max(1, entry.Count))];
        byte[] result = new byte[(long)to * Math.Min(Batch, Math.Max(1, entry.Count))];
        for (long done = 0; done < entry.Count;)
        {
            int count = (int)Math.Min(Batch, entry.Count - done);
            _map.ReadAt(entry.Offset + (done * from), input.AsSpan(0, count * from));
            converter.ConvertMany(input.AsSpan(0, count * from), from, result, count, lists);

            output.Write(result, 0, count * to);
            done += count;
            progress?.Report(before + done);
        }

        return entry.Count;
    }

    /// <summary>
    /// Converts a section's records into the new file at <paramref name="offset"/>, a batch at a
    /// time through the handle (<c>pwrite</c>), starting each batch's write-back at once so that
    /// the final <c>fsync</c> waits for the last batches only.
    /// </summary>
    private long ConvertRecordsInto(SectionEntry entry, RecordConverter converter, SafeFileHandle output, long offset, long before, IProgress<long>? progress)
    {
        IMapPlatform platform = MapPlatform.ForNewMaps;
        nint file = output.DangerousGetHandle();
        int to = converter.Current.SizeInBytes;
        UpgradeBatches.Run(_map, entry.Offset, (int)entry.Stride, entry.Count, converter, null, (first, count, records) =>
        {
            long at = offset + (first * to);
            RandomAccess.Write(output, records, at);
            platform.TryStartWriteback(file, at, records.Length);
        }, progress, before);
        return entry.Count;
    }

    private void CopyBytes(SectionEntry entry, FileStream output)
    {
        byte[] buffer = new byte[(int)Math.Min(CopyChunk, Math.Max(1, entry.Length))];
        for (long done = 0; done < entry.Length;)
        {
            int chunk = (int)Math.Min(buffer.Length, entry.Length - done);
            if (!_map.TryReadThroughFile(entry.Offset + done, buffer.AsSpan(0, chunk)))
            {
                _map.ReadAt(entry.Offset + done, buffer.AsSpan(0, chunk));
            }

            output.Write(buffer, 0, chunk);
            done += chunk;
        }
    }
}
