using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

using ReadOnlyFile = RecordFile<TestHeader.ReadOnlyView, CrashRecord.ReadOnlyView>;
using WritableFile = RecordFile<TestHeader.View, CrashRecord.View>;

/// <summary>
/// Crash-state enumeration (issue 11), the way SQLite and LMDB reason about torn writes: a writer
/// appends, edits in place and flushes while every state of its file and every msync is recorded
/// (<see cref="CrashHistory"/>); then many crash images are built, each the disk after a power
/// loss at some state t: every page as of a random state between its last msync and t, the
/// file's length likewise, and at random one page torn at 512-byte sectors, one sector of it
/// possibly cut mid-way. Each image is opened in another boot and must hold every record whose
/// Flush had completed, and nothing but records that were fully written, each 8-byte word holding
/// a value it really had since its page was last synced (an aligned field is never torn, except
/// the one word a sector cut runs through). Each state is also opened as a process crash leaves it
/// (same boot, page cache intact): then every counted record is there, exactly.
/// CI: 6 histories × 500 images; <c>scripts/crash-images.sh N</c> runs N images a history.
/// </summary>
public class CrashImageTests
{
    private const ulong Magic = 0x4F564C4352415348UL; // "OVLCRASH"
    private static readonly long RecordsOffset = RecordFileOffsets.RecordsOffset<TestHeader, CrashRecord>();
    private readonly ITestOutputHelper _output;

    public CrashImageTests(ITestOutputHelper output) => _output = output;

    private static int ImagesPerHistory =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_CRASH_IMAGES"), out int n) && n > 0 ? n : 500;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void EveryCrashImageOpensWithEveryFlushedRecordAndNothingHalfWritten(int seed)
    {
        using var temp = new TempPath();
        using var image = new TempPath();
        int historySeed = seed * 7919;
        CrashHistory history = Record(temp.Path, historySeed);
        var random = new Random(historySeed + 1);
        var tally = new Tally();

        // A process crash: the page cache is intact, and the same boot trusts the live count.
        var sameBoot = new BootPlatform(s_writerBoot);
        for (int t = 0; t < history.Count; t++)
        {
            File.WriteAllBytes(image.Path, history.State(t));
            using (MapPlatform.Override(sameBoot))
            using (ReadOnlyFile file = ReadOnlyFile.Open(image.Path, Magic, MapAccess.Read))
            {
                Assert.Equal(history.Live(t), file.Count);
                Assert.Equal(history.State(t).AsSpan((int)RecordsOffset, (int)(file.Count * CrashRecord.SizeInBytes)).ToArray(), Records(file.Map, file.Count));
            }
        }

        for (int n = 0; n < ImagesPerHistory; n++)
        {
            // A fifth of the crashes right after the clean close, where the seal is what counts.
            int t = random.Next(5) == 0 ? history.Count - 1 : random.Next(1, history.Count);
            CrashImage crash = Build(history, t, random);
            File.WriteAllBytes(image.Path, crash.Bytes);
            string context = $"seed {seed}, image {n}: crash at state {t} of {history.Count} (live {history.Live(t)}, flushed {history.Flushed(t)}), {crash.Describe}";
            long count;
            using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
            using (ReadOnlyFile file = ReadOnlyFile.Open(image.Path, Magic, MapAccess.Read))
            {
                count = file.Count;
                Assert.True(count >= history.Flushed(t), $"{context}: opened {count} records, fewer than the {history.Flushed(t)} a completed Flush promised");
                CheckRecords(history, t, crash, file, context);
            }

            tally.Add(crash, count > history.Flushed(t));
            if (n % 25 == 0)
            {
                WriteAfterReboot(image.Path, count, context);
                tally.Reopened++;
            }
        }

        _output.WriteLine($"seed {seed}: {history.Count} states, {tally}");
    }

    private static readonly Guid s_writerBoot = Guid.NewGuid();

