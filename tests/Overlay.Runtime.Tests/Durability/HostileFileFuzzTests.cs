using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Layouts;
using Overlay.Platform;
using Overlay.Tests.Layouts;
using Xunit;
using Xunit.Abstractions;

namespace Overlay.Tests.Durability;

using CrashReader = RecordFile<TestHeader.ReadOnlyView, CrashRecord.ReadOnlyView>;
using CrashWriter = RecordFile<TestHeader.View, CrashRecord.View>;
using TestReader = RecordFile<TestHeader.ReadOnlyView, TestRecord.ReadOnlyView>;
using TestWriter = RecordFile<TestHeader.View, TestRecord.View>;

/// <summary>
/// Hostile files at scale (issue 11): valid record files of two layouts (a UTF-8 string, a fixed
/// array), flushed or only sealed, mutated (bit flips, byte runs, truncation, extension, special
/// values in every prefix field, durable slots that pass their check but claim hostile counts, the
/// boot id of this boot or of another), then opened and walked through every way in: the indexer's
/// views (every field, <c>Load</c>), <c>Records</c> and its <c>PinReadOnly</c> over the Refs, the
/// header, and one in forty opened for writing, appended to, flushed and reopened. The only exception
/// allowed is <see cref="InvalidDataException"/> from <c>Open</c>; no fault, no read outside the
/// mapping (every access is checked, and a fault would end the test host). 20,000 iterations in CI;
/// <c>OVERLAY_FUZZ_ITERATIONS</c> for more, <c>OVERLAY_FUZZ_SEED</c> to replay.
/// </summary>
public class HostileFileFuzzTests
{
    private const ulong Magic = 0x4F564C46555A5A31UL; // "OVLFUZZ1"
    private readonly ITestOutputHelper _output;

    public HostileFileFuzzTests(ITestOutputHelper output) => _output = output;

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 20_000;

