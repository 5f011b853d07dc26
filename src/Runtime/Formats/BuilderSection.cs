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

        // Only when it moves: setting a FileStream's position flushes its buffer, even to where it
        // already is, which made every append a write() (10M records with a string: 120 s).
        long position = Origin + at;
        if (Stream.Position != position)
        {
            Stream.Position = position;
        }

        Stream.Write(bytes);
        Entry.Length += bytes.Length;
        return at;
    }
}
