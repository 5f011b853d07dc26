using System.ComponentModel;

namespace Overlay.Layouts.Support;

/// <summary>
/// A map and a non-negative offset in it, made only by the runtime (<see cref="MappedArray{TView}"/>,
/// <see cref="RecordFile{THeaderView, TRecordView}"/>) after it checked both, so that the view it
/// hands out (<see cref="IMappedView{TSelf}.Create(CheckedOffset)"/>) need not check them again.
/// </summary>
/// <remarks>
/// Why a type of its own rather than an unchecked <c>Create(map, offset)</c>: the constructor of a
/// generated view refuses a null map and a negative offset (a view at -8 would otherwise read the
/// field at offset 8 from byte 0 of the map without an error), and each of those tests is a compare
/// and branch per record in a loop over an array. Code outside the runtime cannot make a
/// <see cref="CheckedOffset"/> with other values than <c>default</c>, whose null map makes every
/// access of the view throw <see cref="System.NullReferenceException"/>: no value of this type lets a
/// view read or write outside the mapping or at a negative offset, and every access is still checked
/// against the live mapping.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct CheckedOffset
{
    internal CheckedOffset(MemoryMap map, long offset)
    {
        Map = map;
        Offset = offset;
    }

    /// <summary>The map; not null unless this is <c>default</c>.</summary>
    public MemoryMap Map { get; }

    /// <summary>The offset; never negative.</summary>
    public long Offset { get; }
}
