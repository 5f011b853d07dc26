using System;
using System.Threading;
using System.Threading.Tasks;
using Overlay.Layouts;
using Overlay.Tests.Durability;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Safety;

using Reader = RecordFile<TestHeader.ReadOnlyView, CrashRecord.ReadOnlyView>;
using Writer = RecordFile<TestHeader.View, CrashRecord.View>;

/// <summary>
/// Issue 11, "concurrency stated and tested", for record files: one writer thread appends (growing
/// the file many times, flushing now and then) while reader threads open the same file again and
/// again, each its own read-only record file, and walk what they opened through views and a pin.
/// What docs/layouts.md promises a reader beside a writer: it opens (never a refused count), its
/// count never exceeds what the writer had appended, every record it counted is whole
/// (<c>Append(in T)</c> stores before it counts), and nothing faults; the writer's close leaves the
/// slack while readers are present and the file stays valid.
/// </summary>
public class RecordFileReadersStressTests
{
    private const ulong Magic = 0x4F564C5354524553UL; // "OVLSTRES"
    private readonly ITestOutputHelper _output;

    public RecordFileReadersStressTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task ReadersOnSeveralThreadsBesideAWriterAppending()
    {
        using var temp = new TempPath();
        const int Records = 20_000;
        long appended = 0;
        using var done = new CancellationTokenSource();
        Writer writer = Writer.Create(temp.Path, Magic);
        writer.MinimumGrowthBytes = 64 * CrashRecord.SizeInBytes; // many growths while readers map the file

        var readers = new Task<(int Opens, long Records)>[3];
        for (int r = 0; r < readers.Length; r++)
        {
            readers[r] = Task.Factory.StartNew(
                () =>
                {
                    int opens = 0;
                    long walked = 0;
                    while (!done.IsCancellationRequested)
                    {
                        long before = Volatile.Read(ref appended);
                        using Reader reader = Reader.Open(temp.Path, Magic, MapAccess.Read);
                        long count = reader.Count;
                        long after = Volatile.Read(ref appended);

                        // + 1: the writer counts a record inside Append, and publishes "appended" after it returns.
                        Assert.True(count >= before && count <= after + 1, $"a reader counted {count} records while the writer had appended {before} to {after}");

                        // Views, then the pinned span: every counted record whole.
                        for (long i = Math.Max(0, count - 64); i < count; i++)
                        {
                            CrashRecord.ReadOnlyView view = reader[i];
                            Assert.Equal(i + 1, view.Index);
                            Assert.Equal(CrashRecord.Mix(i, 29), view.Words[29]);
                        }

                        walked += reader.Records.PinReadOnly(static (ReadOnlyMappedSpan<CrashRecord.ReadOnlyRef> span) =>
                        {
                            for (int i = 0; i < span.Length; i++)
                            {
                                CrashRecord.ReadOnlyRef record = span[i];
                                if (record.Index != i + 1 || record.Words[0] != CrashRecord.Mix(i, 0))
                                {
                                    throw new InvalidOperationException($"record {i} is not whole: index {record.Index}");
                                }
                            }

                            return (long)span.Length;
                        });
                        opens++;
                    }

                    return (opens, walked);
                },
                TaskCreationOptions.LongRunning);
        }

        try
        {
            for (int i = 0; i < Records; i++)
            {
                writer.Append(CrashRecord.Make(i));
                Volatile.Write(ref appended, i + 1);
                if (i % 5000 == 4999)
                {
                    writer.Flush();
                }
            }
        }
        finally
        {
            // Give the readers a moment beside the full file, then close the writer while they read.
            Thread.Sleep(50);
            writer.Dispose();
            Thread.Sleep(50);
            done.Cancel();
        }

        int totalOpens = 0;
        foreach (Task<(int Opens, long Records)> task in readers)
        {
            (int opens, long walked) = await task;
            Assert.True(opens > 0, "a reader never opened the file");
            totalOpens += opens;
        }

        using Reader last = Reader.Open(temp.Path, Magic, MapAccess.Read);
        Assert.Equal(Records, last.Count);
        _output.WriteLine($"{readers.Length} readers opened and walked the file {totalOpens} times beside a writer appending {Records} records");
    }
}
