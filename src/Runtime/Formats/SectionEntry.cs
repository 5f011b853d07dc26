using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Overlay.Formats;

/// <summary>
/// One section table entry as the container keeps it in memory (<c>docs/formats.md</c> §1.2): the
/// container changes it as the section grows, and <see cref="Write"/> encodes it at commit.
/// </summary>
internal sealed class SectionEntry
{
    public string Name = string.Empty;
    public SectionKind Kind;
    public ushort Flags;
    public uint Stride;
    public ulong Fingerprint;
    public long Offset;
    public long Length;
    public long Capacity;
    public long Count;
    public long Aux0;
    public long Aux1;
    public uint Schema;
    public uint LayoutVersion;

    // Not stored. Section bytes at or past ZeroFrom are known to hold zeros (the file grew there);
    // below it, what a crashed writer left may remain, so reusing them clears them first.
    public long ZeroFrom;

    // Not stored. A free extent found on open may be reused; one freed in this session may not
    // (docs/formats.md §3: stale views and the fallback slot may still name it).
    public bool Reusable;

    // Not stored. Heap blocks freed since the last commit: linked into the free list by Commit.
    public List<long>? PendingFree;

    public long End => Offset + Capacity;

    public SectionInfo ToInfo(int index) =>
        new(index, Name, Kind, Stride, Fingerprint, Offset, Length, Capacity, Count, Schema, LayoutVersion);

    public SectionEntry Clone() => (SectionEntry)MemberwiseClone();

    /// <summary>Decodes an entry without checking anything but the name's encoding (which the validator checks next).</summary>
    public static SectionEntry Read(ReadOnlySpan<byte> bytes, out string? nameError)
    {
        nameError = null;
        ReadOnlySpan<byte> name = bytes[..ContainerFormat.MaximumNameBytes];
        int end = name.IndexOf((byte)0);
        ReadOnlySpan<byte> used = end < 0 ? name : name[..end];
        if (end >= 0 && name[end..].ContainsAnyExcept((byte)0))
        {
            nameError = "its name has a NUL byte inside";
        }

        string text = string.Empty;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(used);
        }
        catch (DecoderFallbackException)
        {
            nameError = "its name is not valid UTF-8";
        }

        return new SectionEntry
        {
            Name = text,
            Kind = (SectionKind)BinaryPrimitives.ReadUInt16LittleEndian(bytes[32..]),
            Flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes[34..]),
            Stride = BinaryPrimitives.ReadUInt32LittleEndian(bytes[36..]),
            Fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(bytes[40..]),
            Offset = BinaryPrimitives.ReadInt64LittleEndian(bytes[48..]),
            Length = BinaryPrimitives.ReadInt64LittleEndian(bytes[56..]),
            Capacity = BinaryPrimitives.ReadInt64LittleEndian(bytes[64..]),
            Count = BinaryPrimitives.ReadInt64LittleEndian(bytes[72..]),
            Aux0 = BinaryPrimitives.ReadInt64LittleEndian(bytes[80..]),
            Aux1 = BinaryPrimitives.ReadInt64LittleEndian(bytes[88..]),
            Schema = BinaryPrimitives.ReadUInt32LittleEndian(bytes[96..]),
            LayoutVersion = BinaryPrimitives.ReadUInt32LittleEndian(bytes[100..]),
        };
    }

    /// <summary>True when the 24 reserved bytes of an encoded entry are zero.</summary>
    public static bool ReservedIsZero(ReadOnlySpan<byte> bytes) => !bytes[104..ContainerFormat.EntrySize].ContainsAnyExcept((byte)0);

    public void Write(Span<byte> bytes)
    {
        bytes = bytes[..ContainerFormat.EntrySize];
        bytes.Clear();
        Encoding.UTF8.GetBytes(Name, bytes[..ContainerFormat.MaximumNameBytes]);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[32..], (ushort)Kind);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[34..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[36..], Stride);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[40..], Fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[48..], Offset);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[56..], Length);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[64..], Capacity);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[72..], Count);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[80..], Aux0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[88..], Aux1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[96..], Schema);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[100..], LayoutVersion);
    }

    /// <summary>Checks a name an application passes in: 1-32 UTF-8 bytes, no NUL.</summary>
    public static void CheckName(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes is 0 or > ContainerFormat.MaximumNameBytes || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A section name is 1 to {ContainerFormat.MaximumNameBytes} UTF-8 bytes without NUL; '{name}' is {bytes}.", parameter);
        }
    }
}
