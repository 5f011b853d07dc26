using System;
using System.Text;

namespace Overlay.Samples.AssetPack;

/// <summary>Asset names: their UTF-8 limit and the hash the table of contents is sorted by.</summary>
public static class AssetNames
{
    /// <summary>The longest name, in UTF-8 bytes (the <see cref="TocEntry.Name"/> field).</summary>
    public const int MaxBytes = 64;

    /// <summary>FNV-1a, 64 bits: a few lines, no package, and good enough to spread short paths (collisions are handled anyway).</summary>
    /// <param name="utf8">The name's UTF-8 bytes.</param>
    /// <returns>The hash.</returns>
    public static ulong Hash(ReadOnlySpan<byte> utf8)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }

    /// <summary>Checks that <paramref name="name"/> fits the table of contents.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Its UTF-8 length.</returns>
    /// <exception cref="ArgumentException">The name is empty, holds NUL, or is longer than <see cref="MaxBytes"/> UTF-8 bytes.</exception>
    public static int Check(string name)
    {
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes == 0 || bytes > MaxBytes || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Asset name '{name}' must be 1 to {MaxBytes} UTF-8 bytes without NUL (it is {bytes}).", nameof(name));
        }

        return bytes;
    }
}
