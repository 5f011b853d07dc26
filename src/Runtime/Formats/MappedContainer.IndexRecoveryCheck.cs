using System;
using Overlay.Indexes;

namespace Overlay.Formats;

// Compaction and upgrade copy an index section's committed length only (docs/indexes.md, "As a
// container section"). A hash index a crashed writer left dirty or mid-relayout may need bytes past
// it, and its recovery needs the index's key type, which neither knows: so they refuse such a file
// and say how to recover it (the index's own Open with recover: true) rather than copy a loss.
public sealed partial class MappedContainer
{
    /// <summary>Throws <see cref="IndexRecoveryRequiredException"/> if a hash index section's header says it changed after the last commit.</summary>
    internal void ThrowIfIndexNeedsRecovery()
    {
        Span<byte> bytes = stackalloc byte[HashIndexHeader.Size];
        foreach (SectionEntry entry in _entries)
        {
            if (entry.Kind != SectionKind.Index || entry.Aux1 != SectionIndexKinds.Hash || entry.Length < HashIndexHeader.Size)
            {
                continue;
            }

            _map.ReadAt(entry.Offset, bytes);
            HashIndexHeader header = HashIndexHeader.Read(bytes);

            // A header whose checksum fails is damage, not a crash's trace: the index's own open
            // reports it, and no recovery would help; the copy keeps it as it is.
            if (header.Checksum != HashIndexHeader.ComputeChecksum(bytes) || header.Magic != HashIndexHeader.ExpectedMagic)
            {
                continue;
            }

            ulong table = unchecked(HashIndexHeader.Size + ((header.Capacity + header.TailSlots) * header.SlotStride));
            if (header.State != HashIndexHeader.Clean || header.Count != (ulong)entry.Count || table != (ulong)entry.Length)
            {
                throw new IndexRecoveryRequiredException(_path, entry.Name, $"its header says state {header.State}, {header.Count} entries and a {table}-byte table; its section entry {entry.Count} entries and {entry.Length} bytes");
            }
        }
    }
}
