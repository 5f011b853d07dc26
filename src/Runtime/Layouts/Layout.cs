using System;

namespace Overlay.Layouts;

/// <summary>
/// The members every layout has, reached through its type rather than its name:
/// <c>Layout&lt;PlayerRecord&gt;.SizeInBytes</c> is <c>PlayerRecord.SizeInBytes</c>.
/// </summary>
/// <remarks>
/// A layout's fields may take any name a file format needs (<c>Offset</c>, <c>Size</c>,
/// <c>Load</c>, ...): where a field takes the name of a convenience member the generator would add
/// to the layout (<c>SizeInBytes</c>, <c>LayoutFingerprint</c>, <c>LayoutInfo</c>, <c>Offsets</c>,
/// <c>Load</c>, <c>Store</c>, <c>Validate</c>), the field wins and that member is not emitted; the
/// layout still implements <see cref="IMappedLayout{TSelf}"/>, and this class reaches it. Generated
/// code calls nested layouts through it, so a nested layout's field names never matter either.
/// Every member is a constrained call the JIT inlines: nothing is boxed or looked up.
/// </remarks>
/// <typeparam name="T">The layout.</typeparam>
public static class Layout<T>
    where T : struct, IMappedLayout<T>
{
    /// <summary>The record's size in bytes.</summary>
    public static int SizeInBytes => T.SizeInBytes;

    /// <summary>The layout's fingerprint.</summary>
    public static ulong LayoutFingerprint => T.LayoutFingerprint;

    /// <summary>The layout's description.</summary>
    public static LayoutInfo LayoutInfo => T.LayoutInfo;

    /// <summary>Copies the record at <paramref name="offset"/> out of the map.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the record starts.</param>
    /// <returns>The record.</returns>
    public static T Load(MemoryMap map, long offset) => T.Load(map, offset);

    /// <summary>Copies <paramref name="value"/> into the map at <paramref name="offset"/>; a value that cannot be stored writes nothing.</summary>
    /// <param name="map">The map.</param>
    /// <param name="offset">Where the record starts.</param>
    /// <param name="value">The record.</param>
    public static void Store(MemoryMap map, long offset, in T value) => T.Store(map, offset, value);

    /// <summary>Copies the record in the first <see cref="SizeInBytes"/> bytes of <paramref name="source"/> out.</summary>
    /// <param name="source">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <returns>The record.</returns>
    public static T Load(ReadOnlySpan<byte> source) => T.Load(source);

    /// <summary>Copies <paramref name="value"/> into the first <see cref="SizeInBytes"/> bytes of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <param name="value">The record.</param>
    public static void Store(Span<byte> destination, in T value) => T.Store(destination, value);

    /// <summary>Throws what a <c>Store</c> would throw for <paramref name="value"/>, writing nothing.</summary>
    /// <param name="value">The record.</param>
    /// <exception cref="ArgumentException">A field cannot be stored.</exception>
    public static void Validate(in T value) => T.Validate(value);
}
