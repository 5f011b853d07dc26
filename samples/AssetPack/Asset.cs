namespace Overlay.Samples.AssetPack;

/// <summary>
/// Where an asset is in a pack, as <see cref="PackReader.TryFind"/> found it: plain numbers copied
/// out of the table of contents (and checked against the pack), no bytes and no name (the caller has it).
/// </summary>
/// <param name="Index">Its entry in the table of contents.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Start">Where it starts in section <c>assets</c>.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Checksum">CRC-32C of its bytes, as packed.</param>
public readonly record struct Asset(long Index, AssetKind Kind, long Start, int Size, uint Checksum);
