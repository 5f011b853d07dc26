using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Overlay.Analyzers.MapAccess;

/// <summary>
/// Recognises the calls that create a map (<c>new MemoryMap(...)</c>, <c>MemoryMap.Open</c>,
/// <c>MemoryMap.Anonymous</c>) and what their constant arguments make of it.
/// </summary>
internal static class MapCreations
{
    private const int AccessRead = 1;
    private const int AccessCopy = 3;
    private const int ProtectionWrite = 0x2;

    /// <summary>The creation's arguments when <paramref name="operation"/> creates a map; otherwise null.</summary>
    public static CreationArguments? Match(IOperation operation, OverlayTypes types)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation when types.IsMap(creation.Type):
                return new CreationArguments(creation.Arguments);
            case IInvocationOperation invocation
                when invocation.TargetMethod.IsStatic
                     && types.IsMap(invocation.TargetMethod.ContainingType)
                     && invocation.TargetMethod.Name is "Open" or "Anonymous":
                return new CreationArguments(invocation.Arguments);
            default:
                return null;
        }
    }

    /// <summary>What a creation makes: a read-only or copy origin, or <see cref="MapValue.Unknown"/> (writable or not constant).</summary>
    public static MapValue Classify(CreationArguments creation)
    {
        IArgumentOperation? access = creation.Find("access");
        if (access is null || !TryGetInt(access, out int accessValue))
        {
            return MapValue.Unknown;
        }

        switch (accessValue)
        {
            case AccessRead:
                return MapValue.From(new MapOrigin(OriginKind.ReadAccess, LocationOf(access)));
            case AccessCopy:
                return MapValue.From(new MapOrigin(OriginKind.CopyAccess, LocationOf(access)));
            case 0:
                break;
            default:
                return MapValue.Unknown;
        }

        // Default access: the protection decides, as in Python (no Write bit → read-only).
        IArgumentOperation? protection = creation.Find("protection");
        if (protection is null || protection.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return MapValue.Unknown;
        }

        return TryGetInt(protection, out int protectionValue) && (protectionValue & ProtectionWrite) == 0
            ? MapValue.From(new MapOrigin(OriginKind.ReadProtection, LocationOf(protection)))
            : MapValue.Unknown;
    }

    /// <summary>The constant integer value of an argument (explicit or defaulted); false when not constant or null.</summary>
    public static bool TryGetInt(IArgumentOperation argument, out int value)
    {
        value = 0;
        object? constant;
        if (argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            IParameterSymbol? parameter = argument.Parameter;
            if (parameter is null || !parameter.HasExplicitDefaultValue)
            {
                return false;
            }

            constant = parameter.ExplicitDefaultValue;
        }
        else
        {
            Optional<object?> folded = Unwrap(argument.Value).ConstantValue;
            if (!folded.HasValue)
            {
                return false;
            }

            constant = folded.Value;
        }

        switch (constant)
        {
            case int i:
                value = i;
                return true;
            case long l:
                value = (int)l;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The constant value of an argument, unwrapping the implicit conversions to nullable or long.</summary>
    public static Optional<object?> ConstantOf(IArgumentOperation argument) => Unwrap(argument.Value).ConstantValue;

    /// <summary>True when an argument was written at the call site and is not the constant null.</summary>
    public static bool IsGivenAndNotNull(IArgumentOperation? argument)
    {
        if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return false;
        }

        Optional<object?> constant = Unwrap(argument.Value).ConstantValue;
        return !(constant.HasValue && constant.Value is null);
    }

    public static Location LocationOf(IArgumentOperation argument) =>
        argument.ArgumentKind == ArgumentKind.DefaultValue
            ? argument.Parent?.Syntax.GetLocation() ?? Location.None
            : argument.Syntax.GetLocation();

    private static IOperation Unwrap(IOperation operation)
    {
        // A conversion to a nullable enum is not itself a constant; its operand may be.
        while (!operation.ConstantValue.HasValue && operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}

/// <summary>The arguments of a map creation, looked up by parameter name.</summary>
internal readonly struct CreationArguments
{
    private readonly System.Collections.Immutable.ImmutableArray<IArgumentOperation> _arguments;

    public CreationArguments(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments) => _arguments = arguments;

    public IArgumentOperation? Find(string parameterName)
    {
        foreach (IArgumentOperation argument in _arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument;
            }
        }

        return null;
    }
}
