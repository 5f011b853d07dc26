using System;
using System.IO;
using System.Numerics;
using System.Security.Cryptography;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using Overlay.Layouts;

namespace Overlay.Indexes;

// Opening: Create makes a new file; Open takes the lock and checks every header field against the
// types and the file's length before anything is handed out.
public sealed unsafe partial class MappedHashIndex<TKey, TValue>
{
    /// <summary>
    /// Creates an index file at <paramref name="path"/>, empty, and opens it for writing, holding
    /// the file's writer lock until <see cref="Dispose"/>. The header reaches the disk before this returns.
    /// </summary>
    /// <param name="path">The file to create; it must not exist.</param>
    /// <param name="options">Capacity, load factor, seed and tag; null for the defaults.</param>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys, <see cref="IndexKeyFormat.ForLayout{TLayout}"/> for a layout.</param>
    /// <returns>The open index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="NotSupportedException">The key type needs a <paramref name="keyFormat"/>, or the value layout is too large.</exception>
    /// <exception cref="IOException">The file exists, or cannot be created.</exception>
    /// <exception cref="PlatformNotSupportedException">The OS has no file locks Overlay can use (Linux 64-bit, Windows and macOS have them).</exception>
    public static MappedHashIndex<TKey, TValue> Create(string path, HashIndexOptions? options = null, IndexKeyFormat<TKey>? keyFormat = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        keyFormat ??= IndexKeyFormat<TKey>.Default;
        HashIndexHeader header = PlanNew(options, keyFormat, out long length);

        SafeFileHandle file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, Sharing);
        RecordFileLock? fileLock = null;
        MemoryMap? map = null;
        try
        {
            fileLock = RecordFileLock.ForWriter(file, path, "MappedHashIndex");
            RandomAccess.SetLength(file, length);
            map = new MemoryMap(file, 0, access: MapAccess.Write);

            // Inserts land on random slots: without this, each first store into a page of the new
            // table is a page fault, in random order. One MADV_POPULATE_WRITE maps them all in
            // sequence (an optimisation: a platform or kernel without it leaves them to fault).
            map.TryPrefaultForWrite(0, length);
            Span<byte> bytes = stackalloc byte[HashIndexHeader.Size];
            header.Write(bytes);
            map.WriteAt(0, bytes);
            map.Flush(0, HashIndexHeader.Size);
            return new MappedHashIndex<TKey, TValue>(keyFormat, map, fileLock, path, header, 0);
        }
        catch
        {
            map?.Dispose();
            File.Delete(path);
            DisposeLockOrFile(fileLock, file);
            throw;
        }
    }

    /// <summary>
    /// Opens and validates an index file. A writer first takes the file's writer lock (another
    /// writer: <see cref="IOException"/>); a reader registers its presence. Then each check fails
    /// with an <see cref="InvalidDataException"/> naming what was expected and what was found: the
    /// file holds a header; magic, format version, header size; the header's checksum; the hash
    /// function; the key's size and fingerprint; the value's; the tag; load factor, slot stride, tail
    /// and capacity; the file holds every slot; the count; the state (a file a writer changed and
    /// never flushed, because it crashed, is refused unless <paramref name="recover"/>).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="access"><see cref="MapAccess.Write"/> (or <see cref="MapAccess.Default"/>) to read and change; <see cref="MapAccess.Read"/> to read only (then <typeparamref name="TValue"/> must be a <c>ReadOnlyView</c>).</param>
    /// <param name="keyFormat">How keys are stored: null for primitive and <see cref="Guid"/> keys.</param>
    /// <param name="tag">The application tag the file must carry.</param>
    /// <param name="recover">
    /// For a writer: open a file a crashed writer left dirty, and rebuild its table from the rescue
    /// area of an interrupted growth or compaction and from every slot whose stored hash matches its
    /// key; the count is recounted. Every entry of the last completed flush that was not changed
    /// since is kept with its value; entries changed after it may be lost or come back as they were.
    /// </param>
    /// <returns>The open index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="access"/> is not Default, Write or Read.</exception>
    /// <exception cref="NotSupportedException"><see cref="MapAccess.Read"/> with a writable view type; a key type that needs a <paramref name="keyFormat"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid index of these types and this tag, or was left dirty by a crashed writer.</exception>
    /// <exception cref="IOException">For writing: another writer has the file open.</exception>
    /// <exception cref="PlatformNotSupportedException">The OS has no file locks Overlay can use (Linux 64-bit, Windows and macOS have them).</exception>
    public static MappedHashIndex<TKey, TValue> Open(string path, MapAccess access = MapAccess.Write, IndexKeyFormat<TKey>? keyFormat = null, ulong tag = 0, bool recover = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (access is not (MapAccess.Default or MapAccess.Write or MapAccess.Read))
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "An index is opened with MapAccess.Write (or Default) or MapAccess.Read.");
        }

        keyFormat ??= IndexKeyFormat<TKey>.Default;
        int stride = SlotStride(keyFormat);
        bool writer = access != MapAccess.Read;
        if (!writer && !TValue.IsReadOnly)
        {
            throw new NotSupportedException($"An index opened with MapAccess.Read hands out read-only views only, but {typeof(TValue).FullName} is writable: use the layout's ReadOnlyView.");
        }

        if (recover && !writer)
        {
            throw new ArgumentException("Only a writer can recover an index: open it with MapAccess.Write.", nameof(recover));
        }

        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, writer ? FileAccess.ReadWrite : FileAccess.Read, Sharing);
        RecordFileLock? fileLock = null;
        MemoryMap? map = null;
        try
        {
            fileLock = writer ? RecordFileLock.ForWriter(file, path, "MappedHashIndex") : RecordFileLock.ForReader(file);
            HashIndexHeader header = ReadHeader(file, path, writer);

            // Mapped after the header is read, as a record file: a writer beside this reader only
            // grows the file, so the mapping holds every slot the header it read describes.
            map = new MemoryMap(file, 0, access: writer ? MapAccess.Write : MapAccess.Read);
            long count = Validate(header, map.Length, path, keyFormat, stride, tag, recover);
            if (!writer)
            {
                ReaderFolioAdvice.Apply(map);
            }

            if (header.State != HashIndexHeader.Clean && !recover && (writer || !RecordFileLock.IsWriterPresent(file)))
            {
                throw Invalid(path, keyFormat, "it was changed after its last Flush by a writer that did not close it (it crashed or was killed), so its slots may disagree with its header; open it for writing with recover: true to rebuild it from its slots");
            }

            var index = new MappedHashIndex<TKey, TValue>(keyFormat, map, fileLock, path, header, count);
            if (recover && header.State != HashIndexHeader.Clean)
            {
                index.Rebuild((long)header.RescueOffset, (long)header.RescueCount);
            }

            return index;
        }
        catch
        {
            map?.Dispose();
            DisposeLockOrFile(fileLock, file);
            throw;
        }
    }

    /// <summary>Checks the options and makes the header of a new, empty index; <paramref name="length"/> is its region's length.</summary>
    internal static HashIndexHeader PlanNew(HashIndexOptions? options, IndexKeyFormat<TKey> keyFormat, out long length)
    {
        options ??= new HashIndexOptions();
        int load = options.MaxLoadPercent;
        if (load is < HashIndexOptions.MinimumLoadPercent or > HashIndexOptions.MaximumLoadPercent)
        {
            throw new ArgumentOutOfRangeException(nameof(options), load, $"MaxLoadPercent must be from {HashIndexOptions.MinimumLoadPercent} to {HashIndexOptions.MaximumLoadPercent}.");
        }

        long initial = options.InitialCapacity;
        if (initial < 0 || initial > MaximumCapacity / 100 * load)
        {
            throw new ArgumentOutOfRangeException(nameof(options), initial, $"InitialCapacity must be from 0 to {MaximumCapacity / 100 * load}.");
        }

        int tail = options.TailSlots;
        if (tail is < 1 or > MaximumTailSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(options), tail, $"TailSlots must be from 1 to {MaximumTailSlots}.");
        }

        int stride = SlotStride(keyFormat);
        long capacity = Math.Max(MinimumCapacity, (long)BitOperations.RoundUpToPowerOf2((ulong)((initial * 100 + load - 1) / load)));
        length = HashIndexHeader.Size + ((capacity + tail) * stride);
        uint function = options.HashFunction;
        if (!StableHash.IsKnown(function))
        {
            throw new ArgumentOutOfRangeException(nameof(options), function, $"HashFunction must be {StableHash.Function1} or {StableHash.Function2}.");
        }

        ulong seed = options.Seed ?? RandomSeed();
        return MakeHeader(keyFormat, keyFormat.Size, TValue.SizeInBytes, stride, tail, load, function, seed, options.Tag, capacity, 0, HashIndexHeader.Clean);
    }

    private const int MaximumTailSlots = 65536;

    // As record files: the writer lock, not Windows' sharing modes, keeps writers apart, so a
    // Windows reader can open a file a writer holds (and the other way round), and a file open
    // anywhere can still be deleted or renamed over.
    private const FileShare Sharing = FileShare.ReadWrite | FileShare.Delete;

    private static HashIndexHeader ReadHeader(SafeFileHandle file, string path, bool writer)
    {
        Span<byte> bytes = stackalloc byte[HashIndexHeader.Size];

        // A reader beside a live writer may read the header while the writer rewrites it (at its
        // first change after a flush, and at each flush): a torn read fails the checksum, and is
        // read again. A writer holds the lock, so nobody writes its header under it.
        for (int attempt = 0; ; attempt++)
        {
            long length = RandomAccess.GetLength(file);
            if (length < HashIndexHeader.Size)
            {
                throw new InvalidDataException($"{path} is not a valid hash index: it is {length} bytes long, shorter than the {HashIndexHeader.Size}-byte header.");
            }

            int read = RandomAccess.Read(file, bytes, 0);
            if (read < HashIndexHeader.Size)
            {
                throw new InvalidDataException($"{path} is not a valid hash index: it was cut to {read} bytes while it was being opened.");
            }

            HashIndexHeader header = HashIndexHeader.Read(bytes);
            if (writer || attempt >= 20 || header.Magic != HashIndexHeader.ExpectedMagic || header.Checksum == HashIndexHeader.ComputeChecksum(bytes))
            {
                return header;
            }

            Thread.Sleep(1);
        }
    }

    private static long Validate(in HashIndexHeader found, long length, string path, IndexKeyFormat<TKey> keys, int stride, ulong tag, bool recover)
    {
        if (found.Magic != HashIndexHeader.ExpectedMagic)
        {
            throw Invalid(path, keys, $"its magic number is 0x{found.Magic:X16}, expected 0x{HashIndexHeader.ExpectedMagic:X16} (\"OVLHASH1\")");
        }

        if (found.FormatVersion != HashIndexHeader.Version)
        {
            throw Invalid(path, keys, $"its format version is {found.FormatVersion}, expected {HashIndexHeader.Version}");
        }

        if (found.HeaderSize != HashIndexHeader.Size)
        {
            throw Invalid(path, keys, $"its header size is {found.HeaderSize} bytes, expected {HashIndexHeader.Size}");
        }

        Span<byte> bytes = stackalloc byte[HashIndexHeader.Size];
        found.Write(bytes);
        uint computed = HashIndexHeader.ComputeChecksum(bytes);
        if (found.Checksum != computed || !found.ReservedIsZero)
        {
            throw Invalid(path, keys, found.ReservedIsZero
                ? $"its header checksum is 0x{found.Checksum:X8} but its bytes give 0x{computed:X8}: the header is damaged"
                : "its reserved header bytes (96 to 123) are not zero");
        }

        if (!StableHash.IsKnown(found.HashFunction))
        {
            throw Invalid(path, keys, $"its hash function is {found.HashFunction}, expected {StableHash.Function1} or {StableHash.Function2} (the functions this version knows)");
        }

        if (found.KeySize != keys.Size || found.KeyFingerprint != keys.Fingerprint)
        {
            throw Invalid(path, keys, $"its keys are {found.KeySize} bytes with fingerprint 0x{found.KeyFingerprint:X16}, expected {keys.Size} bytes with 0x{keys.Fingerprint:X16} ({keys.Name}): it was made for another key type");
        }

        if (found.ValueSize != (uint)TValue.SizeInBytes || found.ValueFingerprint != TValue.LayoutFingerprint)
        {
            throw Invalid(path, keys, $"its values are {found.ValueSize} bytes with fingerprint 0x{found.ValueFingerprint:X16}, expected {TValue.SizeInBytes} bytes with 0x{TValue.LayoutFingerprint:X16} ({typeof(TValue).FullName}): it was made for another value layout");
        }

        if (found.Tag != tag)
        {
            throw Invalid(path, keys, $"its tag is 0x{found.Tag:X16}, expected 0x{tag:X16}");
        }

        if (found.MaxLoadPercent is < HashIndexOptions.MinimumLoadPercent or > HashIndexOptions.MaximumLoadPercent)
        {
            throw Invalid(path, keys, $"its load factor is {found.MaxLoadPercent}%, outside {HashIndexOptions.MinimumLoadPercent} to {HashIndexOptions.MaximumLoadPercent}");
        }

        if (found.SlotStride != (uint)stride)
        {
            throw Invalid(path, keys, $"its slot stride is {found.SlotStride} bytes, expected {stride}");
        }

        if (found.TailSlots is < 1 or > MaximumTailSlots)
        {
            throw Invalid(path, keys, $"its tail is {found.TailSlots} slots, outside 1 to {MaximumTailSlots}");
        }

        if (found.Capacity < MinimumCapacity || found.Capacity > MaximumCapacity || !BitOperations.IsPow2(found.Capacity))
        {
            throw Invalid(path, keys, $"its capacity is {found.Capacity} slots, not a power of two from {MinimumCapacity} to {MaximumCapacity}");
        }

        // Divisions, never products: no field can overflow the check.
        long slots = (long)found.Capacity + found.TailSlots;
        long fits = (length - HashIndexHeader.Size) / stride;
        if (slots > fits)
        {
            throw Invalid(path, keys, $"it claims {slots} slots of {stride} bytes but its {length} bytes hold {fits}");
        }

        if (found.Count > (ulong)slots && !recover)
        {
            throw Invalid(path, keys, $"it claims {found.Count} entries in {slots} slots");
        }

        if (found.State is not (HashIndexHeader.Clean or HashIndexHeader.Dirty or HashIndexHeader.Relayout) || found.Flags != 0)
        {
            throw Invalid(path, keys, $"its state is {found.State} and flags 0x{found.Flags:X8}, expected state 0, 1 or 2 and no flags");
        }

        // A rescue area is only live while a relayout runs; it lies after the header and inside the file.
        if (found.State != HashIndexHeader.Relayout
            ? found.RescueOffset != 0 || found.RescueCount != 0
            : found.RescueOffset < HashIndexHeader.Size || found.RescueOffset > (ulong)length || found.RescueCount > (ulong)((length - (long)found.RescueOffset) / stride))
        {
            throw Invalid(path, keys, $"its rescue area ({found.RescueCount} slots at {found.RescueOffset}) does not fit its state {found.State} and its {length} bytes");
        }

        return (long)Math.Min(found.Count, (ulong)slots);
    }

    internal static int SlotStride(IndexKeyFormat<TKey> keys)
    {
        int valueSize = TValue.SizeInBytes;
        if (keys.Size is <= 0 or > IndexKeyFormat.MaximumKeySize)
        {
            throw new NotSupportedException($"{keys.Name} is {keys.Size} bytes: an index key is 1 to {IndexKeyFormat.MaximumKeySize} bytes.");
        }

        if (valueSize is < 0 or > (1 << 20))
        {
            throw new NotSupportedException($"{typeof(TValue).FullName} is {valueSize} bytes: an index value is 0 to 1 MiB.");
        }

        return (sizeof(ulong) + keys.Size + valueSize + 7) & ~7;
    }

    private static ulong RandomSeed()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private static InvalidDataException Invalid(string path, IndexKeyFormat<TKey> keys, string difference) =>
        new($"{path} is not a valid hash index of {keys.Name} to {typeof(TValue).FullName}: {difference}.");

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
}
