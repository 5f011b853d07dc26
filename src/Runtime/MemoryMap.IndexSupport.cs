namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// The address of <c>[offset, offset + size)</c>, for an owner (<see cref="TakeOwnership"/>) that
    /// keeps it only until its own next <see cref="ResizeAsOwner"/> or <see cref="CloseAsOwner"/>:
    /// the hold keeps everyone else from moving or unmapping the pages, so the owner's hot path is
    /// a raw pointer plus its own bound (an index's slot count, checked against this range once).
    /// </summary>
    internal byte* OwnerPointer(long offset, long size)
    {
        ThrowIfClosed();
        EnsureRange(offset, size);
        return _data + offset;
    }
}
