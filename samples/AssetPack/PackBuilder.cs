using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Overlay.Formats;

namespace Overlay.Samples.AssetPack;

/// <summary>What <see cref="PackBuilder.Build"/> did.</summary>
/// <param name="Assets">Assets packed.</param>
/// <param name="AssetBytes">Their bytes, without padding.</param>
/// <param name="PackBytes">The pack file's length.</param>
public readonly record struct PackResult(int Assets, long AssetBytes, long PackBytes);

/// <summary>
/// The build step: packs every file under a folder into one sealed container with two sections,
/// <c>assets</c> (the files' bytes back to back, raw) and <c>toc</c> (one <see cref="TocEntry"/> per
/// file, sorted by name hash). Deterministic: the same folder gives the same bytes.
/// </summary>
public static class PackBuilder
{
    /// <summary>The container's application tag: "ASSTPACK" as little-endian bytes.</summary>
    public const ulong Tag = 0x4B43_4150_5453_5341UL;

    /// <summary>The section of asset bytes.</summary>
    public const string AssetsSection = "assets";

    /// <summary>The section of table entries.</summary>
    public const string TocSection = "toc";

    // Assets of a page or more start on a page (the section does: it is the file's first extent),
    // so a 4 KiB asset is one page and one fault; smaller ones on 16 bytes, enough for SIMD loads.
    private const int PageAlignment = 4096;
    private const int SmallAlignment = 16;
    private static readonly byte[] s_zeros = new byte[PageAlignment];

    /// <summary>Packs every file under <paramref name="folder"/> (recursively) into <paramref name="packPath"/>, replacing it atomically.</summary>
    /// <param name="folder">The assets; names are paths relative to it, '/'-separated.</param>
    /// <param name="packPath">The pack to write.</param>
    /// <returns>What was packed.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">A file's relative name is longer than 64 UTF-8 bytes or holds NUL.</exception>
    /// <exception cref="IOException">An asset is larger than 2 GiB - 1, or reading or writing failed (no pack is left behind).</exception>
    public static PackResult Build(string folder, string packPath)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(packPath);
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"No asset folder at {root}.");
        }

        var names = new List<string>();
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            AssetNames.Check(name);
            names.Add(name);
        }

        names.Sort(StringComparer.Ordinal); // the same bytes whatever order the directory lists

        using ContainerBuilder builder = ContainerBuilder.Create(packPath, Tag, maximumEntries: 2);

        // Assets first: the builder streams the first section straight into the file and copies
        // the later ones in at Seal, so the big one is written once and the small table twice.
        RawWriter assets = builder.AddRaw(AssetsSection);
        RecordsWriter<TocEntry> toc = builder.AddRecords<TocEntry>(TocSection);

        var entries = new List<TocEntry>(names.Count);
        byte[] buffer = [];
        long assetBytes = 0;
        foreach (string name in names)
        {
            int size = ReadFile(Path.Combine(root, name), ref buffer);
            ReadOnlySpan<byte> bytes = buffer.AsSpan(0, size);
            int alignment = size >= PageAlignment ? PageAlignment : SmallAlignment;
            int pad = (int)((alignment - (assets.Length % alignment)) % alignment);
            assets.Append(s_zeros.AsSpan(0, pad));
            long start = assets.Append(bytes);
            assetBytes += size;
            entries.Add(new TocEntry
            {
                NameHash = AssetNames.Hash(Encoding.UTF8.GetBytes(name)),
                Name = name,
                Kind = KindOf(name),
                Checksum = Crc32C.Compute(bytes),
                Start = start,
                Size = size,
            });
        }

        entries.Sort(static (a, b) => a.NameHash != b.NameHash ? a.NameHash.CompareTo(b.NameHash) : string.CompareOrdinal(a.Name, b.Name));
        foreach (TocEntry entry in entries)
        {
            toc.Append(entry);
        }

        return new PackResult(entries.Count, assetBytes, builder.Seal());
    }

    /// <summary>The kind of an asset from its first folder.</summary>
    /// <param name="name">The asset's name.</param>
    /// <returns>Its kind.</returns>
    public static AssetKind KindOf(string name)
    {
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? string.Empty : name[..slash]) switch
        {
            "textures" => AssetKind.Texture,
            "meshes" => AssetKind.Mesh,
            "audio" => AssetKind.Audio,
            "text" => AssetKind.Text,
            _ => AssetKind.Other,
        };
    }

    // One buffer for every file (assets go up to megabytes: no array per file).
    private static int ReadFile(string path, ref byte[] buffer)
    {
        using SafeFileHandle handle = File.OpenHandle(path);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"{path} is {length} bytes: an asset is at most {Array.MaxLength}.");
        }

        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2L > Array.MaxLength ? length : buffer.Length * 2L)];
        }

        int total = 0;
        while (total < length)
        {
            int read = RandomAccess.Read(handle, buffer.AsSpan(total, (int)length - total), total);
            if (read == 0)
            {
                throw new IOException($"{path} shrank while it was packed.");
            }

            total += read;
        }

        return total;
    }
}
