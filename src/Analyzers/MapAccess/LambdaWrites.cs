using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Overlay.Analyzers.MapAccess;

/// <summary>
/// Writes inside lambdas and local functions. A lambda may run at any time, any number of times,
/// so the flow of the member says nothing about what a captured local holds when it runs; what
/// the local may hold at any time is the union of every value assigned to it anywhere in the
/// member (lambdas included). A write is reported only when that union is read-only: every
/// assignment is a read-only creation (or a view or array of one), and the local is never written
/// any other way (ref, out, deconstruction, <c>??=</c>, a pattern, foreach). Readonly fields are
/// followed as everywhere else.
/// </summary>
internal static class LambdaWrites
{
    public static void Report(MethodScan scan, OverlayTypes types, IMapFlowObserver observer)
    {
        var values = new AnyTimeValues(scan, types);
        foreach (WriteSite site in scan.FunctionWrites)
        {
            observer.OnWrite(site, MapFlowAnalysis.EvaluateWith(site.Receiver, types, values) ?? MapValue.Unknown);
        }
    }

    /// <summary>What each local may hold at any time: the least fixpoint of the union over its assignments.</summary>
    private sealed class AnyTimeValues : ILocalValues
    {
        private readonly MethodScan _scan;
        private readonly Dictionary<ILocalSymbol, MapValue> _values = new(SymbolEqualityComparer.Default);

        public AnyTimeValues(MethodScan scan, OverlayTypes types)
        {
            _scan = scan;

            // Values only grow (more origins, or Unknown, which absorbs) over a finite set of
            // creations, so this ends; a local that reads itself (`m = b ? m : ...`) starts from
            // "nothing yet" rather than from Unknown, which would refuse every such loop.
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach ((ILocalSymbol local, IOperation value) in scan.LocalAssignments)
                {
                    if (!IsFollowed(local) || MapFlowAnalysis.EvaluateWith(value, types, this) is not { } assigned)
                    {
                        continue;
                    }

                    _values.TryGetValue(local, out MapValue? current);
                    MapValue joined = MapValue.Join(current, assigned)!;
                    if (!joined.SameAs(current))
                    {
                        _values[local] = joined;
                        changed = true;
                    }
                }
            }
        }

        public MapValue? Get(ILocalSymbol local) =>
            !IsFollowed(local) ? MapValue.Unknown : _values.TryGetValue(local, out MapValue? value) ? value : null;

        // Captures belong to graphs; the operation tree has none.
        public MapValue Get(CaptureId capture) => MapValue.Unknown;

        /// <summary>Declared plainly in this member and assigned only by plain assignments.</summary>
        private bool IsFollowed(ILocalSymbol local) => _scan.Declared.Contains(local) && !_scan.Opaque.Contains(local);
    }
}
