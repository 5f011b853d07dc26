namespace Overlay.Formats;

/// <summary>What <see cref="MappedContainer.Compact"/> did.</summary>
/// <param name="OldLength">The file's length before.</param>
/// <param name="NewLength">The file's length after.</param>
public readonly record struct CompactionResult(long OldLength, long NewLength)
{
    /// <summary>The bytes the file shrank by.</summary>
    public long BytesReclaimed => OldLength - NewLength;
}
