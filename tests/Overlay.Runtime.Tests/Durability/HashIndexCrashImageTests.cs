using System;
using System.Collections.Generic;
using System.IO;
using Overlay.Indexes;
using Overlay.Platform;
using Overlay.Probes;
using Overlay.Tests.Indexes;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

/// <summary>
/// Power loss of a hash index (issue 10), the way <see cref="CrashImageTests"/> does it for record
/// files: a writer sets, removes (backward shifts that cross pages), grows (a 2-slot tail, so
/// doublings carry entries) and flushes while every state of its file and every msync is recorded
/// (<see cref="CrashHistory"/>); then crash images are built, each the disk after a power loss at
/// some state t: every page as of a random state between its last msync and t, the file's length
/// likewise, and at random one page torn at 512-byte sectors. Each image is recovered and must hold
/// every entry of the last completed Flush not changed since, with its value
/// (<see cref="HashIndexCrashCheck"/>). Each state as it is (a process crash) is checked too.
/// CI: 4 histories × 300 images; <c>scripts/index-durability.sh</c> runs more.
/// </summary>
public class HashIndexCrashImageTests
{
    private readonly ITestOutputHelper _output;

    public HashIndexCrashImageTests(ITestOutputHelper output) => _output = output;

    private static int ImagesPerHistory =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_INDEX_CRASH_IMAGES"), out int n) && n > 0 ? n : 300;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EveryCrashImageRecoversEveryFlushedEntry(int seed)
    {
        using var temp = new TempPath();
        using var image = new TempPath();
        var models = new List<Model>();
        CrashHistory history = Record(temp.Path, seed * 7919, models);
        var random = new Random((seed * 7919) + 1);

        for (int t = 0; t < history.Count; t++)
        {
            File.WriteAllBytes(image.Path, history.State(t));
            HashIndexCrashCheck.Check(image.Path, models[t].Flushed, models[t].Touched, $"seed {seed}: process crash at state {t} of {history.Count}");
        }

        int torn = 0;
        for (int n = 0; n < ImagesPerHistory; n++)
        {
            int t = random.Next(1, history.Count);
            (byte[] bytes, string describe, bool wasTorn) = Build(history, t, random);
            torn += wasTorn ? 1 : 0;
            File.WriteAllBytes(image.Path, bytes);
            HashIndexCrashCheck.Check(image.Path, models[t].Flushed, models[t].Touched, $"seed {seed}, image {n}: power loss at state {t} of {history.Count}, {describe}");
        }

        _output.WriteLine($"seed {seed}: {history.Count} states, {ImagesPerHistory} images ({torn} with a torn page) recovered");
    }

    /// <summary>What a crash in a state may leave: the last completed flush's entries, and the keys changed since with every value they were given.</summary>
    private sealed record Model(Dictionary<ulong, ulong> Flushed, Dictionary<ulong, HashSet<ulong>> Touched);

    private static CrashHistory Record(string path, int seed, List<Model> models)
    {
        var random = new Random(seed);
        var history = new CrashHistory();
        var platform = new BootPlatform(Guid.NewGuid());
        var live = new Dictionary<ulong, ulong>();
        var model = new Model([], []);
        void Capture(ReadOnlySpan<byte> bytes)
        {
            history.Capture(bytes, 0, 0);
            models.Add(model);
        }

        void CaptureSync(ReadOnlySpan<byte> bytes, long offset, long length)
        {
            history.CaptureSync(bytes, offset, length, 0, 0);
            models.Add(model);
        }

        using (MapPlatform.Override(platform))
        {
            var index = MappedHashIndex<ulong, TwinValue>.Create(path, new HashIndexOptions { InitialCapacity = 8, TailSlots = 2, MaxLoadPercent = 90, Seed = (ulong)seed });
            Capture(ReadShared(path));
            platform.BeforeSync = Capture;
            platform.AfterSync = CaptureSync;
            int keySpace = 40;
            for (int step = 0; step < 500; step++)
            {
                int kind = random.Next(100);
                ulong key = (ulong)random.Next(keySpace);
                if (kind < 4)
                {
                    index.Flush();
                    model = new Model(new Dictionary<ulong, ulong>(live), []);
                    keySpace = Math.Min(keySpace + 60, 3000);
                }
                else
                {
                    // The key is changed from here on: recorded before the change, so states a
                    // change syncs part of allow it.
                    ulong value = (ulong)KillWorkload.Mix((long)key, step + 1);
                    bool set = kind < 70;
                    var touched = new Dictionary<ulong, HashSet<ulong>>(model.Touched);
                    touched[key] = touched.TryGetValue(key, out HashSet<ulong>? values) ? [.. values] : [];
                    if (set)
                    {
                        touched[key].Add(value);
                    }

                    model = model with { Touched = touched };
                    if (set)
                    {
                        TwinValue slot = index.GetOrAdd(key);
                        slot.Map.WriteAt(slot.Offset, value);
                        live[key] = value;
                    }
                    else
                    {
                        index.Remove(key);
                        live.Remove(key);
                    }
                }

                Capture(Bytes(index));
            }

            index.Flush();
            model = new Model(new Dictionary<ulong, ulong>(live), []);
            platform.BeforeSync = null;
            platform.AfterSync = null;
            index.Dispose();
            Capture(File.ReadAllBytes(path));
        }

        return history;
    }

    /// <summary>The file's bytes, read beside the writer's handle (which a plain <c>File.ReadAllBytes</c> would not share with on Windows).</summary>
    private static byte[] Bytes(MappedHashIndex<ulong, TwinValue> index) => ReadShared(index.Path);

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The disk after a power loss at state <paramref name="t"/>: each page from a state between its last msync and t, maybe one torn at sectors.</summary>
    private static (byte[] Bytes, string Describe, bool Torn) Build(CrashHistory history, int t, Random random)
    {
        int lengthState = random.Next(history.LengthSettled(t), t + 1);
        var bytes = new byte[history.State(lengthState).Length];
        int pages = (bytes.Length + CrashHistory.PageSize - 1) / CrashHistory.PageSize;
        for (int page = 0; page < pages; page++)
        {
            int settled = history.Settled(page, t);
            int from = random.Next(2) == 0 ? settled : random.Next(settled, t + 1);
            CopyPage(history, from, page, bytes, 0, CrashHistory.PageSize);
        }

        string describe = $"length of state {lengthState} ({bytes.Length} bytes)";
        bool torn = random.Next(2) == 0 && pages > 0;
        if (torn)
        {
            int page = random.Next(pages);
            int older = random.Next(history.Settled(page, t), t + 1);
            int newer = random.Next(older, t + 1);
            for (int sector = 0; sector < CrashHistory.PageSize / CrashHistory.SectorSize; sector++)
            {
                CopyPage(history, random.Next(2) == 0 ? older : newer, page, bytes, sector * CrashHistory.SectorSize, CrashHistory.SectorSize);
            }

            describe += $", page {page} torn between states {older} and {newer}";
        }

        return (bytes, describe, torn);
    }

    private static void CopyPage(CrashHistory history, int state, int page, byte[] into, int start, int length)
    {
        long offset = ((long)page * CrashHistory.PageSize) + start;
        for (int i = 0; i < length && offset + i < into.Length; i++)
        {
            into[offset + i] = history.Byte(state, offset + i);
        }
    }
}
