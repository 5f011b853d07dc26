using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Overlay.Formats;
using Overlay.Samples.AssetPack;

namespace Overlay.Benchmarks;

/// <summary>
/// Issue 8: open an asset pack and read 10,000 assets of 4 KiB in random order, by name. Three ways
/// to the same bytes, each folded by the same vectorised XOR (so every byte is read, as a loader
/// would): samples/AssetPack's <see cref="PackReader"/> (one mmap, lookup in the mapped table,
/// bytes in place), <c>File.OpenHandle</c> + <c>RandomAccess.Read</c> on the same pack (offsets
/// from a dictionary built in setup: favourable to it), and one file per asset (open, read, close).
/// Two groups: the pack kept open (a game's steady state; the targets) and the pack opened
/// per operation (a fresh mapping pays a page fault per 64 KiB window on first touch, and its
/// unmap). One file per asset opens every file anyway. Everything is in the page cache.
/// </summary>
public class AssetPackBenchmarks
{
    /// <summary>Assets in the pack and reads per operation.</summary>
    public const int Assets = 10_000;

    /// <summary>Each asset's size.</summary>
    public const int AssetSize = 4096;

    private string _folder = null!;
    private string _pack = null!;
    private string[] _order = null!;
    private Dictionary<string, (long Offset, int Size)> _offsets = null!;
    private readonly byte[] _buffer = new byte[AssetSize];
    private PackReader _reader = null!;
    private SafeFileHandle _handle = null!;

    [GlobalSetup]
    public void Setup()
    {
        string root = Path.Combine(BenchFiles.Directory, "assetpack");
        _folder = Path.Combine(root, "files");
        _pack = Path.Combine(root, "assets.pack");
        if (!File.Exists(_pack))
        {
            WriteAssets(_folder);
            PackBuilder.Build(_folder, _pack);
        }

        var names = new List<string>(Assets);
        _offsets = new Dictionary<string, (long, int)>(Assets, StringComparer.Ordinal);
        long section;
        using (MappedContainer container = MappedContainer.Open(_pack, PackBuilder.Tag, MapAccess.Read))
        {
            section = container.Sections[0].Name == PackBuilder.AssetsSection ? container.Sections[0].Offset : container.Sections[1].Offset;
        }

        using (PackReader reader = PackReader.Open(_pack))
        {
            for (long i = 0; i < reader.Count; i++)
            {
                (string name, Asset asset) = reader.At(i);
                names.Add(name);
                _offsets.Add(name, (section + asset.Start, asset.Size));
            }
        }

        _order = names.ToArray();
        new Random(42).Shuffle(_order);

        // Page cache: every byte once, through the files and the pack.
        _handle = File.OpenHandle(_pack);
        _reader = PackReader.Open(_pack);
        OneFilePerAsset();
        ReadAll(_handle);
        ReadAll(_reader, _order.Length);
        Tiering.Promote(() => Mapped(200, populate: false));
        Tiering.Promote(() => Mapped(200, populate: true));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _handle.Dispose();
    }

    // Steady state: the pack (or the handle) opened once, as a game keeps its packs open.

    [Benchmark(Baseline = true, Description = "RandomAccess.Read on the open pack (offsets from a Dictionary)")]
    public ulong RandomAccessOpen() => ReadAll(_handle);

    [Benchmark(Description = "PackReader kept open: TryFind + Read in place")]
    public ulong PackReaderOpen() => ReadAll(_reader, _order.Length);

    [Benchmark(Description = "PackReader kept open: TryFind alone (where the time goes)")]
    public long PackReaderLookupsOnly()
    {
        long sum = 0;
        foreach (string name in _order)
        {
            sum += _reader.TryFind(name, out Asset asset) ? asset.Start : -1;
        }

        return sum;
    }

    [Benchmark(Description = "one file per asset: File.OpenHandle + RandomAccess.Read + close")]
    public ulong OneFilePerAsset()
    {
        ulong fold = 0;
        foreach (string name in _order)
        {
            using SafeFileHandle file = File.OpenHandle(Path.Combine(_folder, name));
            int read = RandomAccess.Read(file, _buffer, 0);
            fold ^= Fold(_buffer.AsSpan(0, read));
        }

        return fold;
    }

    // Open per operation: what a first level load pays (a fresh mapping faults its pages in).

    [Benchmark(Description = "File.OpenHandle + RandomAccess.Read, opened per operation")]
    public ulong RandomAccessWithOpen()
    {
        using SafeFileHandle pack = File.OpenHandle(_pack);
        return ReadAll(pack);
    }

    [Benchmark(Description = "PackReader.Open (one mmap) + TryFind + Read, opened per operation")]
    public ulong PackReaderWithOpen() => Mapped(_order.Length, populate: false);

    [Benchmark(Description = "PackReader.Open + Populate (MADV_POPULATE_READ) + TryFind + Read, per operation")]
    public ulong PackReaderWithOpenPopulated() => Mapped(_order.Length, populate: true);

    private ulong ReadAll(SafeFileHandle pack)
    {
        ulong fold = 0;
        foreach (string name in _order)
        {
            (long offset, int size) = _offsets[name];
            Span<byte> bytes = _buffer.AsSpan(0, size);
            RandomAccess.Read(pack, bytes, offset);
            fold ^= Fold(bytes);
        }

        return fold;
    }

    private ulong ReadAll(PackReader pack, int count)
    {
        ulong fold = 0;
        for (int i = 0; i < count; i++)
        {
            if (!pack.TryFind(_order[i], out Asset asset))
            {
                throw new InvalidOperationException($"{_order[i]} is not in the pack.");
            }

            fold ^= pack.Read(asset, static bytes => Fold(bytes));
        }

        return fold;
    }

    private ulong Mapped(int count, bool populate)
    {
        using PackReader pack = PackReader.Open(_pack);
        if (populate)
        {
            pack.Populate();
        }

        return ReadAll(pack, count);
    }

    private static void WriteAssets(string folder)
    {
        var random = new Random(42);
        byte[] bytes = new byte[AssetSize];
        for (int i = 0; i < Assets; i++)
        {
            string directory = Path.Combine(folder, $"d{i / 1000:D2}");
            Directory.CreateDirectory(directory);
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(directory, $"asset_{i:D5}.bin"), bytes);
        }
    }

    // XOR of the 8-byte words, vectorised: every byte read at memory speed (sizes are multiples of 8 here).
    private static ulong Fold(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(bytes);
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

        return fold;
    }
}
