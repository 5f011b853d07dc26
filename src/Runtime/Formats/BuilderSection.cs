using System;
using System.IO;

namespace Overlay.Formats;

/// <summary>
/// One section a <see cref="ContainerBuilder"/> is writing: its entry and the stream its bytes go
/// to (the output file itself for the first section, a temporary file for the others).
/// </summary>
internal sealed class BuilderSection
{
    public BuilderSection(ContainerBuilder owner, SectionEntry entry, Stream stream, long origin)
    {
        Owner = owner;
        Entry = entry;
        Stream = stream;
        Origin = origin;
    }

    public ContainerBuilder Owner { get; }

    public SectionEntry Entry { get; }

    public Stream Stream { get; }

    /// <summary>Where the section's first byte is in <see cref="Stream"/>.</summary>
    public long Origin { get; }

    public long Append(ReadOnlySpan<byte> bytes)
    {
        Owner.ThrowIfSealed();
        long at = Entry.Length;
        if (bytes.Length > long.MaxValue / 4 - at)
        {
            throw new IOException($"Section '{Entry.Name}' would be larger than a file can be.");
        }

        Stream.Position = Origin + at;
        Stream.Write(bytes);
        Entry.Length += bytes.Length;
        return at;
    }
}
