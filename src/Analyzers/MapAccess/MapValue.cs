using System.Collections.Immutable;
using System.Linq;

namespace Overlay.Analyzers.MapAccess;

/// <summary>
/// The data-flow value of a local: the set of read-only (or copy) origins it may hold, or
/// <see cref="Unknown"/> when some path gives it a writable or unknown map. Joining takes the union;
/// <see cref="Unknown"/> absorbs everything, so a rule reports only when every path agrees.
/// </summary>
internal sealed class MapValue
{
    public static readonly MapValue Unknown = new(ImmutableHashSet<MapOrigin>.Empty, isUnknown: true);

    private MapValue(ImmutableHashSet<MapOrigin> origins, bool isUnknown)
    {
        Origins = origins;
        IsUnknown = isUnknown;
    }

    public ImmutableHashSet<MapOrigin> Origins { get; }

    public bool IsUnknown { get; }

    public static MapValue From(MapOrigin origin) => new(ImmutableHashSet.Create(origin), isUnknown: false);

    public static MapValue FromOrigins(ImmutableHashSet<MapOrigin> origins) =>
        origins.IsEmpty ? Unknown : new MapValue(origins, isUnknown: false);

    /// <summary>Joins two values; null stands for "no path reached yet".</summary>
    public static MapValue? Join(MapValue? left, MapValue? right)
    {
        if (left is null)
        {
            return right;
        }

        if (right is null)
        {
            return left;
        }

        if (left.IsUnknown || right.IsUnknown)
        {
            return Unknown;
        }

        return left.Origins.IsSupersetOf(right.Origins) ? left : new MapValue(left.Origins.Union(right.Origins), isUnknown: false);
    }

    public bool SameAs(MapValue? other) =>
        other is not null && IsUnknown == other.IsUnknown && Origins.SetEquals(other.Origins);

    public bool HasFieldOrigins => Origins.Any(o => o.Kind == OriginKind.Field);
}
