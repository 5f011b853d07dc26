using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Overlay.Analyzers.MapAccess;

/// <summary>What the flow analysis of one method found.</summary>
internal interface IMapFlowObserver
{
    /// <summary>A write whose receiver may hold the given value.</summary>
    void OnWrite(WriteSite site, MapValue value);

    /// <summary>A readonly field of a tracked type is assigned the given value.</summary>
    void OnFieldAssigned(IFieldSymbol field, MapValue value);
}

/// <summary>
/// A forward data-flow analysis over Roslyn's <see cref="ControlFlowGraph"/>: which read-only
/// creations each local may hold at each point. A write is reported only when every path that
/// reaches it brings a read-only map, so branches, loops and reassignments never cause a false
/// positive; locals the graph cannot follow (captured and assigned in lambdas, passed by ref,
/// assigned in exception handlers) are never reported.
/// </summary>
internal sealed class MapFlowAnalysis
{
    private readonly OverlayTypes _types;
    private readonly HashSet<ILocalSymbol> _untracked;

    private MapFlowAnalysis(OverlayTypes types, HashSet<ILocalSymbol> untracked)
    {
        _types = types;
        _untracked = untracked;
    }

    public static void Run(ControlFlowGraph graph, IOperation root, OverlayTypes types, IMapFlowObserver observer)
    {
        var untracked = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        CollectUntrackable(root, types, untracked);
        CollectAssignedInHandlers(graph, types, untracked);
        new MapFlowAnalysis(types, untracked).Solve(graph, observer);
    }

    private void Solve(ControlFlowGraph graph, IMapFlowObserver observer)
    {
        var blocks = graph.Blocks;
        var entryStates = new FlowState?[blocks.Length];
        var work = new Queue<int>();
        entryStates[0] = FlowState.Empty();
        work.Enqueue(0);

        while (true)
        {
            while (work.Count > 0)
            {
                int ordinal = work.Dequeue();
                FlowState state = entryStates[ordinal]!.Clone();
                Transfer(blocks[ordinal], state, observer: null);
                foreach (BasicBlock successor in Successors(blocks[ordinal]))
                {
                    if (FlowState.TryJoin(entryStates[successor.Ordinal], state, out FlowState joined))
                    {
                        entryStates[successor.Ordinal] = joined;
                        work.Enqueue(successor.Ordinal);
                    }
                }
            }

            // Handlers (catch, filter, finally) have no incoming edges: enter them knowing nothing.
            BasicBlock? unvisited = graph.Blocks.FirstOrDefault(b => b.IsReachable && entryStates[b.Ordinal] is null);
            if (unvisited is null)
            {
                break;
            }

            entryStates[unvisited.Ordinal] = FlowState.Empty(unknownByDefault: true);
            work.Enqueue(unvisited.Ordinal);
        }

        foreach (BasicBlock block in graph.Blocks)
        {
            if (entryStates[block.Ordinal] is { } state)
            {
                Transfer(block, state.Clone(), observer);
            }
        }
    }

    private static IEnumerable<BasicBlock> Successors(BasicBlock block)
    {
        if (block.FallThroughSuccessor?.Destination is { } fallThrough)
        {
            yield return fallThrough;
        }

        if (block.ConditionalSuccessor?.Destination is { } conditional)
        {
            yield return conditional;
        }
    }

    private void Transfer(BasicBlock block, FlowState state, IMapFlowObserver? observer)
    {
        foreach (IOperation operation in block.Operations)
        {
            Visit(operation, state, observer);
        }

        if (block.BranchValue is { } branch)
        {
            Visit(branch, state, observer);
        }
    }

