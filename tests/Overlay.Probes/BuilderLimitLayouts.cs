using Overlay.Layouts;

namespace Overlay.Probes;

/// <summary>A record of <see cref="BuilderLimitWorkload"/> whose strings go to the builder's heap.</summary>
[MappedLayout]
public partial struct LimitParcel
{
    public long Id;
    [VarString] public string Name;
    [VarString] public string Note;
}

/// <summary>A record of <see cref="BuilderLimitWorkload"/> larger than the builder's 1 MiB chunk (RecordsWriter's other branch).</summary>
[MappedLayout(Size = 2 << 20)]
public partial struct LimitSlab
{
    public long Id;
    [FixedArray(16)] public long[] Words;
}

/// <summary><see cref="LimitSlab"/> with a string in the builder's heap.</summary>
[MappedLayout(Size = 2 << 20)]
public partial struct LimitHeapSlab
{
    public long Id;
    [VarString] public string Name;
    [FixedArray(16)] public long[] Words;
}
