using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Overlay.Analyzers.MapAccess;

/// <summary>
/// One walk over a method's operations that decides whether the flow analysis is needed at all
/// (building a control-flow graph costs more than everything else), and collects what the
/// analysis must not follow.
/// </summary>
internal sealed class MethodScan
{
    private MethodScan()
    {
    }

    /// <summary>Some operation has a map, view or array type (or a struct constructor overwrites <c>this</c>).</summary>
    public bool MentionsMaps { get; private set; }

    /// <summary>Some operation writes into a map, view or array.</summary>
    public bool HasWrites { get; private set; }

    /// <summary>Some value may be read-only or copy: a creation with constant Read/Copy access or read-only protection, or a readonly field.</summary>
    public bool HasReadOnlySource { get; private set; }

    /// <summary>A readonly field of a tracked type is assigned (or initialized).</summary>
    public bool AssignsFields => FieldAssignments.Count != 0;

    /// <summary>The readonly fields of tracked types assigned or initialized here, with the values.</summary>
    public List<(IFieldSymbol Field, IOperation Value)> FieldAssignments { get; } = new();

    /// <summary>Some value assigned to a field reads a local: only the flow analysis knows what it holds.</summary>
    public bool FieldValuesReadLocals { get; private set; }

    /// <summary>Locals the graph cannot follow (see <see cref="MapFlowAnalysis.IsWrittenIndirectly"/>), or assigned inside lambdas and local functions.</summary>
    public HashSet<ILocalSymbol> Untracked { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Tracked locals declared by a plain declaration (not a pattern, foreach, catch or out variable).</summary>
    public HashSet<ILocalSymbol> Declared { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Every plain assignment of a tracked local anywhere in the member, lambdas included, declarators' initializers too.</summary>
    public List<(ILocalSymbol Local, IOperation Value)> LocalAssignments { get; } = new();

    /// <summary>Tracked locals written otherwise (ref, out, deconstruction, <c>??=</c>, a ref local...): they may hold anything.</summary>
    public HashSet<ILocalSymbol> Opaque { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Writes inside lambdas and local functions, which the graph of the member does not show.</summary>
    public List<WriteSite> FunctionWrites { get; } = new();

    /// <summary>Readonly fields written in ways the analysis does not follow: they may hold anything.</summary>
    public List<IFieldSymbol> FieldsWrittenIndirectly { get; } = new();

    /// <summary>True when the flow analysis may find a write into a read-only map.</summary>
    public bool MayReport => MentionsMaps && HasWrites && HasReadOnlySource;

    /// <summary>True when the flow analysis is needed: to find writes, or the value of a field assigned a local.</summary>
    public bool NeedsFlowAnalysis => MayReport || (AssignsFields && FieldValuesReadLocals);

    public static MethodScan Run(IOperation root, OverlayTypes types)
    {
        var scan = new MethodScan();
        foreach (IOperation node in root.DescendantsAndSelf())
        {
            if (!scan.MentionsMaps && types.IsTracked(node.Type))
            {
                scan.MentionsMaps = true;
            }

            switch (node)
            {
                case ILocalReferenceOperation local when types.IsTracked(local.Local.Type):
                    bool assigned = local.Parent is ISimpleAssignmentOperation { IsRef: false } assignment && assignment.Target == local;
                    if (local.Local.IsRef || MapFlowAnalysis.IsWrittenIndirectly(local))
                    {
                        scan.Untracked.Add(local.Local);
                        scan.Opaque.Add(local.Local);
                    }
                    else if (assigned)
                    {
                        scan.LocalAssignments.Add((local.Local, ((ISimpleAssignmentOperation)local.Parent!).Value));
                        if (MapFlowAnalysis.InsideFunction(local, root))
                        {
                            scan.Untracked.Add(local.Local);
                        }
                    }
                    else if (IsOtherwiseAssigned(local))
                    {
                        scan.Opaque.Add(local.Local);
                    }

                    break;

                case IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation } declarator when types.IsTracked(declarator.Symbol.Type):
                    scan.Declared.Add(declarator.Symbol);
                    if (declarator.Symbol.IsRef)
                    {
                        scan.Opaque.Add(declarator.Symbol);
                    }
                    else if (declarator.Initializer is { } initializer)
                    {
                        scan.LocalAssignments.Add((declarator.Symbol, initializer.Value));
                    }

                    break;

                case IFieldReferenceOperation field when field.Field.IsReadOnly && types.IsTracked(field.Field.Type):
                    if (MapFlowAnalysis.IsWrittenIndirectly(field))
                    {
                        scan.FieldsWrittenIndirectly.Add(field.Field);
                    }
                    else if (field.Parent is ISimpleAssignmentOperation fieldAssignment && fieldAssignment.Target == field)
                    {
                        scan.AddFieldAssignment(field.Field, fieldAssignment.Value);
                    }
                    else
                    {
                        scan.HasReadOnlySource = true;
                    }

                    break;

                case IInstanceReferenceOperation instance when MapFlowAnalysis.OverwritesThis(instance) && instance.Type is { } type:
                    scan.MentionsMaps = true;
                    foreach (ISymbol member in type.GetMembers())
                    {
                        if (member is IFieldSymbol { IsReadOnly: true } overwritten && types.IsTracked(overwritten.Type))
                        {
                            scan.FieldsWrittenIndirectly.Add(overwritten);
                        }
                    }

                    break;

                case IFieldInitializerOperation initializer:
                    foreach (IFieldSymbol initialized in initializer.InitializedFields)
                    {
                        if (initialized.IsReadOnly && types.IsTracked(initialized.Type))
                        {
                            scan.MentionsMaps = true;
                            scan.AddFieldAssignment(initialized, initializer.Value);
                        }
                    }

                    break;

                case IInvocationOperation or IObjectCreationOperation when MapCreations.Match(node, types) is { } creation:
                    scan.HasReadOnlySource |= !MapCreations.Classify(creation).IsUnknown;
                    break;
            }

            if (MapWrites.TryMatch(node, types, out WriteSite site))
            {
                scan.HasWrites = true;
                if (MapFlowAnalysis.InsideFunction(node, root))
                {
                    scan.FunctionWrites.Add(site);
                }
            }
        }

        return scan;
    }

    /// <summary>The target of a compound or <c>??=</c> assignment or of ++/--: assigned a value no one evaluates.</summary>
    private static bool IsOtherwiseAssigned(IOperation reference) => reference.Parent switch
    {
        ICompoundAssignmentOperation compound => compound.Target == reference,
        ICoalesceAssignmentOperation coalesce => coalesce.Target == reference,
        IIncrementOrDecrementOperation increment => increment.Target == reference,
        _ => false,
    };

    private void AddFieldAssignment(IFieldSymbol field, IOperation value)
    {
        FieldAssignments.Add((field, value));
        foreach (IOperation node in value.DescendantsAndSelf())
        {
            if (node is ILocalReferenceOperation)
            {
                FieldValuesReadLocals = true;
                return;
            }
        }
    }
}
