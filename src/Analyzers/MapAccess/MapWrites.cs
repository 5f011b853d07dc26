using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Overlay.Analyzers.MapAccess;

/// <summary>A write found in code: the operation, how to name it, and the map-typed value it writes through.</summary>
internal readonly struct WriteSite
{
    public WriteSite(IOperation operation, IOperation receiver, string description, bool isResize, bool viaView)
    {
        Operation = operation;
        Receiver = receiver;
        Description = description;
        IsResize = isResize;
        ViaView = viaView;
    }

    public IOperation Operation { get; }

    public IOperation Receiver { get; }

    public string Description { get; }

    public bool IsResize { get; }

    /// <summary>True when the write goes through a view or array rather than the map itself (no code fix then).</summary>
    public bool ViaView { get; }
}

/// <summary>Recognises writes into a map, directly or through the views and arrays derived from it.</summary>
internal static class MapWrites
{
    private static readonly ImmutableHashSet<string> s_mapWriteMethods =
        ImmutableHashSet.Create("Write", "WriteByte", "SetSlice", "Move", "Resize", "AcquireMemory", "WriteAt", "Fill");

    // The writing members generated for an [Atomic] field (src/Generators/Model/FieldSpec.cs, AtomicPrefixes).
    private static readonly string[] s_atomicWritePrefixes = ["Add", "Increment", "CompareExchange", "Exchange"];

    public static bool TryMatch(IOperation operation, OverlayTypes types, out WriteSite site)
    {
        site = default;
        switch (operation)
        {
            case IInvocationOperation { Instance: { } instance } invocation:
                string name = invocation.TargetMethod.Name;
                if (types.IsMap(instance.Type) && s_mapWriteMethods.Contains(name))
                {
                    site = new WriteSite(invocation, instance, $"'{name}'", isResize: name == "Resize", viaView: false);
                    return true;
                }

                if ((types.IsView(instance.Type) && (name == "Store" || IsAtomicWrite(invocation.TargetMethod))) || (types.IsValueArray(instance.Type) && name == "CopyFrom"))
                {
                    site = new WriteSite(invocation, instance, $"'{name}'", isResize: false, viaView: true);
                    return true;
                }

                return false;

            case ISimpleAssignmentOperation assignment:
                return TryMatchTarget(assignment.Target, types, out site);
            case ICompoundAssignmentOperation compound:
                return TryMatchTarget(compound.Target, types, out site);
            case ICoalesceAssignmentOperation coalesce:
                return TryMatchTarget(coalesce.Target, types, out site);
            case IIncrementOrDecrementOperation increment:
                return TryMatchTarget(increment.Target, types, out site);
            default:
                return false;
        }
    }

    /// <summary>
    /// An <c>[Atomic]</c> field's writing member on a generated view: <c>Add</c>, <c>Increment</c>,
    /// <c>Exchange</c> or <c>CompareExchange</c> followed by the name of a settable property of the
    /// same view (a field cannot take such a name: OVL109). <c>VolatileRead</c> is not a write.
    /// </summary>
    private static bool IsAtomicWrite(IMethodSymbol method)
    {
        foreach (string prefix in s_atomicWritePrefixes)
        {
            if (method.Name.Length > prefix.Length && method.Name.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                string field = method.Name.Substring(prefix.Length);
                foreach (ISymbol member in method.ContainingType.GetMembers(field))
                {
                    if (member is IPropertySymbol { SetMethod: not null })
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool TryMatchTarget(IOperation target, OverlayTypes types, out WriteSite site)
    {
        site = default;
        if (target is not IPropertyReferenceOperation { Instance: { } instance } property)
        {
            return false;
        }

        if (types.IsMap(instance.Type) && property.Property.IsIndexer)
        {
            bool slice = property.Property.Parameters.Length == 1 && property.Property.Parameters[0].Type.Name == "Range";
            site = new WriteSite(target, instance, slice ? "Setting a slice" : "Setting a byte", isResize: false, viaView: false);
            return true;
        }

        if (types.IsValueArray(instance.Type) && property.Property.IsIndexer)
        {
            site = new WriteSite(target, instance, "Setting an array element", isResize: false, viaView: true);
            return true;
        }

        if (types.IsView(instance.Type) && property.Property.SetMethod is not null)
        {
            site = new WriteSite(target, instance, $"Setting '{property.Property.Name}'", isResize: false, viaView: true);
            return true;
        }

        return false;
    }
}
