using Overlay.Layouts;

namespace Overlay.Samples.AssetPack;

/// <summary>What an asset is, from its folder: the game picks a loader by it.</summary>
public enum AssetKind : ushort
{
    /// <summary>Anything else.</summary>
    Other = 0,

    /// <summary>Under <c>textures/</c>.</summary>
    Texture = 1,

    /// <summary>Under <c>meshes/</c>.</summary>
    Mesh = 2,

    /// <summary>Under <c>audio/</c>.</summary>
    Audio = 3,

    /// <summary>Under <c>text/</c>: UTF-8.</summary>
    Text = 4,
}

/// <summary>
/// One entry of the pack's table of contents (section <c>toc</c>), sorted by
/// (<see cref="NameHash"/>, <see cref="Name"/>): a lookup is a binary search over 8-byte keys and
/// one name compare, instead of a string compare per probe.
/// </summary>
[MappedLayout(Size = 96)]
public partial struct TocEntry
{
    /// <summary>FNV-1a 64 of the name's UTF-8 bytes (<see cref="AssetNames.Hash"/>).</summary>
    public ulong NameHash;

    /// <summary>The asset's path relative to the packed folder, '/'-separated, at most 64 UTF-8 bytes.</summary>
    [FixedString(AssetNames.MaxBytes)]
    public string Name;

    /// <summary>The asset's kind.</summary>
    public AssetKind Kind;

    /// <summary>Zero in this version (alignment: the checksum starts at byte 76).</summary>
    public ushort Reserved;

    /// <summary>CRC-32C of the asset's bytes.</summary>
    public uint Checksum;

    /// <summary>Where the asset starts in section <c>assets</c>.</summary>
    public long Start;

    /// <summary>The asset's length in bytes.</summary>
    public long Size;
}
