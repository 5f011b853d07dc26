namespace Overlay;

/// <summary>
/// The <c>MADV_*</c> advice of <c>madvise(2)</c>, with Linux's values.
/// </summary>
/// <remarks>
/// Some advice changes the contents: <see cref="DontNeed"/> and <see cref="Free"/> drop private
/// changes (anonymous private memory reads back as zero), <see cref="Remove"/> punches a hole in
/// the file. <see cref="HardwarePoison"/> and <see cref="SoftOffline"/> are refused by
/// <see cref="MemoryMap.Advise"/>: they would make the pages fault on the next access.
/// </remarks>
public enum MapAdvice
{
    /// <summary><c>MADV_NORMAL</c>: no special treatment.</summary>
    Normal = 0,
    /// <summary><c>MADV_RANDOM</c>: expect random access; read ahead less.</summary>
    Random = 1,
    /// <summary><c>MADV_SEQUENTIAL</c>: expect sequential access; read ahead more.</summary>
    Sequential = 2,
    /// <summary><c>MADV_WILLNEED</c>: expect access soon; start reading.</summary>
    WillNeed = 3,
    /// <summary><c>MADV_DONTNEED</c>: drop the pages; private changes are lost.</summary>
    DontNeed = 4,
    /// <summary><c>MADV_FREE</c>: the pages may be freed lazily; private changes may be lost.</summary>
    Free = 8,
    /// <summary><c>MADV_REMOVE</c>: free the pages and the file's backing store for them.</summary>
    Remove = 9,
    /// <summary><c>MADV_DONTFORK</c>: do not share the pages with a forked child.</summary>
    DontFork = 10,
    /// <summary><c>MADV_DOFORK</c>: undo <see cref="DontFork"/>.</summary>
    DoFork = 11,
    /// <summary><c>MADV_MERGEABLE</c>: allow kernel same-page merging.</summary>
    Mergeable = 12,
    /// <summary><c>MADV_UNMERGEABLE</c>: undo <see cref="Mergeable"/>.</summary>
    Unmergeable = 13,
    /// <summary><c>MADV_HUGEPAGE</c>: use transparent huge pages.</summary>
    HugePage = 14,
    /// <summary><c>MADV_NOHUGEPAGE</c>: do not use transparent huge pages.</summary>
    NoHugePage = 15,
    /// <summary><c>MADV_DONTDUMP</c>: leave the pages out of core dumps.</summary>
    DontDump = 16,
    /// <summary><c>MADV_DODUMP</c>: undo <see cref="DontDump"/>.</summary>
    DoDump = 17,
    /// <summary><c>MADV_WIPEONFORK</c>: a forked child sees zeros.</summary>
    WipeOnFork = 18,
    /// <summary><c>MADV_KEEPONFORK</c>: undo <see cref="WipeOnFork"/>.</summary>
    KeepOnFork = 19,
    /// <summary><c>MADV_COLD</c>: the pages are unlikely to be used soon.</summary>
    Cold = 20,
    /// <summary><c>MADV_PAGEOUT</c>: reclaim the pages now.</summary>
    PageOut = 21,
    /// <summary><c>MADV_POPULATE_READ</c>: pre-fault the pages for reading.</summary>
    PopulateRead = 22,
    /// <summary><c>MADV_POPULATE_WRITE</c>: pre-fault the pages for writing.</summary>
    PopulateWrite = 23,
    /// <summary><c>MADV_DONTNEED_LOCKED</c>: as <see cref="DontNeed"/>, for locked pages too.</summary>
    DontNeedLocked = 24,
    /// <summary><c>MADV_COLLAPSE</c>: collapse the range into transparent huge pages now.</summary>
    Collapse = 25,
    /// <summary><c>MADV_HWPOISON</c>: refused by Overlay (see remarks on the type).</summary>
    HardwarePoison = 100,
    /// <summary><c>MADV_SOFT_OFFLINE</c>: refused by Overlay (see remarks on the type).</summary>
    SoftOffline = 101,
}
