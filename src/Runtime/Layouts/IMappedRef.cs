using System;

namespace Overlay.Layouts;

/// <summary>
/// Implemented by the generated <c>Ref</c> of every layout: a record over bytes whose length was
/// checked once, when the <c>Ref</c> was made, so its accessors read and write without further checks.
/// <see cref="MappedSpan{TRef}"/> hands these out while <see cref="MappedArray{TView}.Pin{TRef, TResult}(Func{MappedSpan{TRef}, TResult})"/>
/// holds the mapping in place.
/// </summary>
/// <typeparam name="TSelf">The <c>Ref</c> type.</typeparam>
public interface IMappedRef<TSelf>
    where TSelf : IMappedRef<TSelf>, allows ref struct
{
    /// <summary>The record's size in bytes.</summary>
    static abstract int SizeInBytes { get; }

    /// <summary>The layout's fingerprint.</summary>
    static abstract ulong LayoutFingerprint { get; }

    /// <summary>The record over the first <see cref="SizeInBytes"/> bytes of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is shorter than the record.</exception>
    static abstract TSelf Create(Span<byte> bytes);
}

/// <summary>
/// Implemented by the generated <c>ReadOnlyRef</c> of every layout: getters only, over bytes whose
/// length was checked once, when it was made. <see cref="ReadOnlyMappedSpan{TRef}"/> hands these out.
/// </summary>
/// <typeparam name="TSelf">The <c>ReadOnlyRef</c> type.</typeparam>
public interface IReadOnlyMappedRef<TSelf>
    where TSelf : IReadOnlyMappedRef<TSelf>, allows ref struct
{
    /// <summary>The record's size in bytes.</summary>
    static abstract int SizeInBytes { get; }

    /// <summary>The layout's fingerprint.</summary>
    static abstract ulong LayoutFingerprint { get; }

    /// <summary>The record over the first <see cref="SizeInBytes"/> bytes of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is shorter than the record.</exception>
    static abstract TSelf Create(ReadOnlySpan<byte> bytes);
}
