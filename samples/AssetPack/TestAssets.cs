using System;
using System.IO;
using System.Text;

namespace Overlay.Samples.AssetPack;

/// <summary>
/// Makes a folder of test assets from a seed: the same seed gives the same files. Sizes are
/// log-uniform between <see cref="MinimumSize"/> and the maximum (as many 1 KiB assets as 1 MiB
/// ones, like a game's data), the first asset is the smallest size and the second the largest.
/// </summary>
public static class TestAssets
{
    /// <summary>The smallest asset.</summary>
    public const int MinimumSize = 100;

    /// <summary>The largest asset by default: 8 MiB.</summary>
    public const int DefaultMaximumSize = 8 << 20;

    private static readonly string[] s_folders = ["textures", "meshes", "audio", "text"];
    private static readonly string[] s_extensions = [".dds", ".mesh", ".ogg", ".txt"];
    private static readonly byte[] s_line = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog. Ünïcödé too.\n");

    /// <summary>Writes <paramref name="count"/> assets under <paramref name="folder"/> (created if needed).</summary>
    /// <param name="folder">Where they go.</param>
    /// <param name="count">How many, at least 1.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="maximumSize">The largest size, from <see cref="MinimumSize"/> up.</param>
    /// <returns>The total of their sizes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or <paramref name="maximumSize"/> below <see cref="MinimumSize"/>.</exception>
    public static long Generate(string folder, int count, int seed, int maximumSize = DefaultMaximumSize)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumSize, MinimumSize);
        var random = new Random(seed);
        byte[] buffer = new byte[maximumSize];
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            int size = i switch
            {
                0 => MinimumSize,
                1 => maximumSize,
                _ => (int)Math.Round(MinimumSize * Math.Pow((double)maximumSize / MinimumSize, random.NextDouble())),
            };
            int kind = random.Next(s_folders.Length);
            Span<byte> bytes = buffer.AsSpan(0, size);
            if (s_folders[kind] == "text")
            {
                for (int at = 0; at < size; at += s_line.Length)
                {
                    s_line.AsSpan(0, Math.Min(s_line.Length, size - at)).CopyTo(bytes[at..]);
                }
            }
            else
            {
                random.NextBytes(bytes);
            }

            string directory = Path.Combine(folder, s_folders[kind]);
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(Path.Combine(directory, $"{s_folders[kind]}_{i:D4}{s_extensions[kind]}"), bytes);
            total += size;
        }

        return total;
    }
}
