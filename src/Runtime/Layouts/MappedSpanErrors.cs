using System;
using System.Diagnostics.CodeAnalysis;

namespace Overlay.Layouts;

/// <summary>
/// The exceptions of <see cref="MappedSpan{TRef}"/> and <see cref="ReadOnlyMappedSpan{TRef}"/>, out of
/// line so that their indexers stay small enough to inline, and shared by the two twins.
/// </summary>
internal static class MappedSpanErrors
{
    [DoesNotReturn]
    public static void Index(int index, int length) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The index is outside the span of {length} records.");

    [DoesNotReturn]
    public static void Slice(int start, int length, int spanLength) =>
        throw new ArgumentOutOfRangeException(nameof(start), start, $"Records [{start}, {start} + {length}) are not inside the span of {spanLength}.");
}
