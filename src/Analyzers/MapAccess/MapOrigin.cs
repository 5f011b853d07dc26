using Microsoft.CodeAnalysis;

namespace Overlay.Analyzers.MapAccess;

/// <summary>Why a value may be a read-only (or copy-on-write) map.</summary>
internal enum OriginKind
{
    /// <summary>Created with <c>MapAccess.Read</c>.</summary>
    ReadAccess,

    /// <summary>Created with a constant protection lacking <c>MapProtection.Write</c>.</summary>
    ReadProtection,

    /// <summary>Created with <c>MapAccess.Copy</c>: writable, but cannot be resized.</summary>
    CopyAccess,

    /// <summary>Read from a readonly field; resolved once every assignment of the field is known.</summary>
    Field,
}

/// <summary>One creation site (or readonly field) a map value may come from.</summary>
internal readonly struct MapOrigin : System.IEquatable<MapOrigin>
{
    public MapOrigin(OriginKind kind, Location location, IFieldSymbol? field = null)
    {
        Kind = kind;
        Location = location;
        Field = field;
    }

    public OriginKind Kind { get; }

    /// <summary>The argument that made the map read-only (or the field's reference).</summary>
    public Location Location { get; }

    public IFieldSymbol? Field { get; }

    public bool IsReadOnly => Kind is OriginKind.ReadAccess or OriginKind.ReadProtection;

    public bool Equals(MapOrigin other) =>
        Kind == other.Kind && Location == other.Location && SymbolEqualityComparer.Default.Equals(Field, other.Field);

    public override bool Equals(object? obj) => obj is MapOrigin other && Equals(other);

    public override int GetHashCode() => (((int)Kind * 397) ^ Location.GetHashCode()) * 31 ^ SymbolEqualityComparer.Default.GetHashCode(Field);
}
