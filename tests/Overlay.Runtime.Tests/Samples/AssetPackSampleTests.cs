using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Overlay.Formats;
using Overlay.Samples.AssetPack;
using Xunit;
using Crc32C = Overlay.Samples.AssetPack.Crc32C; // the runtime has an internal one, visible to the tests

namespace Overlay.Tests.Samples;

/// <summary>samples/AssetPack's core on a small pack (24 assets of 100 B to 256 KiB): what it prints, round trips, damage it must report.</summary>
public sealed class AssetPackSampleTests : IDisposable
{
    private const int MaximumSize = 256 << 10;
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"overlay-assetpack-test-{Guid.NewGuid():N}");

    public AssetPackSampleTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void TheSampleRunsAndReportsEveryStep()
    {
        var output = new StringWriter();
        int exit = AssetPackDemo.Run(new DemoOptions(Assets: 24, Seed: 7, MaximumSize: MaximumSize, Verify: true, WorkDirectory: _work), output);
        string text = output.ToString();

        Assert.True(exit == 0, text);
        Assert.Contains("generated 24 assets", text, StringComparison.Ordinal);
        Assert.Contains("packed 24 assets", text, StringComparison.Ordinal);
        Assert.Contains("opened the pack: one mmap", text, StringComparison.Ordinal);
        Assert.Matches(@"looked up [\d,]+ names in random order: \d+ ns per lookup .*, 0 bytes allocated", text);
        Assert.Contains("lookup of 'missing/asset.dds': not found", text, StringComparison.Ordinal);
        Assert.Contains("read 24 assets by name in random order, in place", text, StringComparison.Ordinal);
        Assert.Contains("verify: 24 CRC-32C checksums", text, StringComparison.Ordinal);
        Assert.Contains("all match", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAssetReadsBackAsTheFileItCameFrom()
    {
        string folder = Generate(24, seed: 3);
        string pack = Path.Combine(_work, "a.pack");
        PackResult result = PackBuilder.Build(folder, pack);
        Assert.Equal(24, result.Assets);
        Assert.Equal(new FileInfo(pack).Length, result.PackBytes);

        using PackReader reader = PackReader.Open(pack);
        Assert.Equal(24, reader.Count);
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            byte[] expected = File.ReadAllBytes(file);
            Asset asset = reader.Find(name);
            Assert.Equal(expected.Length, asset.Size);
            Assert.Equal(PackBuilder.KindOf(name), asset.Kind);
            Assert.Equal(Crc32C.Compute(expected), asset.Checksum);
            Assert.True(reader.Read(asset, span => span.SequenceEqual(expected)), name);
            using ReadOnlyMappedMemory export = reader.Export(asset);
            Assert.True(export.Span.SequenceEqual(expected), name);
            Assert.Equal(0, asset.Start % (asset.Size >= 4096 ? 4096 : 16));
        }

        Assert.False(reader.TryFind("textures/none.dds", out _));
        Assert.False(reader.TryFind(new string('x', 65), out _));
        Assert.False(reader.TryFind(string.Empty, out _));
        Assert.Throws<KeyNotFoundException>(() => reader.Find("nope"));
        Assert.Empty(reader.Verify());
    }

    [Fact]
    public void PackingIsDeterministic()
    {
        string folder = Generate(8, seed: 11);
        PackBuilder.Build(folder, Path.Combine(_work, "1.pack"));
        PackBuilder.Build(folder, Path.Combine(_work, "2.pack"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_work, "1.pack")), File.ReadAllBytes(Path.Combine(_work, "2.pack")));
    }

    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void VerifyReportsADamagedAsset()
    {
        string pack = Path.Combine(_work, "d.pack");
        PackBuilder.Build(Generate(6, seed: 5), pack);
        string victim;
        long at;
        using (PackReader reader = PackReader.Open(pack))
        {
            (victim, Asset asset) = reader.At(2);
            at = AssetsSectionOffset(pack) + asset.Start;
        }

        using (FileStream file = File.Open(pack, FileMode.Open))
        {
            file.Position = at;
            int b = file.ReadByte();
            file.Position = at;
            file.WriteByte((byte)(b ^ 0x40));
        }

        using PackReader damaged = PackReader.Open(pack);
        string problem = Assert.Single(damaged.Verify());
        Assert.Contains($"'{victim}': CRC-32C", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEntryPointingOutsideTheAssetsIsInvalidData()
    {
        string pack = Path.Combine(_work, "h.pack");
        using (ContainerBuilder builder = ContainerBuilder.Create(pack, PackBuilder.Tag))
        {
            builder.AddRaw(PackBuilder.AssetsSection).Append(new byte[100]);
            RecordsWriter<TocEntry> toc = builder.AddRecords<TocEntry>(PackBuilder.TocSection);
            toc.Append(new TocEntry { NameHash = AssetNames.Hash("big"u8), Name = "big", Start = 50, Size = 51 });
            builder.Seal();
        }

        using PackReader reader = PackReader.Open(pack);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => reader.TryFind("big", out _));
        Assert.Contains("51 bytes at 50", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(new Asset(0, AssetKind.Other, 50, 51, 0), static s => s.Length));
    }

    [Fact]
    public void FilesThatAreNotPacksAreInvalidData()
    {
        string other = Path.Combine(_work, "other.pack");
        using (ContainerBuilder builder = ContainerBuilder.Create(other, 0x1234))
        {
            builder.AddRaw(PackBuilder.AssetsSection);
            builder.Seal();
        }

        Assert.Throws<InvalidDataException>(() => PackReader.Open(other));

        string missing = Path.Combine(_work, "missing.pack");
        using (ContainerBuilder builder = ContainerBuilder.Create(missing, PackBuilder.Tag))
        {
            builder.AddRaw(PackBuilder.AssetsSection);
            builder.Seal();
        }

        Assert.Contains("'toc'", Assert.Throws<InvalidDataException>(() => PackReader.Open(missing)).Message, StringComparison.Ordinal);

        string bytes = Path.Combine(_work, "bytes.pack");
        File.WriteAllBytes(bytes, new byte[10_000]);
        Assert.Throws<InvalidDataException>(() => PackReader.Open(bytes));
    }

    [Fact]
    public void BadInputsAreTypedExceptions()
    {
        string folder = Path.Combine(_work, "long");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, new string('n', 65)), [1]);
        Assert.Contains("64 UTF-8 bytes", Assert.Throws<ArgumentException>(() => PackBuilder.Build(folder, Path.Combine(_work, "l.pack"))).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_work, "l.pack")));
        Assert.Throws<DirectoryNotFoundException>(() => PackBuilder.Build(Path.Combine(_work, "nowhere"), Path.Combine(_work, "n.pack")));

        Assert.Throws<ArgumentException>(() => DemoOptions.Parse(["--assets", "0"]));
        Assert.Throws<ArgumentException>(() => DemoOptions.Parse(["--seed"]));
        Assert.Throws<ArgumentException>(() => DemoOptions.Parse(["--frobnicate"]));
        Assert.Equal(new DemoOptions(Assets: 5, Verify: true), DemoOptions.Parse(["--assets", "5", "--verify"]));
    }

    private string Generate(int count, int seed)
    {
        string folder = Path.Combine(_work, $"assets-{seed}");
        TestAssets.Generate(folder, count, seed, MaximumSize);
        return folder;
    }

    private static long AssetsSectionOffset(string pack)
    {
        using MappedContainer container = MappedContainer.Open(pack, PackBuilder.Tag, MapAccess.Read);
        return container.Sections.Single(s => s.Name == PackBuilder.AssetsSection).Offset;
    }
}
