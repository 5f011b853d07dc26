using Overlay.Layouts;

namespace Overlay.Generators.Tests.Layouts;

/// <summary>
/// ELF's 64-bit section header (<c>Elf64_Shdr</c>, 64 bytes, little-endian), with the field names a
/// reader of the ELF specification would give it: <c>Offset</c> and <c>Size</c> among them.
/// </summary>
[MappedLayout(Size = 64)]
public partial struct SectionHeader
{
    public uint Name;       // sh_name: an offset into the section-name string table
    public uint Type;       // sh_type
    public ulong Flags;     // sh_flags
    public ulong Address;   // sh_addr
    public ulong Offset;    // sh_offset
    public ulong Size;      // sh_size
    public uint Link;       // sh_link
    public uint Info;       // sh_info
    public ulong AddressAlign;
    public ulong EntrySize;
}

/// <summary>
/// Every name of a member the generator adds, taken by a field (the generator steps aside for each),
/// with nested layouts that do the same, so generated code must reach them through
/// <see cref="Layout{T}"/>.
/// </summary>
[MappedLayout]
public partial struct EveryTakenName
{
    public int Map;
    public long Offset;
    public short Load;
    public short Store;
    public byte Validate;
    public byte AsReadOnly;
    public int SizeInBytes;
    public ulong LayoutFingerprint;
    public uint LayoutInfo;
    [FixedArray(2)] public ushort[] Offsets;
    public uint Length;
    public uint Count;
    public ushort Version;
    [FixedString(8)] public string Type;
    public SectionHeader Section;
    [FixedArray(2)] public SectionHeader[] More;
}
