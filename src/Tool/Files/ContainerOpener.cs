using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Overlay.Formats;

namespace Overlay.Tool.Files;

/// <summary>
/// Opens a container read-only without knowing its application tag: the tool is not the
/// application. The tags the two meta slots claim are tried in turn with the runtime's own
/// <see cref="MappedContainer.Open"/>, so every check of docs/formats.md §4 still runs; the tag
/// only selects which of them the runtime then holds the file to.
/// </summary>
internal static class ContainerOpener
{
    /// <exception cref="InvalidDataException">No claimed tag opens the file (the first attempt's reason is reported).</exception>
    public static MappedContainer Open(string path)
    {
        InvalidDataException? first = null;
        foreach (ulong tag in CandidateTags(path))
        {
            try
            {
                return MappedContainer.Open(path, tag, MapAccess.Read);
            }
            catch (InvalidDataException e)
            {
                first ??= e;
            }
        }

        throw first ?? new InvalidDataException($"{path} is not a valid Overlay container: it is too short to hold a meta slot.");
    }

    /// <summary>The tag of the container at <paramref name="path"/> (opened and validated).</summary>
    public static ulong ReadTag(string path)
    {
        using MappedContainer container = Open(path);
        return container.Tag;
    }

    /// <summary>The tags slot 0 and slot 1 (at every slot size the format allows) claim, slot 0's first; each once.</summary>
    private static List<ulong> CandidateTags(string path)
    {
        var tags = new List<ulong>();
        using FileStream stream = File.OpenRead(path);
        long length = stream.Length;
        Span<byte> tag = stackalloc byte[8];
        for (long slot = 0; slot <= ContainerFormat.MaximumSlotSize; slot = slot == 0 ? ContainerFormat.MinimumSlotSize : slot << 1)
        {
            long at = slot + 16;
            if (at + 8 > length)
            {
                break;
            }

            stream.Position = at;
            stream.ReadExactly(tag);
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(tag);
            if (!tags.Contains(value))
            {
                tags.Add(value);
            }
        }

        return tags;
    }
}
