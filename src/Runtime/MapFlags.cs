using System;

namespace Overlay;

/// <summary>
/// The <c>MAP_*</c> flags of <c>mmap(2)</c>, with Linux's values (x86-64 and arm64 agree on all of them).
/// </summary>
/// <remarks>
/// <see cref="Fixed"/> and <see cref="FixedNoReplace"/> are listed for completeness but refused:
/// Overlay always lets the kernel choose the address, so that no mapping can replace memory
/// the process already uses.
/// </remarks>
[Flags]
public enum MapFlags
{
    /// <summary>No flags: not valid on its own; give <see cref="Shared"/> or <see cref="Private"/>.</summary>
    None = 0,
    /// <summary><c>MAP_SHARED</c>: changes are visible to other mappings and reach the file.</summary>
    Shared = 0x01,
    /// <summary><c>MAP_PRIVATE</c>: copy-on-write; changes never reach the file.</summary>
    Private = 0x02,
    /// <summary><c>MAP_SHARED_VALIDATE</c>: as <see cref="Shared"/>, but unknown flags are an error.</summary>
    SharedValidate = 0x03,
    /// <summary><c>MAP_FIXED</c>: refused by Overlay (see remarks on the type).</summary>
    Fixed = 0x10,
    /// <summary><c>MAP_ANONYMOUS</c>: memory not backed by a file; added by <see cref="MemoryMap.Anonymous"/>.</summary>
    Anonymous = 0x20,
    /// <summary><c>MAP_32BIT</c>: place the mapping in the first 2 GiB (x86-64 only).</summary>
    Map32Bit = 0x40,
    /// <summary><c>MAP_GROWSDOWN</c>: a stack-like mapping that grows downwards.</summary>
    GrowsDown = 0x0100,
    /// <summary><c>MAP_DENYWRITE</c>: ignored by Linux, kept for compatibility.</summary>
    DenyWrite = 0x0800,
    /// <summary><c>MAP_EXECUTABLE</c>: ignored by Linux, kept for compatibility.</summary>
    Executable = 0x1000,
    /// <summary><c>MAP_LOCKED</c>: lock the pages in memory, as <c>mlock</c>.</summary>
    Locked = 0x2000,
    /// <summary><c>MAP_NORESERVE</c>: do not reserve swap space.</summary>
    NoReserve = 0x4000,
    /// <summary><c>MAP_POPULATE</c>: pre-fault the pages (read-ahead for files).</summary>
    Populate = 0x8000,
    /// <summary><c>MAP_NONBLOCK</c>: with <see cref="Populate"/>, do not block on I/O.</summary>
    NonBlock = 0x10000,
    /// <summary><c>MAP_STACK</c>: the mapping is a thread stack.</summary>
    Stack = 0x20000,
    /// <summary><c>MAP_HUGETLB</c>: use huge pages.</summary>
    HugeTlb = 0x40000,
    /// <summary><c>MAP_SYNC</c>: synchronous page faults for DAX files (with <see cref="SharedValidate"/>).</summary>
    Sync = 0x80000,
    /// <summary><c>MAP_FIXED_NOREPLACE</c>: refused by Overlay (see remarks on the type).</summary>
    FixedNoReplace = 0x100000,
    /// <summary><c>MAP_UNINITIALIZED</c>: do not clear anonymous pages (only on kernels built for it).</summary>
    Uninitialized = 0x4000000,
}
