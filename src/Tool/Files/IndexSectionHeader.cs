using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Overlay.Formats;

namespace Overlay.Tool.Files;

/// <summary>
/// What <c>inspect</c> shows of an index section's header (a section's bytes are a file's,
/// docs/indexes.md): which index it is by its magic, and the numbers that say how its bytes are
/// read, named as an index file's header shows them: the format version (a sorted index's 1, 2 or 3
/// places its regions) and a hash index's hash function.
/// </summary>
/// <param name="Kind">"hash index", "sorted index", or "index" for a magic neither has.</param>
/// <param name="Fields">The header fields, in the order an index file's header lists them.</param>
internal sealed record IndexSectionHeader(string Kind, IReadOnlyList<KeyValuePair<string, object>> Fields)
{
    // Magic (8), format version (4) ... hash function (4 at 40): the fields shown all lie in the first 44 bytes.
    private const int ShownBytes = 44;

    /// <summary>The header of <paramref name="section"/> (kind index); only fields inside its length are read.</summary>
    public static IndexSectionHeader Read(MappedContainer container, SectionInfo section)
    {
        byte[] h = new byte[(int)Math.Min(ShownBytes, section.Length)];
        container.Map.ReadAt(section.Offset, h);
        ulong magic = h.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(h) : 0;
        var fields = new List<KeyValuePair<string, object>>();
        if (h.Length >= 12)
        {
            fields.Add(new("format version", U32(h, 8)));
        }

        if (magic == FileDetector.HashIndexMagic && h.Length >= ShownBytes)
        {
            fields.Add(new("hash function", U32(h, 40)));
        }

        string kind = magic switch
        {
            FileDetector.HashIndexMagic => EmbeddedSchemas.Describe(FileKind.HashIndex),
            FileDetector.SortedIndexMagic => EmbeddedSchemas.Describe(FileKind.SortedIndex),
            _ => "index",
        };
        return new IndexSectionHeader(kind, fields);
    }

    /// <summary>"sorted index, format version 2"; "hash index, format version 1, hash function 2".</summary>
    public override string ToString() =>
        string.Join(", ", Fields.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Value}")).Prepend(Kind));

    private static uint U32(byte[] b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset));
}
