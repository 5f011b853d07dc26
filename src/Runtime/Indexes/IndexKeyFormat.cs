using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Overlay.Layouts;

namespace Overlay.Indexes;

/// <summary>
/// How an index stores, hashes and compares keys of type <typeparamref name="TKey"/>: as a fixed
/// number of bytes, compared and hashed as bytes. <see cref="Default"/> covers the integer
/// primitives and <see cref="Guid"/>; <see cref="IndexKeyFormat.ForLayout{TLayout}"/> covers
/// fixed-size <c>[MappedLayout]</c> structs.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// Integers are stored little-endian; a <see cref="Guid"/> as <see cref="Guid.TryWriteBytes(Span{byte})"/>
/// writes it (its .NET byte order, little-endian on every OS); a layout in its own format
/// (<see cref="IMappedLayout{TSelf}.Store(Span{byte}, in TSelf)"/>), so equal keys are equal bytes.
/// </remarks>
public sealed class IndexKeyFormat<TKey>
    where TKey : struct
{
    private static IndexKeyFormat<TKey>? s_default;

    private readonly StoreKey? _store;
    private readonly LoadKey? _load;

    internal IndexKeyFormat(string name, int size, ulong fingerprint, StoreKey? store, LoadKey? load)
    {
        Name = name;
        Size = size;
        Fingerprint = fingerprint;
        _store = store;
        _load = load;
    }

    internal delegate void StoreKey(in TKey key, Span<byte> destination);

    internal delegate TKey LoadKey(ReadOnlySpan<byte> source);

    /// <summary>
    /// The format of an integer primitive (<see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>,
    /// <see cref="ushort"/>, <see cref="char"/>, <see cref="int"/>, <see cref="uint"/>, <see cref="long"/>,
    /// <see cref="ulong"/>, <see cref="Int128"/>, <see cref="UInt128"/>) or a <see cref="Guid"/>.
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="TKey"/> is another type: use <see cref="IndexKeyFormat.ForLayout{TLayout}"/> for a layout.</exception>
    /// <exception cref="PlatformNotSupportedException">The process is big-endian (index files are little-endian; no supported OS runs big-endian).</exception>
    public static IndexKeyFormat<TKey> Default
    {
        get
        {
            if (!IsPrimitive)
            {
                throw new NotSupportedException($"{typeof(TKey).FullName} is not an integer primitive or Guid: for a [MappedLayout] key pass IndexKeyFormat.ForLayout<{typeof(TKey).Name}>().");
            }

            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Index keys of primitive types are stored little-endian, and this process is big-endian.");
            }

            return s_default ??= new IndexKeyFormat<TKey>(PrimitiveName, Unsafe.SizeOf<TKey>(), PrimitiveFingerprint(PrimitiveName), null, null);
        }
    }

    /// <summary>The key's name in messages and in its fingerprint.</summary>
    public string Name { get; }

    /// <summary>The key's size in bytes.</summary>
    public int Size { get; }

    /// <summary>The fingerprint index headers record for the key: the layout's, or for a primitive the stable hash of its name (docs/indexes.md).</summary>
    public ulong Fingerprint { get; }

    /// <summary>True when the key is a primitive stored as its own little-endian bytes (folded by the JIT for each key type).</summary>
    /// <remarks>Always inlined: its IL is long for the inliner's budget, which in optimised code short of tier 1 (OSR) left a call per lookup.</remarks>
    internal static bool IsPrimitive
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get =>
            typeof(TKey) == typeof(ulong) || typeof(TKey) == typeof(long) || typeof(TKey) == typeof(uint) || typeof(TKey) == typeof(int)
            || typeof(TKey) == typeof(ushort) || typeof(TKey) == typeof(short) || typeof(TKey) == typeof(byte) || typeof(TKey) == typeof(sbyte)
            || typeof(TKey) == typeof(char) || typeof(TKey) == typeof(Int128) || typeof(TKey) == typeof(UInt128) || typeof(TKey) == typeof(Guid);
    }

    private static string PrimitiveName =>
        typeof(TKey) == typeof(ulong) ? "u64" : typeof(TKey) == typeof(long) ? "i64" : typeof(TKey) == typeof(uint) ? "u32"
        : typeof(TKey) == typeof(int) ? "i32" : typeof(TKey) == typeof(ushort) ? "u16" : typeof(TKey) == typeof(short) ? "i16"
        : typeof(TKey) == typeof(byte) ? "u8" : typeof(TKey) == typeof(sbyte) ? "i8" : typeof(TKey) == typeof(char) ? "char"
        : typeof(TKey) == typeof(Int128) ? "i128" : typeof(TKey) == typeof(UInt128) ? "u128" : "guid";

    /// <summary>Writes the key's bytes into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    internal void Write(in TKey key, Span<byte> destination)
    {
        if (_store is null)
        {
            MemoryMarshal.Write(destination, in key);
        }
        else
        {
            _store(in key, destination);
        }
    }

    /// <summary>Reads a key back from its bytes.</summary>
    internal TKey Read(ReadOnlySpan<byte> source) => _load is null ? MemoryMarshal.Read<TKey>(source) : _load(source);

    /// <summary>
    /// The order of two stored keys: numeric for the integer primitives, the bytes' lexicographic
    /// order for <see cref="Guid"/> and layouts (their stored format, docs/indexes.md).
    /// </summary>
    internal static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (IsPrimitive && typeof(TKey) != typeof(Guid))
        {
            return System.Collections.Generic.Comparer<TKey>.Default.Compare(MemoryMarshal.Read<TKey>(a), MemoryMarshal.Read<TKey>(b));
        }

        return a.SequenceCompareTo(b);
    }

    internal static ulong PrimitiveFingerprint(string name)
    {
        Span<byte> bytes = stackalloc byte[32];
        int length = Encoding.UTF8.GetBytes("overlay.key." + name, bytes);
        return StableHash.Hash(bytes[..length], StableHash.PrepareSeed(0));
    }
}

/// <summary>Makes <see cref="IndexKeyFormat{TKey}"/>s for key types that need one named.</summary>
public static class IndexKeyFormat
{
    /// <summary>The largest key an index accepts, in bytes: keys are hashed and compared in a stack buffer.</summary>
    public const int MaximumKeySize = 1024;

    /// <summary>
    /// The format of a fixed-size <c>[MappedLayout]</c> key: stored in the layout's own format,
    /// compared and hashed over those bytes; the header records the layout's fingerprint.
    /// </summary>
    /// <typeparam name="TLayout">The layout.</typeparam>
    /// <returns>The format.</returns>
    /// <exception cref="NotSupportedException">The layout is empty or larger than <see cref="MaximumKeySize"/>.</exception>
    public static IndexKeyFormat<TLayout> ForLayout<TLayout>()
        where TLayout : struct, IMappedLayout<TLayout>
    {
        int size = TLayout.SizeInBytes;
        if (size is <= 0 or > MaximumKeySize)
        {
            throw new NotSupportedException($"{typeof(TLayout).FullName} is {size} bytes: an index key is 1 to {MaximumKeySize} bytes.");
        }

        return new IndexKeyFormat<TLayout>(
            typeof(TLayout).FullName ?? typeof(TLayout).Name,
            size,
            TLayout.LayoutFingerprint,
            static (in TLayout key, Span<byte> destination) => TLayout.Store(destination, key),
            static source => TLayout.Load(source));
    }
}
