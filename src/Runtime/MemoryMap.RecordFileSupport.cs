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

    /// <summary>Resizes the map for its owner: its own hold is lifted meanwhile, any other export still refuses.</summary>
    internal void ResizeAsOwner(long newSize)
    {
        ReleaseExport();
        try
        {
            Resize(newSize);
        }
        finally
        {
            AddExport();
        }
    }

    /// <summary>Closes the map for its owner; if another export refuses the close, the owner's hold stays.</summary>
    internal void CloseAsOwner()
    {
        ReleaseExport();
        try
        {
            Close();
        }
        catch
        {
            AddExport();
            throw;
        }
    }
}
