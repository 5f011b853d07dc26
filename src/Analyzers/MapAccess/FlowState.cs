using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Overlay.Analyzers.MapAccess;

/// <summary>
/// The map values of the tracked locals and flow captures at one point of a method. A local with
/// no entry holds <see cref="MapValue.Unknown"/>: it was not assigned by anything the analysis
/// follows (a pattern, a handler's entry), so joining it with a read-only value gives Unknown.
/// </summary>
internal sealed class FlowState
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

    public void Set(ILocalSymbol local, MapValue value) => _locals[local] = value;

    public void Set(CaptureId capture, MapValue value) => _captures[capture] = value;

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

        joined = current.Clone();
        bool changed = JoinInto(joined._locals, incoming._locals);
        changed |= JoinInto(joined._captures, incoming._captures);
        return changed;
    }

    private static bool JoinInto<TKey>(Dictionary<TKey, MapValue> target, Dictionary<TKey, MapValue> source)
        where TKey : notnull
    {
        // A key missing on either side is Unknown there, and Unknown absorbs: only keys known on
        // both sides keep a read-only value.
        bool changed = false;
        foreach (TKey key in new List<TKey>(target.Keys))
        {
            MapValue left = target[key];
            if (left.IsUnknown)
            {
                continue;
            }

            MapValue result = source.TryGetValue(key, out MapValue? right) ? MapValue.Join(left, right)! : MapValue.Unknown;
            if (!result.SameAs(left))
            {
                target[key] = result;
                changed = true;
            }
        }

        return changed;
    }
}