    /// <summary>Runs a writer and records its history: appends, two-store in-place edits, header edits, flushes, then a clean close.</summary>
    private static CrashHistory Record(string path, int seed)
    {
        var random = new Random(seed);
        var history = new CrashHistory();
        var platform = new BootPlatform(s_writerBoot);
        long live = 0;
        long flushed = 0;
        var versions = new List<long>();
        using (MapPlatform.Override(platform))
        {
            WritableFile file = WritableFile.Create(path, Magic);
            file.MinimumGrowthBytes = 32 * CrashRecord.SizeInBytes;
            file.Flush();
            history.Capture(Bytes(file), 0, 0);
            platform.BeforeSync = bytes => history.Capture(bytes, live, flushed);
            platform.AfterSync = (bytes, offset, length) => history.CaptureSync(bytes, offset, length, live, flushed);
            for (int step = 0; step < 80; step++)
            {
                int kind = random.Next(10);
                if (kind < 5 || live == 0)
                {
                    var batch = new CrashRecord[random.Next(1, 14)];
                    for (int i = 0; i < batch.Length; i++)
                    {
                        batch[i] = CrashRecord.Make(live + i);
                        versions.Add(1);
                    }

                    file.AppendRange<CrashRecord>(batch);
                    live = file.Count;
                    history.Capture(Bytes(file), live, flushed);
                }
                else if (kind < 8)
                {
                    // Two aligned 8-byte stores, each its own state: a crash may keep either.
                    long index = random.Next((int)live);
                    long version = ++versions[(int)index];
                    CrashRecord.View record = file[index];
                    record.Version = version;
                    history.Capture(Bytes(file), live, flushed);
                    var words = record.Words;
                    words[random.Next(30)] = CrashRecord.Mix(index, 1000 + version);
                    history.Capture(Bytes(file), live, flushed);
                }
                else if (kind < 9)
                {
                    var header = file.Header;
                    header.CreatedTicks = step + 1;
                    history.Capture(Bytes(file), live, flushed);
                }
                else
                {
                    file.Flush();
                    flushed = live;
                    history.Capture(Bytes(file), live, flushed);
                }
            }

            platform.BeforeSync = null;
            platform.AfterSync = null;
            file.Dispose();
            history.Capture(File.ReadAllBytes(path), live, flushed);
        }

        return history;
    }

    private static byte[] Bytes(WritableFile file)
    {
        var bytes = new byte[file.Map.Length];
        file.Map.ReadAt(0, bytes);
        return bytes;
    }

    private static byte[] Records(MemoryMap map, long count)
    {
        var bytes = new byte[count * CrashRecord.SizeInBytes];
        map.ReadAt(RecordsOffset, bytes);
        return bytes;
    }

    private sealed record CrashImage(byte[] Bytes, int[] Settled, long Cut, string Describe, bool Torn);

    /// <summary>The disk after a power loss at state <paramref name="t"/>.</summary>
    private static CrashImage Build(CrashHistory history, int t, Random random)
    {
        int lengthState = random.Next(history.LengthSettled(t), t + 1);
        var bytes = new byte[history.State(lengthState).Length];
        int pages = (bytes.Length + CrashHistory.PageSize - 1) / CrashHistory.PageSize;
        var settled = new int[pages];
        for (int page = 0; page < pages; page++)
        {
            settled[page] = history.Settled(page, t);
            int from = random.Next(2) == 0 ? settled[page] : random.Next(settled[page], t + 1);
            CopyPage(history, from, page, bytes, 0, CrashHistory.PageSize);
        }

        long cut = -1;
        bool torn = random.Next(2) == 0;
        string describe = $"length of state {lengthState} ({bytes.Length} bytes)";
        if (torn && pages > 0)
        {
            // One page written in part: each sector from one of two states, and maybe one sector
            // cut mid-way (its start from the newer state, its end from the older).
            // The first page a third of the time, and its cut half the time through the durable
            // slots and the seal: the bytes whose tearing the format must survive.
            int page = random.Next(3) == 0 ? 0 : random.Next(pages);
            int older = random.Next(settled[page], t + 1);
            int newer = random.Next(2) == 0 ? t : random.Next(older, t + 1);
            int cutSector = random.Next(2) == 0 ? random.Next(CrashHistory.PageSize / CrashHistory.SectorSize) : -1;
            bool cutDurable = page == 0 && random.Next(2) == 0;
            if (cutDurable)
            {
                cutSector = 0;
            }

            for (int sector = 0; sector < CrashHistory.PageSize / CrashHistory.SectorSize; sector++)
            {
                int start = sector * CrashHistory.SectorSize;
                if (sector == cutSector)
                {
                    int at = cutDurable
                        ? random.Next(RecordFileFormat.DurableSlotsOffset + 1, RecordFileFormat.PrefixSize)
                        : random.Next(1, CrashHistory.SectorSize);
                    CopyPage(history, newer, page, bytes, start, at);
                    CopyPage(history, older, page, bytes, start + at, CrashHistory.SectorSize - at);
                    cut = ((long)page * CrashHistory.PageSize) + start + at;
                }
                else
                {
                    CopyPage(history, random.Next(2) == 0 ? older : newer, page, bytes, start, CrashHistory.SectorSize);
                }
            }

            describe += $", page {page} torn between states {older} and {newer}" + (cut >= 0 ? $", cut at byte {cut}" : string.Empty);
        }

        return new CrashImage(bytes, settled, cut, describe, torn);
    }

