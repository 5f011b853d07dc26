using System;
using System.Collections.Generic;
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
    /// <param name="progress">Told the records converted so far, after each 64K.</param>
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
            using (RecordFile<THeaderView, TRecordView> target = Create(temp, magic, source._count))
            {
                byte[] from = new byte[source._headerSize];
                byte[] to = new byte[THeaderView.SizeInBytes];
                source._map.ReadAt(source._headerOffset, from);
                header.Convert(from, to);
                target._map.WriteAt(target._headerOffset, to);
                source.ConvertRecordsInto(target, records, progress);
                target.Flush();
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

    /// <summary>Appends <paramref name="count"/> records already in the file's format (an upgrade's converted batch), inside the capacity <see cref="Create"/> made.</summary>
    private void WriteConverted(ReadOnlySpan<byte> records, int count)
    {
        if (_map.CanWriteThroughFile)
        {
            ThrowIfNotAppendable();
            if (count > _capacity - _count)
            {
                Grow(_count + count);
            }

            _wroteThroughFile = true;
            _map.WriteThroughFile(_recordsOffset + (_count * _stride), records);
        }
        else
        {
            _map.WriteAt(Reserve(count), records);
        }

        Commit(_count + count);
    }

    private void ConvertRecordsInto(RecordFile<THeaderView, TRecordView> target, RecordConverter converter, IProgress<long>? progress)
    {
        const int Batch = 1 << 16;
        int from = _stride;
        int to = RecordSize;
        long total = _count;
        int most = (int)Math.Min(Batch, Math.Max(1, total));
        byte[] input = new byte[(long)from * most];
        byte[] output = new byte[(long)to * most];
        for (long done = 0; done < total;)
        {
            int count = (int)Math.Min(Batch, total - done);
            // Both files through their handles where they can (pread, pwrite): the old file's pages
            // and the new file's fresh ones would otherwise each cost a page fault (issue 9's
            // 1 GB/s), and the batch is copied once each way either way.
            Span<byte> read = input.AsSpan(0, count * from);
            if (!_map.TryReadThroughFile(_recordsOffset + (done * from), read))
            {
                _map.ReadAt(_recordsOffset + (done * from), read);
            }

            converter.ConvertMany(read, from, output, count);
            target.WriteConverted(output.AsSpan(0, count * to), count);
            done += count;
            progress?.Report(done);
        }
    }
}
