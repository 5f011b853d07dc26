using System;
using System.Buffers.Binary;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Tool.Files;

/// <summary>Tells which kind of Overlay file a path holds from its first bytes, before anything is mapped.</summary>
internal static class FileDetector
{
    /// <summary>"OVLHASH1" read as a little-endian u64 (docs/indexes.md).</summary>
    public const ulong HashIndexMagic = 0x31485341484C564F;

    /// <summary>"OVLSORT1" read as a little-endian u64 (docs/indexes.md).</summary>
    public const ulong SortedIndexMagic = 0x3154524F534C564F;

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is none of the kinds the runtime writes.</exception>
    public static FileKind Detect(string path)
    {
        Span<byte> head = stackalloc byte[16];
        int read;
        using (FileStream stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read < 16)
        {
            throw new InvalidDataException($"{path} is {read} bytes long: too short to be an Overlay file (every kind starts with at least 16 bytes of prefix).");
        }

        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(head);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        uint prefix = BinaryPrimitives.ReadUInt32LittleEndian(head[12..]);
        if (magic == ContainerFormat.Magic)
        {
            return FileKind.Container;
        }

        if (magic == HashIndexMagic)
        {
            return FileKind.HashIndex;
        }

        if (magic == SortedIndexMagic)
        {
            return FileKind.SortedIndex;
        }

        // A record file's magic is the application's: what identifies the format is the version and
        // the prefix size that follow it (version 1 had a 48-byte prefix and is still recognised, to say why it is refused).
        if ((version == RecordFileFormat.Version && prefix >= RecordFileFormat.PrefixSize) || (version == 1 && prefix == 48))
        {
            return FileKind.RecordFile;
        }

        throw new InvalidDataException($"{path} is not an Overlay file: its first bytes (magic 0x{magic:X16}, then {version}, {prefix}) are neither a container (\"OVLCNTNR\"), a hash index (\"OVLHASH1\"), a sorted index (\"OVLSORT1\") nor a record file (version {RecordFileFormat.Version}, a prefix of at least {RecordFileFormat.PrefixSize} bytes).");
    }
}
