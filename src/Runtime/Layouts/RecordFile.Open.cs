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
        bool exclusive = writer || upgradeSource;
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
                throw Invalid(path, $"it is {fileLength} bytes long, shorter than the {RecordFileFormat.PrefixSize}-byte record file prefix");
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
                throw Invalid(path, $"it was cut to {read} bytes while it was being opened, shorter than the {RecordFileFormat.PrefixSize}-byte record file prefix");
            }

            RecordFilePrefix found = RecordFilePrefix.Read(bytes);
            ValidateIdentity(found, path, magic);
            RecordFileSchemaRegion? schemas = found.PrefixSize == RecordFileFormat.PrefixSize
                ? null
                : ReadSchemaRegion(file, fileLength, found, bytes[..read], path);
            Guid bootNow = MapPlatform.ForNewMaps.BootId;
            map = new MemoryMap(file, 0, access: access);
            RecordFileShape shape = upgradeSource ? UpgradeSourceShape(found, schemas, map.Length, path) : ValidateLayouts(found, schemas, map.Length, path, writer);
            (long count, DurableSlot durable) = ChooseCount(bytes, found.RecordCount, map, bootNow, path, shape);
            if (writer)
            {
                Adopt(map, count, bootNow);
            }

            return new RecordFile<THeaderView, TRecordView>(map, fileLock, path, count, durable, created: false, shape);
        }
        catch
        {
            map?.Dispose();
            DisposeLockOrFile(fileLock, file);
            throw;
        }
    }

    /// <summary>How many bytes <c>Open</c> reads first: the fixed prefix and the schema region of all but the largest layouts.</summary>
    private const int FirstRead = 4096;

    private static RecordFileSchemaRegion ReadSchemaRegion(SafeFileHandle file, long fileLength, RecordFilePrefix found, ReadOnlySpan<byte> first, string path)
    {
        try
        {
            return new RecordFileSchemaRegion(RecordFileSchemas.ReadRegion(file, fileLength, found, first), found, path);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, e.Message);
        }
    }

    /// <summary>What other opens of a record file may do beside this one: anything (see <c>Create</c>).</summary>
    private const FileShare Sharing = FileShare.ReadWrite | FileShare.Delete;

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

    private static void ValidateIdentity(RecordFilePrefix found, string path, ulong magic)
    {
        if (found.Magic != magic)
        {
            throw Invalid(path, $"its magic number is 0x{found.Magic:X16}, expected 0x{magic:X16}");
        }

        if (found.FormatVersion == 1)
        {
            // Version 1 had one count, stored by every append, which a power loss could leave
            // claiming records that never reached the disk; its 48-byte prefix has no room for the
            // durable counts, so it cannot be upgraded in place. Refused rather than half-trusted
            // (the format has not been released: no version 1 files exist outside tests).
            throw Invalid(path, $"its format version is 1, written before record files kept a durable count (docs/durability.md); this library reads version {RecordFileFormat.Version} only: copy the records into a new file made with RecordFile.Create");
        }

        if (found.FormatVersion != RecordFileFormat.Version)
        {
            throw Invalid(path, $"its format version is {found.FormatVersion}, expected {RecordFileFormat.Version}");
        }

        if (found.PrefixSize < RecordFileFormat.PrefixSize)
        {
            throw Invalid(path, $"its prefix size is {found.PrefixSize} bytes, expected {RecordFileFormat.PrefixSize}");
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
    private static RecordFileShape FileShape(RecordFilePrefix found, RecordFileSchemaRegion? schemas, long length, string path)
    {
        var shape = new RecordFileShape(found.PrefixSize, (int)found.HeaderSize, (int)found.RecordSize, schemas);
        if (length < shape.RecordsOffset)
        {
            throw Invalid(path, $"it is {length} bytes long, shorter than its {found.PrefixSize}-byte prefix and {found.HeaderSize}-byte header ({shape.RecordsOffset} bytes)");
        }

        return shape;
    }

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

    /// <summary>
    /// Which count to believe (docs/durability.md): the live count if the session that stored it
    /// ran in this boot (its page cache, and so every record it counted, is intact, whatever
    /// crashed); otherwise the durable count of the better slot, or the seal's count when its
    /// check holds over the records it claims. Every count is checked against the file's length.
    /// </summary>
    private static (long Count, DurableSlot Durable) ChooseCount(ReadOnlySpan<byte> prefix, ulong live, MemoryMap map, Guid bootNow, string path, RecordFileShape shape)
    {
        long length = map.Length;
        long recordsOffset = shape.RecordsOffset;
        int stride = shape.Stride;
        ulong fits = (ulong)((length - recordsOffset) / stride);
        if (RecordFileDurableState.ReadBest(prefix) is not { } durable)
        {
            throw Invalid(path, "neither of its two durable counts is intact (their checks fail): the prefix is damaged");
        }

        if (durable.Count > fits)
        {
            throw Invalid(path, $"its durable count claims {durable.Count} records but its {length} bytes hold at most {fits} records of {stride} bytes");
        }

        if (bootNow != Guid.Empty && RecordFileDurableState.ReadBootId(prefix) == bootNow)
        {
            if (live > fits)
            {
                throw Invalid(path, $"it claims {live} records but its {length} bytes hold at most {fits} records of {stride} bytes");
            }

            if (live < durable.Count)
            {
                throw Invalid(path, $"its live count {live} is below its durable count {durable.Count}");
            }

            return ((long)live, durable);
        }

        // Another boot: the live count may have reached the disk before its records did. A seal
        // extends the durable count only if every record it claims is on the disk as sealed.
        ulong sealedCount = BinaryPrimitives.ReadUInt64LittleEndian(prefix[RecordFileFormat.SealCountOffset..]);
        ulong sealCheck = BinaryPrimitives.ReadUInt64LittleEndian(prefix[RecordFileFormat.SealCheckOffset..]);
        if (sealedCount > durable.Count && sealedCount <= fits
            && RecordFileDurableState.SealCheck(map, recordsOffset, stride, sealedCount, durable) == sealCheck)
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
        new($"{path} is not a valid record file of {typeof(THeaderView).FullName} and {typeof(TRecordView).FullName}: {difference}.");

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
