using System.Collections.Generic;

namespace Overlay.Formats;

/// <summary>What <see cref="ContainerReader"/> found in a valid file: the newest valid slot and its table.</summary>
internal sealed record ContainerImage(int SlotSize, ulong Generation, uint Flags, List<SectionEntry> Entries)
{
    public bool Sealed => (Flags & ContainerFormat.SealedFlag) != 0;
}
