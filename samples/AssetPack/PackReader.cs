using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Samples.AssetPack;

/// <summary>
/// The game side: a sealed pack opened read-only with one mmap and the container's header checks,
/// nothing else parsed or copied. Lookups binary-search the mapped table of contents; asset bytes
/// are handed out in place (<see cref="Read{TResult}"/> inside a pin, or <see cref="Export"/>).
/// </summary>
/// <remarks>
/// The table of contents is held as one read-only export for the reader's lifetime: a lookup is
/// then a binary search over a span through the layout's <c>ReadOnlyRef</c> (one length check per
/// entry), not a checked map access per field. The export is safe to hold because a sealed pack
/// never resizes, and it keeps the map from closing under a lookup. Assets are pinned per read
/// instead: their section may pass 2 GiB, more than one export can cover.
/// Lookups and reads may run on several threads at once; <see cref="Dispose"/> must not race them.
/// </remarks>
public sealed class PackReader : IDisposable
{
    private readonly MappedContainer _container;
    private readonly ReadOnlyMappedMemory _tocExport;
    private readonly ReadOnlyMemory<byte> _toc;
    private readonly int _count;
    private readonly RawSection _assets;
    private readonly long _assetBytes;
    private readonly long _assetsOffset;
    private bool _disposed;

    private PackReader(MappedContainer container, ReadOnlyMappedMemory toc, int count, RawSection assets, long assetsOffset)
    {
        _container = container;
        _tocExport = toc;
        _toc = toc.Memory;
        _count = count;
        _assets = assets;
        _assetBytes = assets.Length;
        _assetsOffset = assetsOffset;
    }

    /// <summary>The number of assets.</summary>
    public long Count => _count;

    /// <summary>The pack file's length in bytes.</summary>
    public long FileLength => _container.Map.Length;

    /// <summary>Opens a pack made by <see cref="PackBuilder"/>.</summary>
    /// <param name="path">The pack.</param>
    /// <returns>The reader; dispose it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a sealed asset pack (wrong tag, damaged header, a section missing or of another layout).</exception>
    public static PackReader Open(string path)
    {
        MappedContainer container = MappedContainer.Open(path, PackBuilder.Tag, MapAccess.Read);
        try
        {
            if (!container.IsSealed)
            {
                throw new InvalidDataException($"{path} is a container with the asset-pack tag but not sealed: packs are written once by PackBuilder.");
            }

            if (!container.Contains(PackBuilder.TocSection) || !container.Contains(PackBuilder.AssetsSection))
            {
                throw new InvalidDataException($"{path} is not an asset pack: it needs sections '{PackBuilder.TocSection}' and '{PackBuilder.AssetsSection}'.");
            }

            // Records<T> checks the section's record size and layout fingerprint against TocEntry's.
            MappedArray<TocEntry.ReadOnlyView> toc = container.Records<TocEntry.ReadOnlyView>(PackBuilder.TocSection).Records;
            if (toc.Count > int.MaxValue / TocEntry.SizeInBytes)
            {
                throw new InvalidDataException($"{path} lists {toc.Count} assets: more than one table export can cover.");
            }

            int count = (int)toc.Count;
            ReadOnlyMappedMemory export = container.Map.AcquireReadOnlyMemory(toc.Offset, count * TocEntry.SizeInBytes);
            long assetsOffset = 0;
            foreach (SectionInfo section in container.Sections)
            {
                assetsOffset = section.Name == PackBuilder.AssetsSection ? section.Offset : assetsOffset;
            }

            return new PackReader(container, export, count, container.Raw(PackBuilder.AssetsSection), assetsOffset);
        }
        catch
        {
            container.Dispose();
            throw;
        }
    }

    /// <summary>Finds an asset by name: a binary search on the names' hashes, then one compare of the name's bytes in place. Allocates nothing.</summary>
    /// <param name="name">The asset's name ('/'-separated, as packed).</param>
    /// <param name="asset">Where it is.</param>
    /// <returns>Whether the pack has it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="InvalidDataException">The entry found points outside the pack's asset bytes (a damaged or hostile file).</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public bool TryFind(string name, out Asset asset)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> utf8 = stackalloc byte[AssetNames.MaxBytes];
        if (!Encoding.UTF8.TryGetBytes(name, utf8, out int length) || length == 0)
        {
            asset = default; // longer than any packed name
            return false;
        }

        utf8 = utf8[..length];
        ulong hash = AssetNames.Hash(utf8);
        ReadOnlySpan<byte> toc = Table;
        int low = 0, high = _count;
        while (low < high)
        {
            int middle = low + ((high - low) >> 1);
            if (Entry(toc, middle).NameHash < hash)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (int i = low; i < _count && Entry(toc, i).NameHash == hash; i++)
        {
            // The raw field, not the Name getter: no string decoded per lookup.
            ReadOnlySpan<byte> stored = toc.Slice((i * TocEntry.SizeInBytes) + TocEntry.Offsets.Name, AssetNames.MaxBytes);
            if (stored[..length].SequenceEqual(utf8) && (length == AssetNames.MaxBytes || stored[length] == 0))
            {
                asset = Describe(toc, i);
                return true;
            }
        }

        asset = default;
        return false;
    }

