using System;
using System.Buffers.Binary;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Overlay.Layouts.Support;
using Overlay.Platform;

namespace Overlay.Layouts;

/// <summary>
/// Opening an existing record file, up to the layouts: the lock, the prefix's checks, the schema
/// region, the map, which count to believe, and a writer's adoption of it. Shared by
/// <c>RecordFile.Open</c> and <c>MappedContainer.Open</c> (a record file seen as a container,
/// docs/formats.md §7), so that both take the same lock, refuse the same files and believe the
/// same count. The layouts are the caller's to check (the shape check given to
/// <see cref="Open"/>): a <c>RecordFile</c> compares them with its view types, a container view
/// with nothing but the file's own schemas.
/// </summary>
internal static class RecordFileReading
{
    /// <summary>How many bytes <see cref="Open"/> reads first: the fixed prefix and the schema region of all but the largest layouts.</summary>
    public const int FirstRead = 4096;

    /// <summary>What other opens of a record file may do beside this one: anything (see <c>RecordFile.Create</c>).</summary>
    public const FileShare Sharing = FileShare.ReadWrite | FileShare.Delete;

    /// <summary>Checks the file's layouts, given its prefix, its schemas (null: none) and the map's length; returns its shape.</summary>
    public delegate RecordFileShape ShapeCheck(RecordFilePrefix found, RecordFileSchemaRegion? schemas, long length, string path);

