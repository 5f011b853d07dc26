using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Overlay.Formats;
using Overlay.Schemas;

namespace Overlay.Layouts;

// Upgrade (docs/formats.md §8.5): a record file whose embedded schemas describe another version of
// the layouts is rewritten into the current ones, as a container's sections are: a new file, then
// a rename.
public sealed partial class RecordFile<THeaderView, TRecordView>
{
    /// <summary>
    /// Rewrites the record file at <paramref name="path"/> into <typeparamref name="THeaderView"/>'s
    /// and <typeparamref name="TRecordView"/>'s layouts, converting the header and every record
    /// through the schemas the file embeds (<see cref="RecordConverter"/>: fields matched by name or
    /// <c>[FormerName]</c>, numbers widened, strings re-encoded, removed fields dropped, added ones
    /// defaulted). Crash-safe: the new file is written next to the old one
    /// (<c>path.upgrade-*.tmp</c>), flushed, then renamed over it and the directory synced; any
    /// failure leaves the old file as it was. The old file's writer lock is held while the new file
    /// is written, so no writer appends to it meanwhile; it is released just before the rename.
    /// </summary>
    /// <param name="path">The record file.</param>
    /// <param name="magic">The magic number it carries (kept).</param>
    /// <param name="recordConverters">Converters for record fields that could lose values, by field name (see <see cref="RecordConverter.Create"/>); merged with those the record layout declares (<c>[UpgradeConverter]</c>), these winning field by field.</param>
    /// <param name="headerConverters">Converters for header fields that could lose values; merged likewise with the header layout's.</param>
    /// <param name="progress">Told the records converted so far, after each batch (64K records, fewer when they are large), on the calling thread.</param>
    /// <returns>The number of records converted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotSupportedException">A view type has no <c>LayoutInfo</c> (a hand-written view).</exception>
    /// <exception cref="InvalidDataException">The file is invalid, embeds no schemas, or a stored value does not fit its new field; the old file is intact.</exception>
    /// <exception cref="InvalidOperationException">A field could lose values and has no converter (every such field is listed); the old file is intact.</exception>
    /// <exception cref="IOException">Another process has the file open for writing, or writing or renaming failed; the old file is intact.</exception>
    public static long Upgrade(
        string path,
        ulong magic,
        IReadOnlyDictionary<string, FieldConverter>? recordConverters = null,
        IReadOnlyDictionary<string, FieldConverter>? headerConverters = null,
        IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckLayoutSizes();
        LayoutInfo headerLayout = THeaderView.LayoutInfo ?? throw new NotSupportedException($"{typeof(THeaderView).FullName} has no LayoutInfo to upgrade to.");
        LayoutInfo recordLayout = TRecordView.LayoutInfo ?? throw new NotSupportedException($"{typeof(TRecordView).FullName} has no LayoutInfo to upgrade to.");
        string full = System.IO.Path.GetFullPath(path);
        string temp = ReplacementFiles.Prepare(full, "upgrade");
        long converted;
        RecordFile<THeaderView, TRecordView> source = OpenCore(full, magic, MapAccess.Read, upgradeSource: true);
        try
        {
            RecordFileSchemas stored = source._schemas!.Schemas;

            // Every field is matched, and every lossy one refused, before anything is written.
            RecordConverter header = RecordConverter.Create(stored.Header, headerLayout, headerConverters);
            RecordConverter records = RecordConverter.Create(stored.Record, recordLayout, recordConverters);
            using (RecordFile<THeaderView, TRecordView> target = CreateCore(temp, magic, source._count, durableName: false))
            {
                byte[] from = new byte[source._headerSize];
                byte[] to = new byte[THeaderView.SizeInBytes];
                source._map.ReadAt(source._headerOffset, from);
                header.Convert(from, to);
                target._map.WriteAt(target._headerOffset, to);
                UpgradeBatches.Run(source._map, source._recordsOffset, source._stride, source._count, records, null, target.WriteConverted, progress, 0);
                target.FlushReplacement();
            }

            converted = source._count;

            // Closed (its lock released) before the rename: Windows cannot replace a file that is
            // open or mapped. A writer that opens the old file in this instant writes into the file
            // being replaced (docs/formats.md §8.5).
            source.Dispose();
            DirectorySync.Replace(temp, full);
        }
        catch
        {
            source.Dispose();
            File.Delete(temp);
            throw;
        }

        return converted;
    }

    /// <summary>
    /// Appends an upgrade's converted batch (<paramref name="count"/> records already in the file's
    /// format, inside the capacity <see cref="CreateCore"/> made) and starts writing it back at once,
    /// so that <see cref="FlushReplacement"/> waits for the last batches only.
    /// </summary>
    private void WriteConverted(long first, int count, ReadOnlySpan<byte> records)
    {
        Debug.Assert(first == _count, "An upgrade's batches are written in order, one at a time.");
        long offset = _recordsOffset + (_count * _stride);
        if (_map.CanWriteThroughFile)
        {
            ThrowIfNotAppendable();
            if (count > _capacity - _count)
            {
                Grow(_count + count);
            }

            _wroteThroughFile = true;
            _map.WriteThroughFile(offset, records);
        }
        else
        {
            _map.WriteAt(Reserve(count), records);
        }

        _map.TryStartWriteback(offset, records.Length);
        Commit(_count + count);
    }

    /// <summary>
    /// Makes the upgrade's new file durable with one wait for the disk where <see cref="Flush"/>
    /// takes two: the durable count goes out with the records, not after them. Flush orders them
    /// so that a crash never counts records that did not reach the disk; this file is renamed over
    /// the old one only after this returns, and a crash before that leaves a stray the next upgrade
    /// deletes, so no reader can see the count before its records.
    /// </summary>
    private void FlushReplacement()
    {
        var next = new DurableSlot(_durable.Sequence + 1, (ulong)_count);
        Span<byte> slot = stackalloc byte[RecordFileFormat.DurableSlotSize];
        RecordFileDurableState.WriteSlot(slot, next);
        _map.WriteAt(next.Offset, slot);
        _map.Flush(0, UsedLength);
        _durable = next;
    }
}
