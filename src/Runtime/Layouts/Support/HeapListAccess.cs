using System.IO;
using Overlay.Formats;

namespace Overlay.Layouts.Support;

/// <summary>The checks every <c>[VarList]</c> access makes of the reference it follows (docs/layouts.md, "Variable-length fields").</summary>
internal static class HeapListAccess
{
    /// <summary>The most bytes one heap value holds (<see cref="HeapSection.Allocate(int)"/>'s limit).</summary>
    public const int MaximumBytes = int.MaxValue - ContainerFormat.HeapMinimumBlockSize;

    /// <summary>
    /// The element count of the list <paramref name="reference"/> names, after the heap checked it
    /// against its bounds; a length that is not a whole number of elements is a hostile or damaged file.
    /// </summary>
    public static int Count(HeapRef reference, HeapSection heap, int elementSize, string fieldName)
    {
        System.ArgumentNullException.ThrowIfNull(heap);
        _ = heap.Locate(reference);
        if (reference.Length % elementSize != 0)
        {
            throw heap.Invalid(reference, $"{fieldName} is a list of {elementSize}-byte elements, and {reference.Length} bytes are not a whole number of them");
        }

        return reference.Length / elementSize;
    }
}
