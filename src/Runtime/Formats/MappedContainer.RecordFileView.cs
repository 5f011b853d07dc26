using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;

namespace Overlay.Formats;

// A record file (format 2) seen as a container of two sections (docs/formats.md §7): the reader and
// the API are the container's, the bytes stay the record file's. Its count, lock and seal follow
// the record file's rules (RecordFileReading, docs/durability.md); it has no section table, so
// nothing structural can change until it is converted (ConvertRecordFile).
public sealed partial class MappedContainer
{
    /// <summary>The name of a record file's header section when it is opened as a container (one record of the header layout).</summary>
    public const string RecordFileHeaderSection = "header";

    /// <summary>The name of a record file's records section when it is opened as a container.</summary>
    public const string RecordFileRecordsSection = "records";

    /// <summary>The largest header or record a record file without schemas may claim (what the schema decoder allows: 2^30 - 1 bytes).</summary>
    private const uint MaximumRecordFileLayoutSize = (1u << 30) - 1;

    /// <summary>Whether the file is a record file (format 2) opened as a container: its records can be read and edited in place, but no section can be added, grown or removed.</summary>
    public bool IsRecordFile => _recordFile is not null;

    /// <summary>What a record file opened as a container holds beside the map: its lock and count, which follow the record file's rules.</summary>
    private sealed class RecordFileView(OpenedRecordFile opened)
    {
        public RecordFileLock Lock { get; } = opened.Lock;

        public long RecordsOffset { get; } = opened.Shape.RecordsOffset;

        public int Stride { get; } = opened.Shape.Stride;

        public long Count { get; } = opened.Count;

        public DurableSlot Durable { get; set; } = opened.Durable;

        /// <summary>The prefix, the header and the counted records: what a flush writes and the trim keeps.</summary>
        public long UsedLength => RecordsOffset + (Count * Stride);
    }

