namespace Overlay;

/// <summary>
/// How a <see cref="MemoryMap"/> may be used, as Python's <c>ACCESS_*</c> constants.
/// </summary>
public enum MapAccess
{
    /// <summary>
    /// Derived from the flags and protection: shared and writable unless the
    /// protection says otherwise (Python's <c>ACCESS_DEFAULT</c>).
    /// </summary>
    Default = 0,

    /// <summary>Read-only: every write is refused with <see cref="System.NotSupportedException"/>.</summary>
    Read = 1,

    /// <summary>Shared and writable: writes reach the file.</summary>
    Write = 2,

    /// <summary>Copy-on-write: writes change the memory only, never the file.</summary>
    Copy = 3,
}