    [Fact]
    public void MutatedRecordFilesOpenOrAreRefusedAndWalkWithoutFaults()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("OVERLAY_FUZZ_SEED"), out int s) ? s : 20261204;
        var random = new Random(seed);
        List<(byte[] Bytes, bool Crash)> seeds = Seeds();
        // Each iteration writes, opens and maps a file: on tmpfs where there is one, so that the
        // writer's msync costs nothing and 20,000 iterations take seconds.
        string path = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"overlay-fuzz-{Guid.NewGuid():N}.bin");
        int opened = 0;
        int refused = 0;
        int written = 0;
        var reasons = new Dictionary<string, int>();
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            (byte[] original, bool crash) = seeds[random.Next(seeds.Count)];
            byte[] bytes = original;
            var applied = new List<string>();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                bytes = Mutate(bytes, random, applied, crash ? CrashRecord.SizeInBytes : TestRecord.SizeInBytes);
            }

            File.WriteAllBytes(path, bytes);
            string context = $"seed {seed}, iteration {iteration}: {string.Join("; ", applied)}";
            bool write = random.Next(40) == 0;
            try
            {
                // Another boot half the time: then the durable slots and the seal decide, not the live count.
                using IDisposable? boot = random.Next(2) == 0 ? MapPlatform.Override(new BootPlatform(Guid.NewGuid())) : null;
                if (crash)
                {
                    WalkCrash(path, write);
                }
                else
                {
                    WalkTest(path, write);
                }

                opened++;
                written += write ? 1 : 0;
            }
            catch (InvalidDataException e)
            {
                refused++;
                string reason = e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..];
                reason = reason.Split(' ', 3) is [var a, var b, ..] ? $"{a} {b}" : reason;
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
            catch (Exception e)
            {
                File.Delete(path);
                Assert.Fail($"{context}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }

        File.Delete(path);
        _output.WriteLine($"{Iterations} mutated files (seed {seed}): {opened} opened and walked ({written} also appended to), {refused} refused with InvalidDataException");
        foreach ((string reason, int count) in reasons)
        {
            _output.WriteLine($"  {count,6}  {reason} …");
        }

        Assert.True(opened > Iterations / 10, "too few mutated files opened for the walk to mean anything");
        Assert.True(refused > Iterations / 10, "too few mutated files refused for the mutations to mean anything");
    }

    private static List<(byte[], bool)> Seeds()
    {
        var seeds = new List<(byte[], bool)>();
        using var temp = new TempPath();
        foreach (int records in new[] { 0, 1, 5, 40 })
        {
            foreach (bool flush in new[] { true, false })
            {
                File.Delete(temp.Path);
                using (TestWriter file = TestWriter.Create(temp.Path, Magic))
                {
                    RecordFileTests.Fill(file, records);
                    TestHeader.View header = file.Header;
                    header.Version = 7;
                    if (flush)
                    {
                        file.Flush();
                    }
                }

                seeds.Add((File.ReadAllBytes(temp.Path), false));
                File.Delete(temp.Path);
                using (CrashWriter file = CrashWriter.Create(temp.Path, Magic))
                {
                    for (int i = 0; i < records; i++)
                    {
                        file.Append(CrashRecord.Make(i));
                        if (flush && i == records / 2)
                        {
                            file.Flush();
                        }
                    }
                }

                seeds.Add((File.ReadAllBytes(temp.Path), true));
            }
        }

        return seeds;
    }

    private static readonly int[] s_fields = [0, 8, 12, 16, 20, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120];

    private static byte[] Mutate(byte[] bytes, Random random, List<string> applied, int recordSize)
    {
        bytes = (byte[])bytes.Clone();
        int kind = random.Next(9);
        int near = Math.Max(1, Math.Min(bytes.Length, random.Next(2) == 0 ? 200 : bytes.Length));
        switch (kind)
        {
            case 0 when bytes.Length > 0:
            {
                int at = random.Next(near);
                int bit = random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                applied.Add($"bit {bit} of byte {at} flipped");
                return bytes;
            }

            case 1 when bytes.Length > 0:
            {
                int at = random.Next(near);
                int length = Math.Min(bytes.Length - at, random.Next(1, 65));
                byte fill = random.Next(3) switch { 0 => (byte)0, 1 => (byte)0xFF, _ => (byte)random.Next(256) };
                bool noise = random.Next(2) == 0;
                for (int i = at; i < at + length; i++)
                {
                    bytes[i] = noise ? (byte)random.Next(256) : fill;
                }

                applied.Add($"{length} bytes at {at} set to {(noise ? "noise" : $"0x{fill:X2}")}");
                return bytes;
            }

            case 2:
            {
                int length = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 300) + 1) : random.Next(bytes.Length + 1);
                applied.Add($"truncated to {length}");
                return bytes[..length];
            }

            case 3:
            {
                int extra = random.Next(1, 5000);
                var longer = new byte[bytes.Length + extra];
                bytes.CopyTo(longer, 0);
                if (random.Next(2) == 0)
                {
                    random.NextBytes(longer.AsSpan(bytes.Length));
                }

                applied.Add($"extended by {extra}");
                return longer;
            }

            case 4 or 5 when bytes.Length >= RecordFileFormat.PrefixSize:
            {
                int field = s_fields[random.Next(s_fields.Length)];
                ulong value = Special(random, bytes.Length, recordSize);
                if (field is 8 or 12 or 16 or 20)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(field), (uint)value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(field), value);
                }

                applied.Add($"field at {field} set to {value}");
                return bytes;
            }

            case 6 when bytes.Length >= RecordFileFormat.PrefixSize:
            {
                // A slot that passes its check, with a count the file may not hold.
                var slot = new DurableSlot((ulong)random.Next(0, 5) + (random.Next(4) == 0 ? ulong.MaxValue - 3 : 0), Special(random, bytes.Length, recordSize));
                RecordFileDurableState.WriteSlot(bytes.AsSpan(slot.Offset), slot);
                applied.Add($"valid durable slot {slot}");
                return bytes;
            }

            case 7 when bytes.Length >= RecordFileFormat.PrefixSize:
            {
                bool now = random.Next(2) == 0;
                (now ? MapPlatform.Current.BootId : Guid.NewGuid()).TryWriteBytes(bytes.AsSpan(RecordFileFormat.BootIdOffset));
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(RecordFileFormat.RecordCountOffset), Special(random, bytes.Length, recordSize));
                applied.Add($"boot id of {(now ? "this" : "another")} boot, live count {BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(RecordFileFormat.RecordCountOffset))}");
                return bytes;
            }

            default:
            {
                // Seal claims: a count, and a check that almost never holds.
                if (bytes.Length >= RecordFileFormat.PrefixSize)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(RecordFileFormat.SealCountOffset), Special(random, bytes.Length, recordSize));
                    applied.Add("seal count changed");
                }

                return bytes;
            }
        }
    }

    private static ulong Special(Random random, int length, int recordSize)
    {
        long fits = Math.Max(0, (length - 144) / recordSize);
        return random.Next(10) switch
        {
            0 => 0,
            1 => 1,
            2 => ulong.MaxValue,
            3 => (ulong)long.MaxValue,
            4 => (1UL << 59) + 1,
            5 => (ulong)fits,
            6 => (ulong)fits + 1,
            7 => (ulong)Math.Max(0, fits - 1),
            8 => (ulong)random.NextInt64(),
            _ => (ulong)random.Next(100),
        };
    }

    private static void WalkTest(string path, bool write)
    {
        long count;
        using (TestReader file = TestReader.Open(path, Magic, MapAccess.Read))
        {
            count = file.Count;
            long sum = file.Header.Version + file.Header.CreatedTicks + file.Header.Load().Version;
            for (long i = 0; i < count; i++)
            {
                TestRecord.ReadOnlyView record = file[i];
                sum += record.Id + (long)record.Value + record.Flags + record.Tag.Length + record.Load().Tag.Length;
            }

            sum += file.Records.PinReadOnly(static (ReadOnlyMappedSpan<TestRecord.ReadOnlyRef> span) =>
            {
                long total = 0;
                foreach (TestRecord.ReadOnlyRef record in span)
                {
                    total += record.Id + record.Flags + record.Tag.Length + record.Load().Tag.Length;
                }

                return total;
            });
            GC.KeepAlive(sum);
        }

        if (write)
        {
            using (TestWriter file = TestWriter.Open(path, Magic))
            {
                Assert.Equal(count, file.Count);
                file.Append(new TestRecord { Id = 42, Tag = "fuzz" });
                file.Flush();
            }

            using TestReader again = TestReader.Open(path, Magic, MapAccess.Read);
            Assert.Equal(count + 1, again.Count);
            Assert.Equal("fuzz", again[count].Tag);
        }
    }

    private static void WalkCrash(string path, bool write)
    {
        long count;
        using (CrashReader file = CrashReader.Open(path, Magic, MapAccess.Read))
        {
            count = file.Count;
            long sum = 0;
            for (long i = 0; i < count; i++)
            {
                CrashRecord.ReadOnlyView record = file[i];
                var words = record.Words;
                for (int k = 0; k < words.Length; k++)
                {
                    sum += words[k];
                }

                sum += record.Index + record.Load().Version;
            }

            sum += file.Records.PinReadOnly(static (ReadOnlyMappedSpan<CrashRecord.ReadOnlyRef> span) =>
            {
                long total = 0;
                for (int i = 0; i < span.Length; i++)
                {
                    CrashRecord.ReadOnlyRef record = span[i];
                    var words = record.Words;
                    for (int k = 0; k < words.Length; k++)
                    {
                        total += words[k];
                    }

                    total += record.Version;
                }

                return total;
            });
            GC.KeepAlive(sum);
        }

        if (write)
        {
            using (CrashWriter file = CrashWriter.Open(path, Magic))
            {
                Assert.Equal(count, file.Count);
                file.Append(CrashRecord.Make(count));
                file.Flush();
            }

            using CrashReader again = CrashReader.Open(path, Magic, MapAccess.Read);
            Assert.Equal(count + 1, again.Count);
            Assert.Equal(count + 1, again[count].Index);
        }
    }
}
