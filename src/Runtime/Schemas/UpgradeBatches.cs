using System;
using System.Threading.Tasks;

namespace Overlay.Schemas;

/// <summary>Writes a batch of converted records: <paramref name="count"/> of them from record <paramref name="first"/>, consecutive in <paramref name="records"/>.</summary>
internal delegate void ConvertedBatchWriter(long first, int count, ReadOnlySpan<byte> records);

/// <summary>
/// The loop both upgrades run over a records region (<c>RecordFile.Upgrade</c>, <c>MappedContainer.Upgrade</c>):
/// a batch of stored records read from the old file through its handle (<c>pread</c>: no page
/// fault per page, as reading through the map would take), converted by
/// <see cref="RecordConverter.ConvertMany"/> straight into the buffer that is then written, once.
/// With more than one batch and more than one processor, each batch is written on a pool thread
/// while the next is read and converted (two buffers, one write at a time, in order): the write
/// (the copy into the page cache, and the write-back the writer starts) and the conversion overlap,
/// which is what brings a 240 MB upgrade near the disk's own time (docs/benchmarks.md). Progress is
/// reported on the calling thread.
/// </summary>
internal static class UpgradeBatches
{
    /// <summary>The most records in a batch; progress is reported after each batch.</summary>
    public const int MaxRecords = 1 << 16;

    /// <summary>
    /// The most converted bytes in a batch (a batch stays within the caches between its conversion
    /// and its write, and large records do not make a buffer of 64K of them).
    /// </summary>
    public const int MaxBytes = 2 << 20;

    /// <summary>How many records a batch holds, for records of <paramref name="fromStride"/> and <paramref name="toSize"/> bytes.</summary>
    public static int RecordsPerBatch(int fromStride, int toSize) =>
        Math.Max(1, Math.Min(MaxRecords, MaxBytes / Math.Max(1, Math.Max(fromStride, toSize))));

    /// <summary>
    /// Converts the <paramref name="count"/> records stored <paramref name="fromStride"/> bytes apart
    /// from <paramref name="offset"/> of <paramref name="source"/>, handing each converted batch to
    /// <paramref name="write"/> and reporting <paramref name="progressBase"/> plus the records done
    /// after each.
    /// </summary>
    public static void Run(
        MemoryMap source,
        long offset,
        int fromStride,
        long count,
        RecordConverter converter,
        IListHeap? lists,
        ConvertedBatchWriter write,
        IProgress<long>? progress,
        long progressBase)
    {
        int to = converter.Current.SizeInBytes;
        int most = (int)Math.Min(RecordsPerBatch(fromStride, to), Math.Max(1, count));
        byte[] input = new byte[(long)fromStride * most];
        bool overlap = count > most && Environment.ProcessorCount > 1;
        byte[][] outputs = overlap ? [new byte[(long)to * most], new byte[(long)to * most]] : [new byte[(long)to * most]];
        Task? writing = null;
        try
        {
            for (long done = 0, index = 0; done < count; index++)
            {
                int batch = (int)Math.Min(most, count - done);
                Span<byte> read = input.AsSpan(0, batch * fromStride);
                if (!source.TryReadThroughFile(offset + (done * fromStride), read))
                {
                    source.ReadAt(offset + (done * fromStride), read);
                }

                byte[] output = outputs[index % outputs.Length];
                converter.ConvertMany(read, fromStride, output, batch, lists);
                if (overlap)
                {
                    // The write of this batch runs while the next one is read and converted; one
                    // write at a time, in order, each into the other buffer than the conversion's.
                    writing?.GetAwaiter().GetResult();
                    long first = done;
                    writing = Task.Run(() => write(first, batch, output.AsSpan(0, batch * to)));
                }
                else
                {
                    write(done, batch, output.AsSpan(0, batch * to));
                }

                done += batch;
                progress?.Report(progressBase + done);
            }

            writing?.GetAwaiter().GetResult();
        }
        catch when (writing is not null && !writing.IsCompleted)
        {
            // The caller deletes the new file when this throws: not under a write still running.
            ((IAsyncResult)writing).AsyncWaitHandle.WaitOne();
            throw;
        }
    }
}
