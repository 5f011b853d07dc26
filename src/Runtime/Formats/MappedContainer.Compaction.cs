using System;
using System.Collections.Generic;
using System.IO;

namespace Overlay.Formats;

// Compaction (docs/formats.md §5): a new file without free space, flushed, renamed over the old.
public sealed partial class MappedContainer
{
    private const int CopyChunk = 1 << 20;

    /// <summary>
    /// Rewrites the container at <paramref name="path"/> without free extents and with every
    /// section's capacity trimmed to its length, crash-safely: the new file is written next to the
    /// old one (<c>path.compact-*.tmp</c>), flushed to disk, then renamed over it, so a crash leaves
    /// either the old file or the new one, never a mix (a stray <c>.tmp</c> is deleted by the next
    /// compaction). Heap blocks stay where they are in their heap (references stay valid); the free
    /// blocks inside a heap are not reclaimed.
    /// </summary>
    /// <param name="path">The container; it must not be open for writing (by this or any process) meanwhile.</param>
    /// <param name="tag">The application tag it must carry.</param>
    /// <param name="progress">Told the bytes of sections copied so far, after each chunk of up to 1 MiB.</param>
    /// <returns>The lengths before and after, and the bytes reclaimed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid container with this tag; nothing is written.</exception>
    /// <exception cref="IndexRecoveryRequiredException">A hash index section was changed after the last commit by a writer that crashed: recover it first; nothing is written.</exception>
    /// <exception cref="IOException">The new file could not be written or renamed; the old file is intact and the temporary file removed.</exception>
    public static CompactionResult Compact(string path, ulong tag, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = System.IO.Path.GetFullPath(path);
        string temp = ReplacementFiles.Prepare(full, "compact");
        long oldLength;
        long newLength;
        try
        {
            using MappedContainer source = Open(full, tag, MapAccess.Read);
            source.ThrowIfRecordFile();
            source.ThrowIfIndexNeedsRecovery();
            oldLength = source._map.Length;
            List<SectionEntry> entries = Layout(source._entries, source._slotSize, out newLength);
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                output.SetLength(newLength);
                byte[] buffer = new byte[CopyChunk];
                long copied = 0;
                foreach ((SectionEntry from, SectionEntry to) in Pairs(source._entries, entries))
                {
                    for (long done = 0; done < from.Length;)
                    {
                        int chunk = (int)Math.Min(CopyChunk, from.Length - done);
                        source._map.ReadAt(from.Offset + done, buffer.AsSpan(0, chunk));
                        output.Position = to.Offset + done;
                        output.Write(buffer, 0, chunk);
                        done += chunk;
                        copied += chunk;
                        progress?.Report(copied);
                    }
                }

                WriteSlots(output, tag, source._flags, source._slotSize, entries);
                output.Flush(flushToDisk: true);
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        // The old file is unmapped by now (Windows refuses to replace a mapped file).
        DirectorySync.Replace(temp, full); // the rename, then an fsync of the directory (§5)
        return new CompactionResult(oldLength, newLength);
    }

    /// <summary>Both meta slots of a freshly written file: generation 1 in slot 1, 2 in slot 0.</summary>
    internal static void WriteSlots(FileStream output, ulong tag, uint flags, int slotSize, List<SectionEntry> entries)
    {
        byte[] slot = new byte[ContainerFormat.PrefixSize + (entries.Count * ContainerFormat.EntrySize)];
        for (ulong generation = 1; generation <= 2; generation++)
        {
            EncodeSlot(slot, tag, flags, slotSize, generation, entries);
            output.Position = (long)(generation % 2) * slotSize;
            output.Write(slot);
        }
    }

    /// <summary>
    /// Places the live sections back to back on page boundaries, capacity = length, free extents
    /// dropped, schema references renumbered; <paramref name="end"/> is the new file's length.
    /// </summary>
    internal static List<SectionEntry> Layout(IReadOnlyList<SectionEntry> entries, int slotSize, out long end)
    {
        var kept = new List<SectionEntry>();
        var newIndex = new int[entries.Count];
        long position = 2L * slotSize;
        end = position;
        for (int i = 0; i < entries.Count; i++)
        {
            newIndex[i] = -1;
            if (entries[i].Kind == SectionKind.Free)
            {
                continue;
            }

            SectionEntry copy = entries[i].Clone();
            copy.PendingFree = null;
            copy.Offset = ContainerFormat.AlignUp(position, ContainerFormat.ExtentAlignment);
            copy.Capacity = copy.Length;
            end = copy.Offset + copy.Length;

            // An empty section still gets an offset of its own, so that no two extents start together.
            position = end + (copy.Length == 0 ? 8 : 0);
            newIndex[i] = kept.Count;
            kept.Add(copy);
        }

        foreach (SectionEntry entry in kept)
        {
            entry.Schema = entry.Schema == 0 ? 0 : (uint)(newIndex[entry.Schema - 1] + 1);
        }

        return kept;
    }

    private static IEnumerable<(SectionEntry From, SectionEntry To)> Pairs(List<SectionEntry> from, List<SectionEntry> to)
    {
        int next = 0;
        foreach (SectionEntry entry in from)
        {
            if (entry.Kind != SectionKind.Free)
            {
                yield return (entry, to[next++]);
            }
        }
    }
}
