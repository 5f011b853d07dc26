using Overlay.Layouts;

namespace Overlay;

public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// Makes the caller (a <see cref="RecordFile{THeaderView, TRecordView}"/>) the map's owner for
    /// the rest of the map's life. The owner holds one export, so the public <see cref="Resize"/>,
    /// <see cref="Close"/> and <see cref="Protect"/> refuse with <see cref="System.InvalidOperationException"/>
    /// while everything else (<see cref="Advise"/>, <see cref="Lock()"/>, <see cref="Flush()"/>,
    /// exports, views) works: the owner hands the map out, and must be the only one to change its
    /// length, protection or life (issue 14, hole 10: a shrink through <c>RecordFile.Map</c> left the
    /// record file committing counts past the data).
    /// </summary>
    internal void TakeOwnership() => AddExport();

    /// <summary>Ends the owner's hold without closing the map: for an owner that is being collected undisposed.</summary>
    internal void ReleaseOwnership() => ReleaseExport();

    /// <summary>
    /// Resizes the map for its owner: allowed when the owner's hold is the only export, in one
    /// compare-and-swap with the check (no export can slip in while the hold is lifted).
    /// </summary>
    internal void ResizeAsOwner(long newSize)
    {
        ThrowIfClosed();
        BeginMaintenance("resize", heldByCaller: 1);
        try
        {
            ResizeHeld(newSize);
        }
        finally
        {
            // A resize that lost the mapping closed the map: Maintenance stays, as after Close.
            if (!_closed)
            {
                EndMaintenance(heldByCaller: 1);
            }
        }
    }

    /// <summary>Closes the map for its owner; if another export refuses the close, the owner's hold stays.</summary>
    internal void CloseAsOwner()
    {
        if (_closed)
        {
            return;
        }

        BeginMaintenance("close", heldByCaller: 1);
        ReleaseClosed();
    }

    /// <summary>
    /// The first byte of <c>[offset, offset + size)</c>, writable, for the owner, whose hold already
    /// keeps the pages in place against everyone else: checked as <see cref="BeginPin"/> checks,
    /// without counting another export (two atomic operations a record, on the append path).
    /// </summary>
    internal ref byte OwnerRange(long offset, long size)
    {
        ThrowIfNotWritable();
        EnsureRange(offset, size);
        return ref *(_data + offset);
    }
}