    private void Visit(IOperation operation, FlowState state, IMapFlowObserver? observer)
    {
        if (observer is not null)
        {
            foreach (IOperation node in operation.DescendantsAndSelf())
            {
                if (node is IAnonymousFunctionOperation or ILocalFunctionOperation or IFlowAnonymousFunctionOperation)
                {
                    continue;
                }

                if (MapWrites.TryMatch(node, _types, out WriteSite site) && !InsideFunction(node, operation))
                {
                    observer.OnWrite(site, Evaluate(site.Receiver, state));
                }
            }
        }

        foreach (IOperation node in operation.DescendantsAndSelf())
        {
            switch (node)
            {
                case IFlowCaptureOperation capture:
                    state.Set(capture.Id, Evaluate(capture.Value, state));
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when _types.IsTracked(local.Local.Type):
                    state.Set(local.Local, _untracked.Contains(local.Local) ? MapValue.Unknown : Evaluate(assignment.Value, state));
                    break;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } assignment
                    when field.Field.IsReadOnly && _types.IsTracked(field.Field.Type) && observer is not null:
                    observer.OnFieldAssigned(field.Field, Evaluate(assignment.Value, state));
                    break;
            }
        }
    }

    /// <summary>The map value an expression may produce.</summary>
    private MapValue Evaluate(IOperation operation, FlowState state)
    {
        switch (operation)
        {
            case IConversionOperation conversion:
                return Evaluate(conversion.Operand, state);
            case ILocalReferenceOperation local:
                return _untracked.Contains(local.Local) ? MapValue.Unknown : state.Get(local.Local);
            case IFlowCaptureReferenceOperation capture:
                return state.Get(capture.Id);
            case IFieldReferenceOperation field when field.Field.IsReadOnly && _types.IsTracked(field.Field.Type):
                return MapValue.From(new MapOrigin(OriginKind.Field, field.Syntax.GetLocation(), field.Field));
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return MapValue.Join(Evaluate(conditional.WhenTrue, state), Evaluate(whenFalse, state)) ?? MapValue.Unknown;
        }

        if (MapCreations.Match(operation, _types) is { } creation)
        {
            return MapCreations.Classify(creation);
        }

        if (!_types.IsDerived(operation.Type))
        {
            return MapValue.Unknown;
        }

        // A view, view array or value array: it writes into the map it was made from.
        switch (operation)
        {
            case IPropertyReferenceOperation { Instance: { } instance } when _types.IsTracked(instance.Type):
                return Evaluate(instance, state);
            case IInvocationOperation { Instance: { } instance } when _types.IsTracked(instance.Type):
                return Evaluate(instance, state);
            case IInvocationOperation invocation:
                return FromMapArgument(invocation.Arguments, state);
            case IObjectCreationOperation derived:
                return FromMapArgument(derived.Arguments, state);
            default:
                return MapValue.Unknown;
        }
    }

    private MapValue FromMapArgument(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, FlowState state)
    {
        foreach (IArgumentOperation argument in arguments)
        {
            if (_types.IsTracked(argument.Value.Type))
            {
                return Evaluate(argument.Value, state);
            }
        }

        return MapValue.Unknown;
    }

    private static bool InsideFunction(IOperation node, IOperation root)
    {
        for (IOperation? current = node.Parent; current is not null && current != root.Parent; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Locals the graph cannot follow: assigned inside lambdas or local functions, passed by reference, or deconstructed into.</summary>
    private static void CollectUntrackable(IOperation root, OverlayTypes types, HashSet<ILocalSymbol> untracked)
    {
        foreach (IOperation node in root.DescendantsAndSelf())
        {
            if (node is not ILocalReferenceOperation local || !types.IsTracked(local.Local.Type))
            {
                continue;
            }

            if (local.Local.IsRef)
            {
                untracked.Add(local.Local);
                continue;
            }

            switch (local.Parent)
            {
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                case ITupleOperation:
                case IDeclarationExpressionOperation:
                    untracked.Add(local.Local);
                    break;
                case ISimpleAssignmentOperation assignment when assignment.Target == local && InsideFunction(local, root):
                    untracked.Add(local.Local);
                    break;
            }
        }
    }

    /// <summary>Locals assigned inside catch, filter or finally regions, whose flow the graph does not join back.</summary>
    private static void CollectAssignedInHandlers(ControlFlowGraph graph, OverlayTypes types, HashSet<ILocalSymbol> untracked)
    {
        foreach (BasicBlock block in graph.Blocks)
        {
            if (!InHandler(block.EnclosingRegion))
            {
                continue;
            }

            foreach (IOperation operation in block.Operations)
            {
                foreach (IOperation node in operation.DescendantsAndSelf())
                {
                    if (node is ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } && types.IsTracked(local.Local.Type))
                    {
                        untracked.Add(local.Local);
                    }
                }
            }
        }
    }

    private static bool InHandler(ControlFlowRegion? region)
    {
        for (; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally or ControlFlowRegionKind.FilterAndHandler)
            {
                return true;
            }
        }

        return false;
    }
}