    /// <summary>
    /// Converts the record file at <paramref name="recordFilePath"/> into a container at
    /// <paramref name="containerPath"/> with the same sections (<see cref="RecordFileHeaderSection"/>,
    /// <see cref="RecordFileRecordsSection"/> with the count the record file believes, and its
    /// embedded schemas), which can then gain heaps, raw sections and indexes. Crash-safe: the
    /// container is written beside its path (<c>containerPath.convert-*.tmp</c>, a stray one is
    /// deleted by the next conversion), flushed, then given its name and the directory synced, so
    /// a crash leaves either no container (or, in place, the record file) or the whole one. The
    /// record file is only read, under its writer lock (no <see cref="RecordFile{THeaderView, TRecordView}"/>
    /// writer can append meanwhile), held in place until the container has its name (on Windows,
    /// which cannot replace a file with an open handle, until just before).
    /// </summary>
    /// <param name="recordFilePath">The record file.</param>
    /// <param name="containerPath">
    /// Where the container goes: a path that does not exist, or <paramref name="recordFilePath"/>
    /// itself, which the container then replaces atomically (open readers keep the old file; a
    /// <see cref="RecordFile{THeaderView, TRecordView}"/> opened at the path afterwards finds a container and refuses it).
    /// </param>
    /// <param name="tag">The record file's magic number, which becomes the container's application tag.</param>
    /// <param name="maximumEntries">Room in the new container's table (as <see cref="Create"/>): the four sections a record file has and what it will gain.</param>
    /// <param name="progress">Told the bytes copied so far, after each chunk of up to 1 MiB.</param>
    /// <returns>The number of records converted.</returns>
    /// <exception cref="ArgumentNullException">A path is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumEntries"/> is below 4 or above 8191.</exception>
    /// <exception cref="FileNotFoundException">The record file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a valid record file with this magic number; nothing is written.</exception>
    /// <exception cref="IOException">Something exists at <paramref name="containerPath"/> (another path than the record file), a writer has the record file open, or writing failed; the record file is intact and the temporary file removed.</exception>
    public static long ConvertRecordFile(string recordFilePath, string containerPath, ulong tag, int maximumEntries = 31, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(recordFilePath);
        ArgumentNullException.ThrowIfNull(containerPath);
        int slotSize = maximumEntries < 4 ? 0 : ContainerFormat.SlotSizeFor(maximumEntries);
        if (slotSize == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumEntries), maximumEntries, $"A converted record file's table holds 4 to {ContainerFormat.EntriesPerSlot(ContainerFormat.MaximumSlotSize)} entries.");
        }

        string source = System.IO.Path.GetFullPath(recordFilePath);
        string target = System.IO.Path.GetFullPath(containerPath);
        bool inPlace = string.Equals(source, target, OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        if (!inPlace && (File.Exists(target) || Directory.Exists(target)))
        {
            throw new IOException($"Cannot convert {source} into the container '{target}': it already exists.");
        }

        string temp = ReplacementFiles.Prepare(target, "convert");
        MappedContainer? view = null;
        long records;
        try
        {
            // The writer lock, with a read-only map: no writer appends while the records are
            // copied, and nothing of the record file is written (not even the count's adoption).
            view = OpenRecordFile(source, tag, MapAccess.Read, exclusive: true);
            records = view._recordFile!.Count;
            List<SectionEntry> entries = Layout(view._entries, slotSize, out long newLength);
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                output.SetLength(newLength);
                byte[] buffer = new byte[CopyChunk];
                long copied = 0;
                for (int i = 0; i < entries.Count; i++)
                {
                    SectionEntry from = view._entries[i];
                    for (long done = 0; done < from.Length;)
                    {
                        int chunk = (int)Math.Min(CopyChunk, from.Length - done);
                        view._map.ReadAt(from.Offset + done, buffer.AsSpan(0, chunk));
                        output.Position = entries[i].Offset + done;
                        output.Write(buffer, 0, chunk);
                        done += chunk;
                        copied += chunk;
                        progress?.Report(copied);
                    }
                }

                WriteSlots(output, tag, 0, slotSize, entries);
                output.Flush(flushToDisk: true);
            }

            // Unmapped before the name changes: Windows cannot replace a mapped file. In place, the
            // writer lock is held through the rename where the OS allows it (not Windows, whose
            // rename fails while any handle is open without delete sharing): a writer that opened
            // the record file between an unlock and the rename would append to a file that is no
            // longer at the path, and its records would be lost. On Windows such a writer keeps
            // the file open, so the rename fails instead and nothing is lost.
            RecordFileLock? held = inPlace && !OperatingSystem.IsWindows() ? view.UnmapKeepingLock() : null;
            if (held is null)
            {
                view.Dispose();
            }

            view = null;
            try
            {
                BeforeConversionRenameForTests?.Invoke(source);
                if (inPlace)
                {
                    DirectorySync.Replace(temp, target);
                }
                else
                {
                    DirectorySync.LinkNew(temp, target, "container");
                    DirectorySync.SyncDirectoryOf(target);
                }
            }
            finally
            {
                held?.Dispose();
            }
        }
        catch
        {
            view?.Dispose();
            File.Delete(temp);
            throw;
        }

        return records;
    }

    /// <summary>
    /// Called by <see cref="ConvertRecordFile"/> with the record file's path after the record file
    /// is unmapped and before the container takes its name: the one moment a test cannot reach
    /// otherwise (a writer opening the record file then must not lose its records). Null outside tests.
    /// </summary>
    internal static Action<string>? BeforeConversionRenameForTests;

    /// <summary>Unmaps a record file opened read-only for a conversion and hands back its writer lock, which the caller releases after the rename.</summary>
    private RecordFileLock UnmapKeepingLock()
    {
        System.Diagnostics.Debug.Assert(_map.Access == MapAccess.Read, "a conversion maps the record file read-only: there is no seal to write");
        RecordFileLock held = _recordFile!.Lock;
        Release(releaseRecordFileLock: false);
        return held;
    }

    /// <summary>Whether the file at <paramref name="file"/>'s start carries <paramref name="tag"/> as a record file's magic number rather than a container's.</summary>
    private static bool IsRecordFileMagic(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length, ulong tag)
    {
        if (tag == ContainerFormat.Magic || length < sizeof(ulong))
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[sizeof(ulong)];
        return RandomAccess.Read(file, magic, 0) == magic.Length && BinaryPrimitives.ReadUInt64LittleEndian(magic) == tag;
    }

    /// <summary>
    /// Opens a record file as a container: every check, the lock and the count of
    /// <c>RecordFile.Open</c> (<see cref="RecordFileReading"/>), then the sections it holds.
    /// <paramref name="exclusive"/>: take the writer lock even for reading (a conversion).
    /// </summary>
    private static MappedContainer OpenRecordFile(string path, ulong tag, MapAccess access, bool exclusive)
    {
        OpenedRecordFile opened = RecordFileReading.Open(path, tag, access, exclusive || access == MapAccess.Write, "record file", CheckRecordFileShape);
        try
        {
            return new MappedContainer(opened.Map, path, tag, new ContainerImage(0, 0, 0, RecordFileEntries(opened, path)), new RecordFileView(opened));
        }
        catch
        {
            opened.Map.Dispose();
            opened.Lock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A record file's layouts, without the code's: sizes a section can hold. The embedded schemas
    /// are decoded, as a container's, only when asked for (<see cref="GetSchema"/>, or a view type
    /// other than the file's layout): an open with the exact layouts never pays for it.
    /// </summary>
    private static RecordFileShape CheckRecordFileShape(RecordFilePrefix found, RecordFileSchemaRegion? schemas, long length, string path)
    {
        if (found.RecordSize is 0 or > MaximumRecordFileLayoutSize || found.HeaderSize > MaximumRecordFileLayoutSize)
        {
            throw RecordFileReading.Invalid(path, "record file", $"its records are {found.RecordSize} bytes and its header {found.HeaderSize}: a record has 1 to {MaximumRecordFileLayoutSize} bytes, a header at most as many");
        }

        return RecordFileReading.FileShape(found, schemas, length, path, "record file");
    }

    /// <summary>
    /// The table of a record file: its header (when it has bytes) and its records as records
    /// sections, and its two schemas as schema sections over the bytes of its schema region.
    /// </summary>
    private static List<SectionEntry> RecordFileEntries(OpenedRecordFile opened, string path)
    {
        RecordFilePrefix prefix = opened.Prefix;
        RecordFileShape shape = opened.Shape;
        var entries = new List<SectionEntry>(4);
        uint headerSchema = 0;
        uint recordSchema = 0;
        if (shape.Schemas is not null)
        {
            // The region's length and CRC were checked against the prefix size, which the map holds;
            // the header's schema states its length at its byte 8 (§8.1), the record's takes the rest.
            // Both are decoded and checked against the sections when they are read (ReadSchema).
            Span<byte> length = stackalloc byte[sizeof(uint)];
            opened.Map.ReadAt(RecordFileFormat.SchemaLengthOffset, length);
            long regionLength = BinaryPrimitives.ReadUInt32LittleEndian(length);
            opened.Map.ReadAt(RecordFileFormat.SchemasOffset + 8, length);
            long headerLength = BinaryPrimitives.ReadUInt32LittleEndian(length);
            if (headerLength < 12 || headerLength > regionLength - 12)
            {
                throw RecordFileReading.Invalid(path, "record file", $"its header schema claims {headerLength} bytes, but its schema region holds {regionLength}, two schemas of at least 12 bytes each");
            }

            long recordLength = regionLength - headerLength;
            bool withHeader = prefix.HeaderSize != 0;
            headerSchema = withHeader ? 3u : 0u;
            recordSchema = withHeader ? 4u : 3u;
            AddSchemaEntry(entries, "schema.0", RecordFileFormat.SchemasOffset, headerLength);
            AddSchemaEntry(entries, "schema.1", RecordFileFormat.SchemasOffset + headerLength, recordLength);
        }

        var records = new List<SectionEntry>(2);
        if (prefix.HeaderSize != 0)
        {
            records.Add(new SectionEntry
            {
                Name = RecordFileHeaderSection,
                Kind = SectionKind.Records,
                Stride = prefix.HeaderSize,
                Fingerprint = prefix.HeaderFingerprint,
                Offset = shape.HeaderOffset,
                Length = prefix.HeaderSize,
                Capacity = prefix.HeaderSize,
                Count = 1,
                Schema = headerSchema,
            });
        }

        long fits = (opened.Map.Length - shape.RecordsOffset) / shape.Stride;
        records.Add(new SectionEntry
        {
            Name = RecordFileRecordsSection,
            Kind = SectionKind.Records,
            Stride = (uint)shape.Stride,
            Fingerprint = prefix.RecordFingerprint,
            Offset = shape.RecordsOffset,
            Length = opened.Count * shape.Stride,
            Capacity = fits * shape.Stride,
            Count = opened.Count,
            Schema = recordSchema,
        });

        // The records sections first, then the schemas they name (references are table index + 1).
        records.AddRange(entries);
        return records;
    }

    private static void AddSchemaEntry(List<SectionEntry> entries, string name, long offset, long length) =>
        entries.Add(new SectionEntry { Name = name, Kind = SectionKind.Schema, Stride = 1, Offset = offset, Length = length, Capacity = length });

    /// <summary>Refuses a structural change of a record file opened as a container, before anything changes.</summary>
    internal void ThrowIfRecordFile()
    {
        if (_recordFile is not null)
        {
            throw new NotSupportedException($"{_path} is a record file (format 2) opened as a container: its records can be read and edited in place, but it has no section table, so no section can be added, grown, removed, compacted or upgraded. Convert it first with MappedContainer.ConvertRecordFile, which writes a container with the same sections.");
        }
    }

    /// <summary>
    /// <see cref="Commit"/> of a record file: what <c>RecordFile.Flush</c> does. The prefix, header
    /// and counted records are flushed (in-place edits included), then, if the count is not yet
    /// durable, the next durable slot is written and flushed.
    /// </summary>
    private void CommitRecordFile(RecordFileView view)
    {
        ThrowIfDisposed();
        if (_map.Access != MapAccess.Write)
        {
            throw new NotSupportedException($"{_path} was opened with MapAccess.{_map.Access}: a record file opened as a container commits only when opened with MapAccess.Write.");
        }

        _map.ThrowIfFileTruncated("Commit");
        _map.Flush(0, view.UsedLength);
        if ((ulong)view.Count == view.Durable.Count)
        {
            return;
        }

        var next = new DurableSlot(view.Durable.Sequence + 1, (ulong)view.Count);
        Span<byte> slot = stackalloc byte[RecordFileFormat.DurableSlotSize];
        RecordFileDurableState.WriteSlot(slot, next);
        _map.WriteAt(next.Offset, slot);
        _map.Flush(0, RecordFileFormat.PrefixSize);
        view.Durable = next;
    }

    /// <summary>
    /// A writer's seal at close, as <c>RecordFile.Dispose</c>'s: edits in place may have changed
    /// records past the durable count, and a stale seal would make the next boot drop them. The
    /// slack is not trimmed (the file is valid either way; the next RecordFile writer trims it).
    /// </summary>
    private void SealRecordFile(RecordFileView view)
    {
        if (_map.Access != MapAccess.Write)
        {
            return;
        }

        _map.ThrowIfFileTruncated("Closing the record file");
        Span<byte> seal = stackalloc byte[16];
        ulong check = RecordFileDurableState.SealCheckAsOwner(_map, view.RecordsOffset, view.Stride, (ulong)view.Count, view.Durable);
        RecordFileDurableState.WriteSealV3(seal, (ulong)view.Count, check);
        _map.WriteAt(RecordFileFormat.SealCountOffset, seal);
    }
}