    private static void CopyPage(CrashHistory history, int state, int page, byte[] into, int start, int length)
    {
        long offset = ((long)page * CrashHistory.PageSize) + start;
        for (int i = 0; i < length && offset + i < into.Length; i++)
        {
            into[offset + i] = history.Byte(state, offset + i);
        }
    }

    /// <summary>Every opened record was counted by t and each of its words holds a value it had since its page was last synced.</summary>
    private static void CheckRecords(CrashHistory history, int t, CrashImage crash, ReadOnlyFile file, string context)
    {
        byte[] records = Records(file.Map, file.Count);
        for (long i = 0; i < file.Count; i++)
        {
            int counted = history.FirstCounted(i);
            Assert.True(counted <= t, $"{context}: record {i} was never counted before the crash");
            for (int w = 0; w < CrashRecord.SizeInBytes; w += 8)
            {
                long offset = RecordsOffset + (i * CrashRecord.SizeInBytes) + w;
                int from = Math.Max(counted, crash.Settled[offset / CrashHistory.PageSize]);
                ulong found = BitConverter.ToUInt64(records, (int)((i * CrashRecord.SizeInBytes) + w));
                bool torn = crash.Cut > offset && crash.Cut < offset + 8;
                if (!HadValue(history, from, t, offset, found, torn))
                {
                    Assert.Fail($"{context}: record {i} word {w / 8} (file offset {offset}) holds 0x{found:X16}, a value it never had between states {from} and {t} (flushed then: 0x{history.Word(from, offset):X16})");
                }
            }
        }
    }

    private static bool HadValue(CrashHistory history, int from, int t, long offset, ulong found, bool tornByCut)
    {
        if (!tornByCut)
        {
            for (int s = from; s <= t; s++)
            {
                if (history.Word(s, offset) == found)
                {
                    return true;
                }
            }

            return false;
        }

        // The word a sector cut runs through: each byte from one of the states.
        for (int b = 0; b < 8; b++)
        {
            byte value = (byte)(found >> (8 * b));
            bool seen = false;
            for (int s = from; s <= t && !seen; s++)
            {
                seen = history.Byte(s, offset + b) == value;
            }

            if (!seen)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A writer in the next boot adopts the image, appends, flushes; a reader in the boot after that finds it all.</summary>
    private static void WriteAfterReboot(string path, long count, string context)
    {
        byte[] before;
        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        using (WritableFile file = WritableFile.Open(path, Magic))
        {
            Assert.Equal(count, file.Count);
            before = Records(file.Map, file.Count);
            file.Append(CrashRecord.Make(count));
            file.Flush();
        }

        using (MapPlatform.Override(new BootPlatform(Guid.NewGuid())))
        using (ReadOnlyFile file = ReadOnlyFile.Open(path, Magic, MapAccess.Read))
        {
            Assert.True(count + 1 == file.Count, $"{context}: after a writer appended one record to {count} and flushed, the next boot opened {file.Count}");
            byte[] after = Records(file.Map, file.Count);
            Assert.Equal(before, after.AsSpan(0, before.Length).ToArray());
            var expected = new byte[CrashRecord.SizeInBytes];
            CrashRecord.Store(expected, CrashRecord.Make(count));
            Assert.Equal(expected, after.AsSpan(before.Length).ToArray());
        }
    }

    private sealed class Tally
    {
        public int Images;
        public int Torn;
        public int Cut;
        public int MoreThanFlushed;
        public int Reopened;

        public void Add(CrashImage image, bool moreThanFlushed)
        {
            Images++;
            Torn += image.Torn ? 1 : 0;
            Cut += image.Cut >= 0 ? 1 : 0;
            MoreThanFlushed += moreThanFlushed ? 1 : 0;
        }

        public override string ToString() =>
            $"{Images} power-loss images passed ({Torn} with a torn page, {Cut} with a cut sector; {MoreThanFlushed} opened more records than the last completed flush; {Reopened} adopted by a writer in the next boot)";
    }
}
