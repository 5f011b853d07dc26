using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Overlay.Analyzers.MapAccess;

/// <summary>What locals and flow captures hold, for evaluating an expression.</summary>
internal interface ILocalValues
{
    /// <summary>The local's value; null when it holds nothing yet.</summary>
    MapValue? Get(ILocalSymbol local);

    /// <summary>The flow capture's value.</summary>
    MapValue Get(CaptureId capture);
}

/// <summary>
/// The map values of the tracked locals and flow captures at one point of a method. A local with
/// no entry holds <see cref="MapValue.Unknown"/>: it was not assigned by anything the analysis
/// follows (a pattern, a handler's entry), so joining it with a read-only value gives Unknown.
/// </summary>
internal sealed class FlowState : ILocalValues
{
    private readonly Dictionary<ILocalSymbol, MapValue> _locals;
    private readonly Dictionary<CaptureId, MapValue> _captures;

    private FlowState(Dictionary<ILocalSymbol, MapValue> locals, Dictionary<CaptureId, MapValue> captures)
    {
        _locals = locals;
        _captures = captures;
    }

    public static FlowState Empty() =>
        new(new Dictionary<ILocalSymbol, MapValue>(SymbolEqualityComparer.Default), new Dictionary<CaptureId, MapValue>());

    public FlowState Clone() =>
        new(new Dictionary<ILocalSymbol, MapValue>(_locals, SymbolEqualityComparer.Default), new Dictionary<CaptureId, MapValue>(_captures));

    public MapValue Get(ILocalSymbol local) =>
        _locals.TryGetValue(local, out MapValue? value) ? value : MapValue.Unknown;

    public MapValue Get(CaptureId capture) =>
        _captures.TryGetValue(capture, out MapValue? value) ? value : MapValue.Unknown;

    MapValue? ILocalValues.Get(ILocalSymbol local) => Get(local);

    // Unknown is stored as no entry, so states stay as small as the read-only values they hold.
    public void Set(ILocalSymbol local, MapValue value) => Set(_locals, local, value);

    public void Set(CaptureId capture, MapValue value) => Set(_captures, capture, value);

    private static void Set<TKey>(Dictionary<TKey, MapValue> values, TKey key, MapValue value)
        where TKey : notnull
    {
        if (value.IsUnknown)
        {
            values.Remove(key);
        }
        else
        {
            values[key] = value;
        }
    }

    /// <summary>
    /// Joins <paramref name="incoming"/> into a copy of <paramref name="current"/> (null: no path
    /// reached yet); false when nothing changed.
    /// </summary>
    public static bool TryJoin(FlowState? current, FlowState incoming, out FlowState joined)
    {
        if (current is null)
        {
            joined = incoming.Clone();
            return true;
        }

        if (!Changes(current._locals, incoming._locals) && !Changes(current._captures, incoming._captures))
        {
            joined = current;
            return false;
        }

        joined = current.Clone();
        JoinInto(joined._locals, incoming._locals);
        JoinInto(joined._captures, incoming._captures);
        return true;
    }

    /// <summary>True when joining <paramref name="source"/> into <paramref name="target"/> would change it.</summary>
    private static bool Changes<TKey>(Dictionary<TKey, MapValue> target, Dictionary<TKey, MapValue> source)
        where TKey : notnull
    {
        foreach (KeyValuePair<TKey, MapValue> entry in target)
        {
            if (!source.TryGetValue(entry.Key, out MapValue? right) || !entry.Value.Origins.IsSupersetOf(right.Origins))
            {
                return true;
            }
        }

        return false;
    }

    private static void JoinInto<TKey>(Dictionary<TKey, MapValue> target, Dictionary<TKey, MapValue> source)
        where TKey : notnull
    {
        // A key missing on either side is Unknown there, and Unknown absorbs: only keys known on
        // both sides keep a read-only value (the union of their origins).
        foreach (TKey key in new List<TKey>(target.Keys))
        {
            if (source.TryGetValue(key, out MapValue? right))
            {
                target[key] = MapValue.Join(target[key], right)!;
            }
            else
            {
                target.Remove(key);
            }
        }
    }
}
