using System;

namespace Overlay;

/// <summary>The <c>PROT_*</c> protection bits of <c>mmap(2)</c> and <c>mprotect(2)</c>, with Linux's values.</summary>
[Flags]
public enum MapProtection
{
    /// <summary><c>PROT_NONE</c>: the pages cannot be touched; Overlay refuses reads and writes.</summary>
    None = 0,
    /// <summary><c>PROT_READ</c>: the pages can be read.</summary>
    Read = 0x1,
    /// <summary><c>PROT_WRITE</c>: the pages can be written (and, on Linux, read).</summary>
    Write = 0x2,
    /// <summary><c>PROT_EXEC</c>: the pages can be executed.</summary>
    Execute = 0x4,
    /// <summary><c>PROT_READ | PROT_WRITE</c>, the default.</summary>
    ReadWrite = Read | Write,
    /// <summary><c>PROT_GROWSDOWN</c>: with <c>mprotect</c>, extend the change down a grows-down mapping.</summary>
    GrowsDown = 0x01000000,
    /// <summary><c>PROT_GROWSUP</c>: with <c>mprotect</c>, extend the change up a grows-up mapping.</summary>
    GrowsUp = 0x02000000,
}
