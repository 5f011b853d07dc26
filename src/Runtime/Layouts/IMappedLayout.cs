using Overlay.Layouts.Support;

namespace Overlay.Layouts;

/// <summary>
/// Implemented by the generator for every <see cref="MappedLayoutAttribute"/> struct, so generic
/// code can copy records in and out of a map without reflection.
/// </summary>
/// <typeparam name="TSelf">The layout struct.</typeparam>
public interface IMappedLayout<TSelf>
    where TSelf : struct, IMappedLayout<TSelf>
{
    /// <summary>The record's size in bytes.</summary>
    static abstract int SizeInBytes { get; }

    /// <summary>A stable hash of the fields' names, types, offsets and byte orders.</summary>
    static abstract ulong LayoutFingerprint { get; }

    /// <summary>The layout's description.</summary>
    static abstract LayoutInfo LayoutInfo { get; }

    /// <summary>
    /// True when, on a little-endian machine, <c>Store</c> writes exactly the value's own bytes in
    /// memory: every field a little-endian primitive other than <c>bool</c>, in declaration order at
    /// its natural alignment with no padding, the record as long as its fields, in a sequential
    /// struct declared in one place. Generic code may then copy the values' bytes instead of storing
    /// them one by one (<c>RecordFile.AppendRange</c>). The generator implements it for the layouts
    /// that qualify; false otherwise.
    /// </summary>
    static virtual bool HasInMemoryLayout => false;

    /// <summary>Copies the record at <paramref name="offset"/> out of the map.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the record starts.</param>
    /// <returns>The record.</returns>
    static abstract TSelf Load(MemoryMap map, long offset);

    /// <summary>Copies <paramref name="value"/> into the map at <paramref name="offset"/>.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the record starts.</param>
    /// <param name="value">The record.</param>
    static abstract void Store(MemoryMap map, long offset, in TSelf value);

    /// <summary>Copies the record in the first <see cref="SizeInBytes"/> bytes of <paramref name="source"/> out.</summary>
    /// <param name="source">At least <see cref="SizeInBytes"/> bytes in the layout's format.</param>
    /// <returns>The record.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="source"/> is shorter than the record.</exception>
    static abstract TSelf Load(System.ReadOnlySpan<byte> source);

    /// <summary>
    /// Copies <paramref name="value"/> into the first <see cref="SizeInBytes"/> bytes of
    /// <paramref name="destination"/>, in the layout's format; checked first, so a value that cannot
    /// be stored writes nothing.
    /// </summary>
    /// <param name="destination">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <param name="value">The record.</param>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="destination"/> is shorter than the record.</exception>
    /// <exception cref="System.ArgumentException">A field cannot be stored (a string too long, an array of the wrong length, ...).</exception>
    static abstract void Store(System.Span<byte> destination, in TSelf value);

    /// <summary>
    /// Copies <paramref name="value"/> into the first <see cref="SizeInBytes"/> bytes of
    /// <paramref name="destination"/>, appending its variable-length fields to <paramref name="heap"/>
    /// and storing their references (a <see cref="Overlay.Formats.ContainerBuilder"/>'s one-pass
    /// write). A layout without such fields stores as <see cref="Store(System.Span{byte}, in TSelf)"/>
    /// does and appends nothing. The value is checked first where it can be; what only the storing
    /// finds (a list too long for a heap value) throws after the fields before it were appended, and
    /// <c>RecordsWriter.Append(value, heap)</c> then takes the heap back to where it was.
    /// </summary>
    /// <param name="destination">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <param name="value">The record.</param>
    /// <param name="heap">The heap its variable-length fields go to.</param>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="destination"/> is shorter than the record.</exception>
    /// <exception cref="System.ArgumentException">A field cannot be stored.</exception>
    static virtual void Store(System.Span<byte> destination, in TSelf value, Overlay.Formats.HeapWriter heap) => TSelf.Store(destination, value);

    /// <summary>
    /// Throws what a <c>Store</c> would throw for <paramref name="value"/> (a string that does not
    /// fit, an array of the wrong length, recursively through nested layouts), writing nothing; an
    /// outer layout calls it on its nested layouts before it writes a byte.
    /// </summary>
    /// <param name="value">The record.</param>
    /// <exception cref="System.ArgumentException">A field cannot be stored.</exception>
    static abstract void Validate(in TSelf value);
}

/// <summary>
/// Implemented by the generated <c>View</c> and <c>ReadOnlyView</c> of every layout: a record at an
/// offset in a map, whose accessors read and write the mapped bytes.
/// </summary>
/// <typeparam name="TSelf">The view struct.</typeparam>
public interface IMappedView<TSelf>
    where TSelf : struct, IMappedView<TSelf>
{
    /// <summary>The record's size in bytes.</summary>
    static abstract int SizeInBytes { get; }

    /// <summary>The layout's fingerprint.</summary>
    static abstract ulong LayoutFingerprint { get; }

    /// <summary>True for a <c>ReadOnlyView</c>: the only kind a read-only map hands out.</summary>
    static abstract bool IsReadOnly { get; }

    /// <summary>
    /// The layout's description, which containers store as the section's schema
    /// (<c>docs/formats.md</c>, Schemas); null for a hand-written view that has none (its sections
    /// then carry no schema and open only with the exact layout).
    /// </summary>
    static virtual LayoutInfo? LayoutInfo => null;

    /// <summary>
    /// Creates a view of the record at <paramref name="offset"/>, as the view's constructor: the map
    /// must not be null and the offset not negative; whether the record lies inside the map is
    /// checked by every access, against the live mapping.
    /// </summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the record starts.</param>
    /// <returns>The view.</returns>
    static abstract TSelf Create(MemoryMap map, long offset);

    /// <summary>
    /// Creates a view at a position the runtime has already checked, without checking it again
    /// (generated views skip their constructor's tests; this default, for views written by hand,
    /// calls <see cref="Create(MemoryMap, long)"/>).
    /// </summary>
    /// <param name="position">The map and offset.</param>
    /// <returns>The view.</returns>
    static virtual TSelf Create(CheckedOffset position) => TSelf.Create(position.Map, position.Offset);

    /// <summary>The map the view reads.</summary>
    MemoryMap Map { get; }

    /// <summary>Where the record starts in the map.</summary>
    long Offset { get; }
}
