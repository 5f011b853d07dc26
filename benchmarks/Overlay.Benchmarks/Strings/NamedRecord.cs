using MemoryPack;
using Overlay.Layouts;

namespace Overlay.Benchmarks.Strings;

/// <summary>The Overlay layout: an id and a 12-byte reference to the name in the heap.</summary>
[MappedLayout]
public partial struct NamedRecord
{
    /// <summary>The id.</summary>
    public long Id;

    /// <summary>The name, UTF-8 in the container's heap.</summary>
    [VarString]
    public string Name;
}

/// <summary>The same record for MemoryPack.</summary>
[MemoryPackable]
public sealed partial class MpNamedRecord
{
    /// <summary>The id.</summary>
    public long Id { get; set; }

    /// <summary>The name.</summary>
    public string Name { get; set; } = "";
}
