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

    /// <summary>The value of an expression that reads no local, without a graph (for field assignments).</summary>
    public static MapValue EvaluateAlone(IOperation value, OverlayTypes types) =>
        new MapFlowAnalysis(types, new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default)).Evaluate(value, FlowState.Empty());

    /// <summary>The value of an expression outside any graph, the locals holding <paramref name="values"/> (null: nothing yet).</summary>
    public static MapValue? EvaluateWith(IOperation value, OverlayTypes types, ILocalValues values) =>
        new MapFlowAnalysis(types, new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default)).Evaluate(value, values);

    /// <summary>Runs the analysis over one method's graph; <paramref name="scan"/> is <see cref="MethodScan.Run"/> of its root.</summary>
    public static void Run(ControlFlowGraph graph, MethodScan scan, OverlayTypes types, IMapFlowObserver observer)
    {
        var untracked = new HashSet<ILocalSymbol>(scan.Untracked, SymbolEqualityComparer.Default);
        CollectAssignedInHandlers(graph, types, untracked);
        new MapFlowAnalysis(types, untracked).Solve(graph, observer);
    }

    private void Solve(ControlFlowGraph graph, IMapFlowObserver observer)
    {
        var blocks = graph.Blocks;
        int[][] handlers = HandlerEntries(graph);
        var entryStates = new FlowState?[blocks.Length];
        var work = new Queue<int>();
        entryStates[0] = FlowState.Empty();
        work.Enqueue(0);

        void Flow(int destination, FlowState state)
        {
            if (FlowState.TryJoin(entryStates[destination], state, out FlowState joined))
            {
                entryStates[destination] = joined;
                work.Enqueue(destination);
            }
        }

        while (true)
        {
            while (work.Count > 0)
            {
                int ordinal = work.Dequeue();
                BasicBlock block = blocks[ordinal];
                FlowState state = entryStates[ordinal]!.Clone();
                int[] reached = handlers[ordinal];

                // An exception may leave a protected block at any operation: every state met
                // inside it flows to the entry of its catch, filter and finally handlers.
                foreach (int handler in reached)
                {
                    Flow(handler, state);
                }

                foreach (IOperation operation in block.Operations)
                {
                    Visit(operation, state, observer: null);
                    foreach (int handler in reached)
                    {
                        Flow(handler, state);
                    }
                }

                if (block.BranchValue is { } branch)
                {
                    Visit(branch, state, observer: null);
                }

                foreach (BasicBlock successor in Successors(block))
                {
                    Flow(successor.Ordinal, state);
                }
            }

            // A reachable block no edge or protected region led to: enter it knowing nothing.
            BasicBlock? unvisited = graph.Blocks.FirstOrDefault(b => b.IsReachable && entryStates[b.Ordinal] is null);
            if (unvisited is null)
            {
                break;
            }

            entryStates[unvisited.Ordinal] = FlowState.Empty();
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

    /// <summary>
    /// For each block, the first blocks of the handlers (catch, filter, finally) an exception
    /// thrown inside it can reach: those of every try region enclosing it.
    /// </summary>
    private static int[][] HandlerEntries(ControlFlowGraph graph)
    {
        var result = new int[graph.Blocks.Length][];
        var entries = new List<int>();
        foreach (BasicBlock block in graph.Blocks)
        {
            entries.Clear();
            for (ControlFlowRegion? region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryAnd)
                {
                    continue;
                }

                foreach (ControlFlowRegion handler in tryAnd.NestedRegions)
                {
                    if (handler != region)
                    {
                        entries.Add(handler.FirstBlockOrdinal);
                    }
                }
            }

            result[block.Ordinal] = entries.Count == 0 ? System.Array.Empty<int>() : entries.ToArray();
        }

        return result;
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

    /// <summary>The map value an expression may produce at a point of the flow.</summary>
    private MapValue Evaluate(IOperation operation, FlowState state) => Evaluate(operation, (ILocalValues)state) ?? MapValue.Unknown;

    /// <summary>
    /// The map value an expression may produce, given what the locals hold; null when it reads
    /// only locals that hold nothing yet (a flow-insensitive fixpoint starts from that).
    /// </summary>
    private MapValue? Evaluate(IOperation operation, ILocalValues values)
    {
        switch (operation)
        {
            case IConversionOperation conversion:
                return Evaluate(conversion.Operand, values);
            case ILocalReferenceOperation local:
                return _untracked.Contains(local.Local) ? MapValue.Unknown : values.Get(local.Local);
            case IFlowCaptureReferenceOperation capture:
                return values.Get(capture.Id);
            case IFieldReferenceOperation field when field.Field.IsReadOnly && _types.IsTracked(field.Field.Type):
                return MapValue.From(new MapOrigin(OriginKind.Field, field.Syntax.GetLocation(), field.Field));
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return MapValue.Join(Evaluate(conditional.WhenTrue, values), Evaluate(whenFalse, values));
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
                return Evaluate(instance, values);
            case IInvocationOperation { Instance: { } instance } when _types.IsTracked(instance.Type):
                return Evaluate(instance, values);
            case IObjectCreationOperation derived:
                // A view or array constructor: (map, offset, ...). Any other method that returns
                // a view may build it over another map, so it stays unknown.
                return FromMapArgument(derived.Arguments, values);
            default:
                return MapValue.Unknown;
        }
    }

    private MapValue? FromMapArgument(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, ILocalValues values)
    {
        IArgumentOperation? source = null;
        foreach (IArgumentOperation argument in arguments)
        {
            if (_types.IsTracked(argument.Value.Type))
            {
                if (source is not null)
                {
                    return MapValue.Unknown;
                }

                source = argument;
            }
        }

        return source is null ? MapValue.Unknown : Evaluate(source.Value, values);
    }

    public static bool InsideFunction(IOperation node, IOperation root)
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

    /// <summary>
    /// True when a variable is written by something other than a plain assignment the graph shows,
    /// or a writable reference to it escapes: a ref or out argument, a deconstruction (or any
    /// tuple), an out variable, a ref local or ref assignment, a ref conditional, its address.
    /// </summary>
    public static bool IsWrittenIndirectly(IOperation reference) => reference.Parent switch
    {
        IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
        ITupleOperation or IDeclarationExpressionOperation or IAddressOfOperation => true,
        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol.IsRef,
        ISimpleAssignmentOperation { IsRef: true } => true,
        IConditionalOperation { IsRef: true } => true,
        _ => false,
    };

    /// <summary>A struct constructor replacing <c>this</c> as a whole (assigned, or passed by reference).</summary>
    public static bool OverwritesThis(IOperation operation) =>
        operation is IInstanceReferenceOperation { Type.IsValueType: true } instance
        && ((instance.Parent is ISimpleAssignmentOperation assignment && assignment.Target == instance) || IsWrittenIndirectly(instance));

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
