using Overlay.Layouts;

// Layouts whose builder Store can be refused after it appended heap bytes (ContainerBuilderRefusedRecordTests).
namespace Overlay.Tests.Layouts;

/// <summary>
/// A 64 KiB record of one byte: a list of 32768 of them is 2 GiB, more than a heap value holds
/// (int.MaxValue - 16), which only the list's encoding finds, after the fields before it were appended.
/// </summary>
[MappedLayout(Size = 1 << 16)]
public partial struct WideItem
{
    public byte Tag;
}

/// <summary>Three heap fields, the last one a list that can be too long for the heap.</summary>
[MappedLayout]
public partial struct Parcel
{
    public long Id;
    [VarString] public string Name;
    [VarString] public string Note;
    [VarList] public WideItem[] Items;
}

/// <summary><see cref="Parcel"/>'s fields in a record larger than the builder's 1 MiB chunk (RecordsWriter's other branch).</summary>
[MappedLayout(Size = 2 << 20)]
public partial struct HugeParcel
{
    public long Id;
    [VarString] public string Name;
    [VarString] public string Note;
    [VarList] public WideItem[] Items;
}