    /// <summary>
    /// Opens <paramref name="path"/>, takes its lock (the writer lock when <paramref name="exclusive"/>,
    /// reader presence otherwise) before anything is read, checks its prefix, maps it with
    /// <paramref name="access"/>, has <paramref name="checkShape"/> check its layouts and chooses its
    /// count; a writer (<see cref="MapAccess.Write"/>) adopts that count. On failure nothing is held
    /// and nothing in the file has changed.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="magic">The magic number it must carry.</param>
    /// <param name="access">How to map it; <see cref="MapAccess.Write"/> adopts the count.</param>
    /// <param name="exclusive">Take the writer lock (a writer, or a reader that must keep writers out).</param>
    /// <param name="what">What the file must be, for messages: "record file of A and B".</param>
    /// <param name="checkShape">Checks the layouts and returns the file's shape.</param>
    public static OpenedRecordFile Open(string path, ulong magic, MapAccess access, bool exclusive, string what, ShapeCheck checkShape)
    {
        bool writer = access == MapAccess.Write;
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, exclusive ? FileAccess.ReadWrite : FileAccess.Read, Sharing);
        RecordFileLock? fileLock = null;
        MemoryMap? map = null;
        try
        {
            // The lock before anything is read, mapped or changed (RecordFileLock has the protocol).
            fileLock = exclusive ? RecordFileLock.ForWriter(file, path) : RecordFileLock.ForReader(file);
            long fileLength = RandomAccess.GetLength(file);
            if (fileLength < RecordFileFormat.PrefixSize)
            {
                throw Invalid(path, what, $"it is {fileLength} bytes long, shorter than the {RecordFileFormat.PrefixSize}-byte record file prefix");
            }

            // The prefix is read before the map is made, and checked against the map's length: a
            // writer beside a reader grows the file before it counts records there, and never
            // shrinks it, so the mapping made after the count was read holds every record counted.
            // Read from the map instead, a count a writer committed after the mapping was made
            // could claim records past its end.
            // One read for the fixed prefix and, in most files, the schema region after it.
            Span<byte> bytes = stackalloc byte[FirstRead];
            int read = RandomAccess.Read(file, bytes[..(int)Math.Min(FirstRead, fileLength)], 0);
            if (read < RecordFileFormat.PrefixSize)
            {
                throw Invalid(path, what, $"it was cut to {read} bytes while it was being opened, shorter than the {RecordFileFormat.PrefixSize}-byte record file prefix");
            }

            RecordFilePrefix found = RecordFilePrefix.Read(bytes);
            ValidateIdentity(found, path, magic, what);
            RecordFileSchemaRegion? schemas = found.PrefixSize == RecordFileFormat.PrefixSize
                ? null
                : ReadSchemaRegion(file, fileLength, found, bytes[..read], path, what);
            Guid bootNow = MapPlatform.ForNewMaps.BootId;
            map = new MemoryMap(file, 0, access: access);
            RecordFileShape shape = checkShape(found, schemas, map.Length, path);
            (long count, DurableSlot durable) = ChooseCount(bytes, found.RecordCount, map, bootNow, path, what, shape);
            if (writer)
            {
                Adopt(map, count, bootNow);
            }

            return new OpenedRecordFile(map, fileLock, found, shape, count, durable);
        }
        catch
        {
            map?.Dispose();
            if (fileLock is null)
            {
                file.Dispose();
            }
            else
            {
                fileLock.Dispose();
            }

            throw;
        }
    }

    /// <summary>The file's shape, by sizes the caller checked (the code's, or its schemas'), and that the file holds its header.</summary>
    public static RecordFileShape FileShape(RecordFilePrefix found, RecordFileSchemaRegion? schemas, long length, string path, string what)
    {
        var shape = new RecordFileShape(found.PrefixSize, (int)found.HeaderSize, (int)found.RecordSize, schemas);
        if (length < shape.RecordsOffset)
        {
            throw Invalid(path, what, $"it is {length} bytes long, shorter than its {found.PrefixSize}-byte prefix and {found.HeaderSize}-byte header ({shape.RecordsOffset} bytes)");
        }

        return shape;
    }

    public static InvalidDataException Invalid(string path, string what, string difference) =>
        new($"{path} is not a valid {what}: {difference}.");

    private static RecordFileSchemaRegion ReadSchemaRegion(SafeFileHandle file, long fileLength, RecordFilePrefix found, ReadOnlySpan<byte> first, string path, string what)
    {
        try
        {
            return new RecordFileSchemaRegion(RecordFileSchemas.ReadRegion(file, fileLength, found, first), found, path);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, what, e.Message);
        }
    }

    private static void ValidateIdentity(RecordFilePrefix found, string path, ulong magic, string what)
    {
        if (found.Magic != magic)
        {
            throw Invalid(path, what, $"its magic number is 0x{found.Magic:X16}, expected 0x{magic:X16}");
        }

        if (found.FormatVersion == 1)
        {
            // Version 1 had one count, stored by every append, which a power loss could leave
            // claiming records that never reached the disk; its 48-byte prefix has no room for the
            // durable counts, so it cannot be upgraded in place. Refused rather than half-trusted
            // (the format has not been released: no version 1 files exist outside tests).
            throw Invalid(path, what, $"its format version is 1, written before record files kept a durable count (docs/durability.md); this library reads version {RecordFileFormat.Version} only: copy the records into a new file made with RecordFile.Create");
        }

        if (found.FormatVersion != RecordFileFormat.Version)
        {
            throw Invalid(path, what, $"its format version is {found.FormatVersion}, expected {RecordFileFormat.Version}");
        }

        if (found.PrefixSize < RecordFileFormat.PrefixSize)
        {
            throw Invalid(path, what, $"its prefix size is {found.PrefixSize} bytes, expected {RecordFileFormat.PrefixSize}");
        }
    }

    /// <summary>
    /// Which count to believe (docs/durability.md): the live count if the session that stored it
    /// ran in this boot (its page cache, and so every record it counted, is intact, whatever
    /// crashed); otherwise the durable count of the better slot, or the seal's count when its
    /// check holds over the records it claims. Every count is checked against the file's length.
    /// </summary>
    private static (long Count, DurableSlot Durable) ChooseCount(ReadOnlySpan<byte> prefix, ulong live, MemoryMap map, Guid bootNow, string path, string what, RecordFileShape shape)
    {
        long length = map.Length;
        long recordsOffset = shape.RecordsOffset;
        int stride = shape.Stride;
        ulong fits = (ulong)((length - recordsOffset) / stride);
        if (RecordFileDurableState.ReadBest(prefix) is not { } durable)
        {
            throw Invalid(path, what, "neither of its two durable counts is intact (their checks fail): the prefix is damaged");
        }

        if (durable.Count > fits)
        {
            throw Invalid(path, what, $"its durable count claims {durable.Count} records but its {length} bytes hold at most {fits} records of {stride} bytes");
        }

        if (bootNow != Guid.Empty && RecordFileDurableState.ReadBootId(prefix) == bootNow)
        {
            if (live > fits)
            {
                throw Invalid(path, what, $"it claims {live} records but its {length} bytes hold at most {fits} records of {stride} bytes");
            }

            if (live < durable.Count)
            {
                throw Invalid(path, what, $"its live count {live} is below its durable count {durable.Count}");
            }

            return ((long)live, durable);
        }

        // Another boot: the live count may have reached the disk before its records did. A seal
        // extends the durable count only if every record it claims is on the disk as sealed.
        // Either version of the seal (RecordFileDurableState.TryReadSeal).
        if (RecordFileDurableState.TryReadSeal(prefix, map, recordsOffset, stride, fits, durable, out ulong sealedCount))
        {
            return ((long)sealedCount, durable);
        }

        return ((long)durable.Count, durable);
    }

    /// <summary>
    /// A writer makes the chosen count its live count, then stamps its boot: in that order, so
    /// that a crash between the two never pairs this boot with a count another boot stored.
    /// </summary>
    private static void Adopt(MemoryMap map, long count, Guid bootNow)
    {
        ValueAccess.Write(map, RecordFileFormat.RecordCountOffset, (ulong)count, bigEndian: false);
        Span<byte> id = stackalloc byte[16];
        bootNow.TryWriteBytes(id);
        map.WriteAt(RecordFileFormat.BootIdOffset, id);
    }
}
