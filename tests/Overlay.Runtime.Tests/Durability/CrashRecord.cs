using Overlay.Layouts;

namespace Overlay.Tests.Durability;

/// <summary>
/// A 256-byte record of the durability tests: 16 to a page, so a few hundred records spread over
/// enough pages for write-back order to matter. Every word of a written record is non-zero, so a
/// page that never reached the disk (zeros) cannot pass for one.
/// </summary>
[MappedLayout]
public partial struct CrashRecord
{
    public long Index;
    public long Version;
    [FixedArray(30)]
    public long[] Words;

    /// <summary>The record number <paramref name="index"/> as first appended.</summary>
    public static CrashRecord Make(long index)
    {
        var words = new long[30];
        for (int k = 0; k < words.Length; k++)
        {
            words[k] = Mix(index, k);
        }

        return new CrashRecord { Index = index + 1, Version = 1, Words = words };
    }

    /// <summary>A non-zero value that differs for every (record, word, edit).</summary>
    public static long Mix(long index, long salt)
    {
        ulong x = ((ulong)index * 0x9E3779B97F4A7C15UL) ^ ((ulong)salt * 0xC2B2AE3D27D4EB4FUL);
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 32;
        return (long)(x | 1);
    }
}
