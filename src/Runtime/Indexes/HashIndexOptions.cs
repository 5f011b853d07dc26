namespace Overlay.Indexes;

/// <summary>How <see cref="MappedHashIndex{TKey, TValue}.Create"/> makes a new index file, and <see cref="Formats.MappedContainer.AddHashIndex{TKey, TValue}"/> a new index section.</summary>
public sealed class HashIndexOptions
{
    /// <summary>The smallest <see cref="MaxLoadPercent"/>.</summary>
    public const int MinimumLoadPercent = 25;

    /// <summary>The largest <see cref="MaxLoadPercent"/>: past it, linear probing's misses scan long runs.</summary>
    public const int MaximumLoadPercent = 90;

    /// <summary>How many entries to make room for now (the index doubles as needed past it). 0 by default.</summary>
    public long InitialCapacity { get; init; }

    /// <summary>
    /// How full the table may get, in percent of its slots, before it doubles: 75 by default,
    /// from <see cref="MinimumLoadPercent"/> to <see cref="MaximumLoadPercent"/>. Recorded in the file.
    /// </summary>
    public int MaxLoadPercent { get; init; } = 75;

    /// <summary>The hash seed, recorded in the file; null (the default) draws one at random, so that a key set built to collide under one file's seed does not collide under another's.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The slots after the last home slot that a run may spill into (256; the tests make it small, to reach the end often).</summary>
    internal int TailSlots { get; init; } = DefaultTailSlots;

    /// <summary>The default of <see cref="TailSlots"/>.</summary>
    internal const int DefaultTailSlots = 256;

    /// <summary>The hash function recorded in the file: function 2, as every new file; the tests make function-1 files (as older code wrote them) with it.</summary>
    internal uint HashFunction { get; init; } = StableHash.NewFileFunction;

    /// <summary>The application's tag, recorded in the file and checked by <c>Open</c> (as a record file's magic number). 0 by default.</summary>
    public ulong Tag { get; init; }
}
