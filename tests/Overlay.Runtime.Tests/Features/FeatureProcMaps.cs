using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Overlay.Tests.Features;

/// <summary>One mapping of the process as <c>/proc/self/maps</c> (and <c>/proc/self/smaps</c>) describe it.</summary>
internal sealed record FeatureMapping(ulong Start, ulong End, string Permissions, string Path, IReadOnlyDictionary<string, string> Details)
{
    /// <summary>The value of an smaps field such as <c>Locked</c>, in kB.</summary>
    public long Kilobytes(string field) =>
        long.Parse(Details[field].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}

/// <summary>Reads the kernel's view of the process's mappings, to check what Overlay asked mmap, mprotect and mlock for.</summary>
internal static unsafe class FeatureProcMaps
{
    /// <summary>The address of the first byte of <paramref name="map"/> (through a read-only export, released at once).</summary>
    public static ulong AddressOf(MemoryMap map)
    {
        using ReadOnlyMappedMemory export = map.AcquireReadOnlyMemory(0, 0);
        using MemoryHandle handle = export.Memory.Pin();
        return (ulong)handle.Pointer;
    }

    /// <summary>The mapping (from /proc/self/maps) holding <paramref name="address"/>.</summary>
    public static FeatureMapping Find(ulong address) => Find(address, "/proc/self/maps");

    /// <summary>The mapping (from /proc/self/smaps, with its detail fields) holding <paramref name="address"/>.</summary>
    public static FeatureMapping FindDetailed(ulong address) => Find(address, "/proc/self/smaps");

    private static FeatureMapping Find(ulong address, string source)
    {
        FeatureMapping? found = null;
        Dictionary<string, string>? details = null;
        foreach (string line in File.ReadLines(source))
        {
            // A header line is "start-end perms offset dev inode [path]"; detail lines are "Name: value".
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && IsHex(line.AsSpan(0, dash)))
            {
                if (found is not null)
                {
                    break;
                }

                ulong start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                ulong end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (address >= start && address < end)
                {
                    string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                    details = new Dictionary<string, string>(StringComparer.Ordinal);
                    found = new FeatureMapping(start, end, fields[1], fields.Length > 5 ? fields[5].Trim() : string.Empty, details);
                }
            }
            else if (details is not null)
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    details[line[..colon]] = line[(colon + 1)..].Trim();
                }
            }
        }

        return found ?? throw new InvalidOperationException($"No mapping in {source} holds 0x{address:x}.");
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
