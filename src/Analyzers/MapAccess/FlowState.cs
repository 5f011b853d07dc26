using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Overlay.Analyzers.MapAccess;

/// <summary>The map values of the tracked locals and flow captures at one point of a method.</summary>
internal sealed class FlowState
{
    private readonly Dictionary<ILocalSymbol, MapValue> _locals;
    private readonly Dictionary<CaptureId, MapValue> _captures;

    private FlowState(Dictionary<ILocalSymbol, MapValue> locals, Dictionary<CaptureId, MapValue> captures, bool unknownByDefault)
    {
        _locals = locals;
        _captures = captures;
        UnknownByDefault = unknownByDefault;
    }

    /// <summary>
    /// True for the entry of an exception handler, which the graph reaches without edges: every
    /// local may hold anything there.
    /// </summary>
    public bool UnknownByDefault { get; }

    public static FlowState Empty(bool unknownByDefault = false) =>
        new(new Dictionary<ILocalSymbol, MapValue>(SymbolEqualityComparer.Default), new Dictionary<CaptureId, MapValue>(), unknownByDefault);

    public FlowState Clone() =>
        new(new Dictionary<ILocalSymbol, MapValue>(_locals, SymbolEqualityComparer.Default), new Dictionary<CaptureId, MapValue>(_captures), UnknownByDefault);

    public MapValue Get(ILocalSymbol local) =>
        _locals.TryGetValue(local, out MapValue? value) ? value : MapValue.Unknown;

    public MapValue Get(CaptureId capture) =>
        _captures.TryGetValue(capture, out MapValue? value) ? value : MapValue.Unknown;

    public void Set(ILocalSymbol local, MapValue value) => _locals[local] = value;

    public void Set(CaptureId capture, MapValue value) => _captures[capture] = value;

    /// <summary>Joins <paramref name="other"/> into a copy of this state; false when nothing changed.</summary>
    public static bool TryJoin(FlowState? current, FlowState incoming, out FlowState joined)
    {
        if (current is null)
        {
            joined = incoming.Clone();
            return true;
        }

        bool changed = false;
        joined = current.Clone();
        changed |= JoinInto(joined._locals, current.UnknownByDefault, incoming._locals, incoming.UnknownByDefault);
        changed |= JoinInto(joined._captures, current.UnknownByDefault, incoming._captures, incoming.UnknownByDefault);
        if (incoming.UnknownByDefault && !current.UnknownByDefault)
        {
            joined = new FlowState(joined._locals, joined._captures, unknownByDefault: true);
            changed = true;
        }

        return changed;
    }

    private static bool JoinInto<TKey>(Dictionary<TKey, MapValue> target, bool targetUnknown, Dictionary<TKey, MapValue> source, bool sourceUnknown)
        where TKey : notnull
    {
        bool changed = false;
        var keys = new List<TKey>(target.Keys);
        foreach (TKey key in source.Keys)
        {
            if (!target.ContainsKey(key))
            {
                keys.Add(key);
            }
        }

        foreach (TKey key in keys)
        {
            MapValue? left = target.TryGetValue(key, out MapValue? l) ? l : targetUnknown ? MapValue.Unknown : null;
            MapValue? right = source.TryGetValue(key, out MapValue? r) ? r : sourceUnknown ? MapValue.Unknown : null;
            MapValue? result = MapValue.Join(left, right);
            if (result is not null && !result.SameAs(left))
            {
                target[key] = result;
                changed = true;
            }
        }

        return changed;
    }
}