    /// <summary>As <see cref="TryFind"/>, for a name that must be there.</summary>
    /// <param name="name">The asset's name.</param>
    /// <returns>Where it is.</returns>
    /// <exception cref="KeyNotFoundException">The pack has no such asset.</exception>
    /// <exception cref="InvalidDataException">The entry points outside the pack's asset bytes.</exception>
    public Asset Find(string name) =>
        TryFind(name, out Asset asset) ? asset : throw new KeyNotFoundException($"The pack has no asset '{name}'.");

    /// <summary>The asset at <paramref name="index"/> of the table of contents, with its name (decoded: this one allocates).</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    /// <returns>Its name and where it is.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the table.</exception>
    /// <exception cref="InvalidDataException">The entry's name is not valid UTF-8, or it points outside the asset bytes.</exception>
    public (string Name, Asset Asset) At(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        ReadOnlySpan<byte> toc = Table;
        return (Entry(toc, (int)index).Name, Describe(toc, (int)index));
    }

    /// <summary>Hands <paramref name="body"/> the asset's bytes in place (no copy); the map is pinned until it returns.</summary>
    /// <typeparam name="TResult">What the callback returns.</typeparam>
    /// <param name="asset">From <see cref="TryFind"/>.</param>
    /// <param name="body">The callback; a <c>static</c> lambda allocates nothing. The span cannot outlive it.</param>
    /// <returns>What it returned.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The asset is not inside this pack's asset bytes.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public TResult Read<TResult>(in Asset asset, Func<ReadOnlySpan<byte>, TResult> body)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _assets.Pin(asset.Start, asset.Size, body);
    }

    /// <summary>
    /// The asset's bytes as <see cref="ReadOnlyMemory{T}"/> in place, for APIs that take memory (a
    /// stream, an async upload): the pack cannot be closed until the export is disposed.
    /// </summary>
    /// <param name="asset">From <see cref="TryFind"/>.</param>
    /// <returns>The export; dispose it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The asset is not inside this pack's asset bytes.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public ReadOnlyMappedMemory Export(in Asset asset)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _assets.AcquireReadOnlyMemory(asset.Start, asset.Size);
    }

    /// <summary>
    /// Maps every asset page now (<c>MADV_POPULATE_READ</c>; on kernels before 5.14, read-ahead
    /// only): one system call instead of a page fault per 64 KiB on first touch. For a level that
    /// will read most of the pack; a game reading a few assets from a big pack should not.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public void Populate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_assetBytes == 0)
        {
            return;
        }

        try
        {
            _container.Map.Advise(MapAdvice.PopulateRead, _assetsOffset, _assetBytes);
        }
        catch (MapIOException)
        {
            // EINVAL from a kernel without MADV_POPULATE_READ: read-ahead is the next best thing.
            _container.Map.Advise(MapAdvice.WillNeed, _assetsOffset, _assetBytes);
        }
    }

    /// <summary>Checks every asset's checksum, and that the table is sorted (else lookups would miss).</summary>
    /// <returns>What failed, one line per problem; empty when the pack is intact.</returns>
    /// <exception cref="InvalidDataException">An entry's name is not valid UTF-8 or it points outside the asset bytes.</exception>
    public IReadOnlyList<string> Verify()
    {
        var problems = new List<string>();
        ulong previous = 0;
        for (int i = 0; i < _count; i++)
        {
            (string name, Asset asset) = At(i);
            ulong hash = Entry(Table, i).NameHash;
            if (hash < previous)
            {
                problems.Add($"entry {i} ('{name}') is out of order: lookups may miss it");
            }

            previous = hash;
            if (AssetNames.Hash(Encoding.UTF8.GetBytes(name)) != previous)
            {
                problems.Add($"entry {i} ('{name}') has the wrong name hash");
            }

            uint actual = Read(asset, static bytes => Crc32C.Compute(bytes));
            if (actual != asset.Checksum)
            {
                problems.Add($"'{name}': CRC-32C {actual:X8}, packed {asset.Checksum:X8}");
            }
        }

        return problems;
    }

    /// <summary>Unmaps the pack. A second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">An <see cref="Export"/> is still undisposed: the map stays until the process ends.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _tocExport.Dispose();
        _container.Dispose();
    }

    private ReadOnlySpan<byte> Table
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _toc.Span;
        }
    }

    private static TocEntry.ReadOnlyRef Entry(ReadOnlySpan<byte> toc, int index) =>
        new(toc.Slice(index * TocEntry.SizeInBytes, TocEntry.SizeInBytes));

    // The table's numbers are data from a file: checked before they become a read.
    private Asset Describe(ReadOnlySpan<byte> toc, int index)
    {
        TocEntry.ReadOnlyRef entry = Entry(toc, index);
        long start = entry.Start, size = entry.Size;
        if (start < 0 || size < 0 || size > int.MaxValue || start > _assetBytes - size)
        {
            throw new InvalidDataException($"Table entry {index} claims {size} bytes at {start}, outside the pack's {_assetBytes} bytes of assets.");
        }

        return new Asset(index, entry.Kind, start, (int)size, entry.Checksum);
    }
}
