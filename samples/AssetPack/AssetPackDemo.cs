using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Overlay;

namespace Overlay.Samples.AssetPack;

/// <summary>The sample's options (command line: <see cref="Parse"/>).</summary>
/// <param name="Assets">Assets to generate.</param>
/// <param name="Seed">Their seed.</param>
/// <param name="MaximumSize">The largest asset.</param>
/// <param name="Verify">Whether to check every checksum.</param>
/// <param name="Source">A folder to pack instead of generated assets.</param>
/// <param name="WorkDirectory">Where the assets and the pack go; a new temporary directory, deleted at the end, when null.</param>
public sealed record DemoOptions(int Assets = 64, int Seed = 42, int MaximumSize = TestAssets.DefaultMaximumSize, bool Verify = false, string? Source = null, string? WorkDirectory = null)
{
    /// <summary>The usage text.</summary>
    public const string Usage = "usage: AssetPack [--verify] [--assets N] [--seed S] [--max-size BYTES] [--source DIR] [--dir DIR]";

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An unknown option, a missing or bad value.</exception>
    public static DemoOptions Parse(string[] args)
    {
        var options = new DemoOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            int Number(int minimum)
            {
                string option = args[i];
                string text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum
                    ? value
                    : throw new ArgumentException($"{option} takes a whole number from {minimum}, not '{text}'. {Usage}");
            }

            options = args[i] switch
            {
                "--verify" => options with { Verify = true },
                "--assets" => options with { Assets = Number(1) },
                "--seed" => options with { Seed = Number(0) },
                "--max-size" => options with { MaximumSize = Number(TestAssets.MinimumSize) },
                "--source" => options with { Source = Value() },
                "--dir" => options with { WorkDirectory = Value() },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. {Usage}"),
            };
        }

        return options;
    }
}

