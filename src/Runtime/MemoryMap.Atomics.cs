using System.Runtime.CompilerServices;

namespace Overlay;

// The target of an [Atomic] field's operation (Layouts/Support/AtomicAccess.cs): checked as
// ReadAt<T>/WriteAt<T> check, but handed back as a reference, because Interlocked needs the
// location itself rather than a copy of the value.
public sealed unsafe partial class MemoryMap
{
    /// <summary>
    /// The first byte of the <paramref name="size"/> bytes (4 or 8) at <paramref name="offset"/>,
    /// after the checks of <see cref="WriteAt{T}"/> (<paramref name="write"/>) or <see cref="ReadAt{T}"/>:
    /// inside the live mapping, map open, writable or readable, not a retired range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref byte AtomicTarget(long offset, int size, bool write)
    {
        if ((ulong)offset >= (ulong)(write ? WriteStarts(size) : ReadStarts(size)))
        {
            ThrowAccessOutOfRange(offset, size, write);
        }

        CheckRetired(offset, size);
        return ref *(_data + offset);
    }
}
