using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;

namespace Overlay;

/// <summary>
/// Every exception <see cref="MemoryMap"/> throws, in one place, with Python's wording where it
/// has one, so the hot paths stay small and the messages stay consistent.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Closed() => throw new ObjectDisposedException(nameof(MemoryMap), "The memory map is closed.");

    [DoesNotReturn]
    public static void ReadOnly() => throw new NotSupportedException("The memory map is read-only: it was opened with MapAccess.Read or without PROT_WRITE.");

    [DoesNotReturn]
    public static void NotReadable() => throw new NotSupportedException("The memory map is not readable: its protection has neither Read nor Write.");

    [DoesNotReturn]
    public static void IndexOutOfRange(long index, long length) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the map (length {length}).");

    /// <summary>A view or Ref type whose <c>SizeInBytes</c> is not positive, named by its type parameter.</summary>
    [DoesNotReturn]
    public static void BadRecordSize(Type type, int size, string typeParameter) =>
        throw new ArgumentException($"{type.FullName}.SizeInBytes is {size}: a record has at least one byte.", typeParameter);

    [DoesNotReturn]
    public static void Exported(string operation) =>
        throw new InvalidOperationException($"Cannot {operation} the memory map while memory or spans exported from it are still in use, a Pin callback runs, or a RecordFile owns it; dispose them (the record file closes its map), or let the callback return, first.");

    [DoesNotReturn]
    public static void Busy() =>
        throw new InvalidOperationException("Another thread is closing, resizing or re-protecting the memory map; those calls must not overlap with others on the same map.");

    [DoesNotReturn]
    public static void EndOfMap(string operation) =>
        throw new EndOfStreamException($"Cannot {operation}: the position is at or past the end of the map.");

    [DoesNotReturn]
    public static void OutOfRange(string parameter, long value, string message) =>
        throw new ArgumentOutOfRangeException(parameter, value, message);
}