/// <summary>The sample's core: generate (or take) assets, pack them, open the pack, look every asset up and read it in place, verify.</summary>
public static class AssetPackDemo
{
    /// <summary>Runs the sample, printing what it did and how fast to <paramref name="output"/>.</summary>
    /// <param name="options">What to do.</param>
    /// <param name="output">Where the report goes.</param>
    /// <returns>0, or 1 when <c>--verify</c> found a bad checksum.</returns>
    public static int Run(DemoOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        string work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"overlay-assetpack-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return Run(options, work, output);
        }
        finally
        {
            if (options.WorkDirectory is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static int Run(DemoOptions options, string work, TextWriter output)
    {
        string folder = options.Source ?? Path.Combine(work, "assets");
        var clock = Stopwatch.StartNew();
        if (options.Source is null)
        {
            long generated = TestAssets.Generate(folder, options.Assets, options.Seed, options.MaximumSize);
            output.WriteLine($"generated {options.Assets} assets, {MiB(generated)} ({TestAssets.MinimumSize} B to {options.MaximumSize:N0} B, seed {options.Seed}) in {Ms(clock)}");
        }

        // The build step.
        string packPath = Path.Combine(work, "assets.pack");
        clock.Restart();
        PackResult packed = PackBuilder.Build(folder, packPath);
        output.WriteLine($"packed {packed.Assets} assets ({MiB(packed.AssetBytes)}) into {Path.GetFileName(packPath)} ({MiB(packed.PackBytes)}) in {Ms(clock)}: {Rate(packed.AssetBytes, clock)}, CRC-32C included");

        // The game side. The first open also compiles the code it runs; the mean of later ones is the open itself.
        clock.Restart();
        using PackReader pack = PackReader.Open(packPath);
        double first = clock.Elapsed.TotalMicroseconds;
        const int Opens = 50;
        clock.Restart();
        for (int i = 0; i < Opens; i++)
        {
            PackReader.Open(packPath).Dispose();
        }

        output.WriteLine($"opened the pack: one mmap of {MiB(pack.FileLength)}, header checks only, in {clock.Elapsed.TotalMicroseconds / Opens:F0} µs (mean of {Opens}; the first, compiling as it went: {first:F0} µs)");

        string[] names = new string[pack.Count];
        for (long i = 0; i < pack.Count; i++)
        {
            names[i] = pack.At(i).Name;
        }

        new Random(options.Seed).Shuffle(names);

        // Lookups alone, many rounds so the timer sees them; nothing is allocated. A quarter second
        // of them first, untimed, so the timed ones run the optimised (tier-1) code.
        for (var warm = Stopwatch.StartNew(); warm.ElapsedMilliseconds < 250;)
        {
            pack.TryFind(names[warm.ElapsedTicks % names.Length], out _);
        }

        int rounds = Math.Max(1, 200_000 / names.Length);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        clock.Restart();
        long found = 0;
        for (int round = 0; round < rounds; round++)
        {
            foreach (string name in names)
            {
                found += pack.TryFind(name, out _) ? 1 : 0;
            }
        }

        double perLookup = clock.Elapsed.TotalNanoseconds / (rounds * (double)names.Length);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        output.WriteLine($"looked up {found:N0} names in random order: {perLookup:F0} ns per lookup (binary search of the mapped table), {allocated} bytes allocated");
        output.WriteLine($"lookup of 'missing/asset.dds': {(pack.TryFind("missing/asset.dds", out _) ? "found?!" : "not found")}");

        // Every byte of every asset, in place: a fold a loader would replace by its decoder.
        clock.Restart();
        ulong fold = 0;
        long bytes = 0;
        foreach (string name in names)
        {
            Asset asset = pack.Find(name);
            fold ^= pack.Read(asset, static span => Fold(span));
            bytes += asset.Size;
        }

        output.WriteLine($"read {names.Length} assets by name in random order, in place (no copy): {MiB(bytes)} in {Ms(clock)}, {Rate(bytes, clock)} (fold {fold:X16})");

        ShowOne(pack, names, output);

        if (!options.Verify)
        {
            return 0;
        }

        clock.Restart();
        var problems = pack.Verify();
        output.WriteLine($"verify: {pack.Count} CRC-32C checksums over {MiB(bytes)} in {Ms(clock)} ({Rate(bytes, clock)}): {(problems.Count == 0 ? "all match" : $"{problems.Count} problems")}");
        foreach (string problem in problems)
        {
            output.WriteLine($"  {problem}");
        }

        return problems.Count == 0 ? 0 : 1;
    }

    // A text asset through Read (a span inside the pin) and any asset through an export (memory).
    private static void ShowOne(PackReader pack, string[] names, TextWriter output)
    {
        string? text = Array.Find(names, static n => PackBuilder.KindOf(n) == AssetKind.Text);
        if (text is not null)
        {
            string line = pack.Read(pack.Find(text), static span =>
            {
                int end = span.IndexOf((byte)'\n');
                return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
            });
            output.WriteLine($"first line of {text}: \"{line}\"");
        }

        Asset first = pack.Find(names[0]);
        using (ReadOnlyMappedMemory export = pack.Export(first))
        {
            output.WriteLine($"exported {names[0]} ({first.Kind}, {first.Size:N0} B) as ReadOnlyMemory<byte> of {export.Memory.Length:N0} B over the map; the pack cannot close until it is disposed");
        }
    }

    // XOR of the asset's 8-byte words, vectorised: reads every byte at memory speed.
    private static ulong Fold(ReadOnlySpan<byte> span)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(span);
        var acc = Vector<ulong>.Zero;
        int i = 0;
        for (; i <= words.Length - Vector<ulong>.Count; i += Vector<ulong>.Count)
        {
            acc ^= new Vector<ulong>(words[i..]);
        }

        ulong fold = 0;
        for (int lane = 0; lane < Vector<ulong>.Count; lane++)
        {
            fold ^= acc[lane];
        }

        for (; i < words.Length; i++)
        {
            fold ^= words[i];
        }

        foreach (byte b in span[(words.Length * sizeof(ulong))..])
        {
            fold = (fold << 1 | fold >> 63) ^ b;
        }

        return fold;
    }

    private static string MiB(long bytes) => bytes >= 1 << 20 ? $"{bytes / 1048576.0:F1} MiB" : $"{bytes / 1024.0:F1} KiB";

    private static string Ms(Stopwatch clock) => $"{clock.Elapsed.TotalMilliseconds:F1} ms";

    private static string Rate(long bytes, Stopwatch clock) => $"{bytes / clock.Elapsed.TotalSeconds / 1e9:F2} GB/s";
}
