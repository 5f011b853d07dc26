using System;
using System.Buffers.Binary;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Overlay.Layouts.Support;
using Overlay.Platform;

namespace Overlay.Layouts;

// Opening: Create makes a new file, Open takes the lock and checks an existing one, before anything is handed out.
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    /// <summary>
    /// Creates a record file at <paramref name="path"/> with a zeroed header and no records, and
    /// maps it for writing, holding the file's writer lock until <see cref="Dispose"/>. The file is
    /// made under a temporary name beside <paramref name="path"/> and given its name only once its
    /// prefix is written and on the disk, so a reader never finds a half-made record file there.
    /// </summary>
    /// <param name="path">The file to create; it must not exist.</param>
    /// <param name="magic">The application's magic number, checked by <see cref="Open"/>.</param>
    /// <param name="initialCapacity">How many records to make room for now (the file grows past it as needed; <see cref="Dispose"/> trims the rest).</param>
    /// <returns>The open file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative or too large for a file.</exception>
    /// <exception cref="NotSupportedException">A layout is empty or larger than a file format field can describe.</exception>
    /// <exception cref="IOException">The file already exists, or cannot be created.</exception>
    /// <exception cref="PlatformNotSupportedException">The OS has no file locks Overlay can use (Linux 64-bit, Windows and macOS have them).</exception>
    public static RecordFile<THeaderView, TRecordView> Create(string path, ulong magic, long initialCapacity = 0) =>
        CreateCore(path, magic, initialCapacity, durableName: true);

    // durableName false: a file renamed over another before anything relies on it (an upgrade's
    // new file). Its prefix and name need not reach the disk now: its one flush before the rename
    // and the directory sync after it cover them, and save two waits for the disk.
    private static RecordFile<THeaderView, TRecordView> CreateCore(string path, ulong magic, long initialCapacity, bool durableName)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckLayoutSizes();
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);

        // The schemas are encoded before anything is created: a layout too large to describe is
        // refused with nothing on the disk. A hand-written view without a LayoutInfo gets the
        // plain 128-byte prefix (its file then opens only with the exact layouts).
        RecordFileSchemas? schemas = THeaderView.LayoutInfo is { } headerInfo && TRecordView.LayoutInfo is { } recordInfo
            ? new RecordFileSchemas(headerInfo, recordInfo)
            : null;
        byte[] prefix = schemas is null ? new byte[RecordFileFormat.PrefixSize] : RecordFileSchemas.NewPrefix(schemas.Header, schemas.Record);
        var shape = new RecordFileShape(prefix.Length, THeaderView.SizeInBytes, RecordSize, schemas is null ? null : new RecordFileSchemaRegion(schemas, path));
        long recordsOffset = shape.RecordsOffset;
        if (initialCapacity > (long.MaxValue - recordsOffset) / RecordSize)
        {
            throw new ArgumentOutOfRangeException(nameof(initialCapacity), initialCapacity, "The file would be larger than a file can be.");
        }

        long length = recordsOffset + (initialCapacity * RecordSize);

        // A created file is made under a temporary name beside path and linked into place whole
        // (DirectorySync.LinkNew), so a reader that finds path never maps a file whose prefix is not
        // written yet. An upgrade's new file (durableName false) already has a temporary name.
        string building = durableName ? Overlay.Formats.DirectorySync.NameWhileCreating(path, "record file") : path;

        // CreateNew: an existing file is an IOException here, before anything is created, and is
        // left alone; from here on, a failure removes the half-made file.
        // FileShare.ReadWrite | Delete: the writer lock, not Windows' sharing modes, keeps writers
        // apart (a second writer gets the lock's IOException, as on Linux, not a sharing violation),
        // and readers and the file's deletion (or renaming) are allowed beside it, as on Linux (where
        // .NET only emulates FileShare.None).
        SafeFileHandle file = File.OpenHandle(building, FileMode.CreateNew, FileAccess.ReadWrite, Sharing);
        RecordFileLock? fileLock = null;
        MemoryMap? map = null;
        try
        {
            // The writer lock first: an Open racing this Create must not write the new file.
            fileLock = RecordFileLock.ForWriter(file, path);
            RandomAccess.SetLength(file, length);
            map = new MemoryMap(file, 0, access: MapAccess.Write);
            ExpectedPrefix(magic, count: 0, prefix.Length).Write(prefix);

            // Slot 0 says "0 records are durable"; slot 1 stays invalid (zeros) until a flush.
            var durable = new DurableSlot(Sequence: 0, Count: 0);
            RecordFileDurableState.WriteSlot(prefix.AsSpan(durable.Offset), durable);
            MapPlatform.ForNewMaps.BootId.TryWriteBytes(prefix.AsSpan(RecordFileFormat.BootIdOffset));
            map.WriteAt(0, prefix);

            // The prefix (schemas included: they never change) on the disk, then the name (ext4,
            // XFS and btrfs make a new directory entry durable only when the directory is synced):
            // after a power loss the file is either absent or a valid empty record file, never a
            // name over zeros (docs/durability.md).
            if (durableName)
            {
                map.Flush(0, prefix.Length);
                Overlay.Formats.DirectorySync.LinkNew(building, path, "record file");
                building = path;
                Overlay.Formats.DirectorySync.SyncDirectoryOf(path);
            }

            return new RecordFile<THeaderView, TRecordView>(map, fileLock, path, count: 0, durable, created: true, shape);
        }
        catch
        {
            map?.Dispose();
            File.Delete(building);
            DisposeLockOrFile(fileLock, file);
            throw;
        }
    }

    /// <summary>
    /// Opens and validates an existing record file. A writer first takes the file's writer lock
    /// (another writer: <see cref="IOException"/>), a reader registers its presence (see the
    /// type's remarks for what readers see beside a writer). Then checked in this order, each failure an
    /// <see cref="InvalidDataException"/> naming what was expected and what was found: the file
    /// holds a whole prefix; the magic number; the format version; the prefix, header and record
    /// sizes; the header and record fingerprints; the file holds the header; the file holds every
    /// record the count claims.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="magic">The magic number the file must carry.</param>
    /// <param name="access">
    /// <see cref="MapAccess.Write"/> (or <see cref="MapAccess.Default"/>) to read, write and append;
    /// <see cref="MapAccess.Read"/> to read only (both view types must then be <c>ReadOnlyView</c>s);
    /// <see cref="MapAccess.Copy"/> for private, copy-on-write changes that never reach the file (no appending).
    /// </param>
    /// <returns>The open file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="access"/> is not a <see cref="MapAccess"/>.</exception>
    /// <exception cref="NotSupportedException"><see cref="MapAccess.Read"/> with a writable view type, or a layout a record file cannot describe.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid record file of these layouts and this magic number.</exception>
    /// <exception cref="IOException">For writing: another record file, in this process or another, has the file open for writing (checked before anything is read, mapped or changed).</exception>
    /// <exception cref="PlatformNotSupportedException">The OS has no file locks Overlay can use (Linux 64-bit, Windows and macOS have them).</exception>
    public static RecordFile<THeaderView, TRecordView> Open(string path, ulong magic, MapAccess access = MapAccess.Write)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckLayoutSizes();
        if (access is not (MapAccess.Default or MapAccess.Read or MapAccess.Write or MapAccess.Copy))
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown access.");
        }

        if (access == MapAccess.Read && (!THeaderView.IsReadOnly || !TRecordView.IsReadOnly))
        {
            string writable = THeaderView.IsReadOnly ? typeof(TRecordView).FullName! : typeof(THeaderView).FullName!;
            throw new NotSupportedException($"A record file opened with MapAccess.Read hands out read-only views only, but {writable} is writable: use the layout's ReadOnlyView.");
        }

        if (access == MapAccess.Default)
        {
            access = MapAccess.Write;
        }

        return OpenCore(path, magic, access, upgradeSource: false);
    }

    /// <summary>
    /// <see cref="Open"/>'s work. An upgrade's source (<paramref name="upgradeSource"/>) is mapped for
    /// reading under the writer lock (no writer may append to the file being rewritten, and nothing
    /// of it is written) with whatever layouts its schemas describe, which <c>Upgrade</c> converts.
    /// </summary>
    private static RecordFile<THeaderView, TRecordView> OpenCore(string path, ulong magic, MapAccess access, bool upgradeSource)
    {
        bool writer = access == MapAccess.Write;
        OpenedRecordFile opened = RecordFileReading.Open(
            path,
            magic,
            access,
            exclusive: writer || upgradeSource,
            Describe,
            upgradeSource ? UpgradeSourceShape : (found, schemas, length, file) => ValidateLayouts(found, schemas, length, file, writer));
        return new RecordFile<THeaderView, TRecordView>(opened.Map, opened.Lock, path, opened.Count, opened.Durable, created: false, opened.Shape);
    }

    /// <summary>What other opens of a record file may do beside this one: anything (see <c>Create</c>).</summary>
    private const FileShare Sharing = RecordFileReading.Sharing;

    /// <summary>What a file must be to open as this type, for messages.</summary>
    private static string Describe => $"record file of {typeof(THeaderView).FullName} and {typeof(TRecordView).FullName}";

    private static void DisposeLockOrFile(RecordFileLock? fileLock, SafeFileHandle file)
    {
        if (fileLock is null)
        {
            file.Dispose();
        }
        else
        {
            fileLock.Dispose();
        }
    }

    /// <summary>
    /// The file's layouts against the code's: the exact layouts take the path every file without
    /// schemas takes; other versions open only if the file's schemas say they differ compatibly
    /// (docs/formats.md §8.3), with the file's sizes. An incompatible difference lists every one.
    /// </summary>
    private static RecordFileShape ValidateLayouts(RecordFilePrefix found, RecordFileSchemaRegion? schemas, long length, string path, bool writer)
    {
        bool exactHeader = found.HeaderSize == (uint)THeaderView.SizeInBytes && found.HeaderFingerprint == THeaderView.LayoutFingerprint;
        bool exactRecord = found.RecordSize == (uint)TRecordView.SizeInBytes && found.RecordFingerprint == TRecordView.LayoutFingerprint;
        if (!exactHeader || !exactRecord)
        {
            CheckOtherVersion(found, schemas, path, writer, exactHeader, exactRecord);
        }

        // Exact, or sizes the decoder checked (1 to 2^30 - 1) and the prefix agrees with.
        return FileShape(found, schemas, length, path);
    }

    private static RecordFileShape UpgradeSourceShape(RecordFilePrefix found, RecordFileSchemaRegion? schemas, long length, string path)
    {
        if (schemas is null)
        {
            throw Invalid(path, "it embeds no schemas (it was written before record files did), so it cannot be upgraded field by field: it opens only with its exact layouts");
        }

        // Decoded now: the sizes are trusted once they are checked against the schemas, whose
        // decoder allows 1 to 2^30 - 1 bytes.
        _ = schemas.Schemas;
        return FileShape(found, schemas, length, path);
    }

    /// <summary>The file's shape, by sizes the caller checked (the code's, or its schemas'), and that the file holds its header.</summary>
    private static RecordFileShape FileShape(RecordFilePrefix found, RecordFileSchemaRegion? schemas, long length, string path) =>
        RecordFileReading.FileShape(found, schemas, length, path, Describe);

    private static void CheckOtherVersion(RecordFilePrefix found, RecordFileSchemaRegion? region, string path, bool writer, bool exactHeader, bool exactRecord)
    {
        LayoutInfo? codeHeader = THeaderView.LayoutInfo;
        LayoutInfo? codeRecord = TRecordView.LayoutInfo;
        if (region is null || codeHeader is null || codeRecord is null)
        {
            string why = region is null ? "the file carries no schemas to compare them by" : "the views have no LayoutInfo to compare them by";
            throw Invalid(path, ExactMismatch(found) + ", and " + why);
        }

        RecordFileSchemas schemas = region.Schemas;

        Overlay.Schemas.SchemaComparison? header = exactHeader ? null : Overlay.Schemas.SchemaComparison.Compare(schemas.Header, codeHeader);
        Overlay.Schemas.SchemaComparison? record = exactRecord ? null : Overlay.Schemas.SchemaComparison.Compare(schemas.Record, codeRecord);
        if (header is { IsCompatible: false } || record is { IsCompatible: false })
        {
            string differences = (header is null ? string.Empty : $"header {header}") + (record is null ? string.Empty : $"records {record}");
            throw Invalid(path, $"{ExactMismatch(found)}; the file's layouts and the code's differ incompatibly, so the file needs an upgrade:\n{differences.TrimEnd('\n')}\n");
        }

        if (writer && (found.HeaderSize < (uint)THeaderView.SizeInBytes || found.RecordSize < (uint)TRecordView.SizeInBytes))
        {
            throw new NotSupportedException($"{path} was written by an older version of {(found.RecordSize < (uint)TRecordView.SizeInBytes ? typeof(TRecordView) : typeof(THeaderView)).FullName} ({found.HeaderSize}-byte header, {found.RecordSize}-byte records): this code's records would not fit in it. Open it with MapAccess.Read and read it with Load and LoadHeader (the fields it lacks read as their defaults), or upgrade it.");
        }
    }

    private static string ExactMismatch(RecordFilePrefix found)
    {
        if (found.HeaderSize != (uint)THeaderView.SizeInBytes)
        {
            return $"its header size is {found.HeaderSize} bytes, expected {THeaderView.SizeInBytes} ({typeof(THeaderView).FullName})";
        }

        if (found.RecordSize != (uint)TRecordView.SizeInBytes)
        {
            return $"its record size is {found.RecordSize} bytes, expected {TRecordView.SizeInBytes} ({typeof(TRecordView).FullName})";
        }

        if (found.HeaderFingerprint != THeaderView.LayoutFingerprint)
        {
            return $"its header fingerprint is 0x{found.HeaderFingerprint:X16}, expected 0x{THeaderView.LayoutFingerprint:X16} ({typeof(THeaderView).FullName}): the header layout differs";
        }

        return $"its record fingerprint is 0x{found.RecordFingerprint:X16}, expected 0x{TRecordView.LayoutFingerprint:X16} ({typeof(TRecordView).FullName}): the record layout differs";
    }

    private static RecordFilePrefix ExpectedPrefix(ulong magic, long count, int prefixSize) => new(
        magic,
        RecordFileFormat.Version,
        (uint)prefixSize,
        (uint)THeaderView.SizeInBytes,
        (uint)TRecordView.SizeInBytes,
        THeaderView.LayoutFingerprint,
        TRecordView.LayoutFingerprint,
        (ulong)count);

    private static InvalidDataException Invalid(string path, string difference) =>
        RecordFileReading.Invalid(path, Describe, difference);

    private static void CheckLayoutSizes()
    {
        // The format stores sizes as u32; generated layouts are far smaller, but a hand-written
        // view could claim anything.
        if (THeaderView.SizeInBytes < 0)
        {
            throw new NotSupportedException($"{typeof(THeaderView).FullName} claims a negative size.");
        }

        if (TRecordView.SizeInBytes <= 0)
        {
            throw new NotSupportedException($"{typeof(TRecordView).FullName} is {TRecordView.SizeInBytes} bytes: a record needs at least one byte.");
        }
    }
}
