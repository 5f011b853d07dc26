using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Overlay.Analyzers.Diagnostics;

namespace Overlay.Analyzers.MapAccess;

/// <summary>
/// OVL003 (access given with flags or protection) and OVL004 (a constant offset that is not a
/// multiple of the allocation granularity), checked at each map creation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class MapOptionsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The granularity every supported OS accepts at least; Windows needs 64 KiB, said in the message.</summary>
    private const long Granularity = 4096;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(UsageDiagnostics.AccessWithFlags, UsageDiagnostics.UnalignedOffset);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            OverlayTypes? types = OverlayTypes.Create(start.Compilation);
            if (types is null)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    if (MapCreations.Match(operation.Operation, types) is { } creation)
                    {
                        CheckAccessWithFlags(creation, operation);
                        CheckOffset(creation, operation);
                    }
                },
                OperationKind.ObjectCreation,
                OperationKind.Invocation);
        });
    }

    private static void CheckAccessWithFlags(CreationArguments creation, OperationAnalysisContext context)
    {
        IArgumentOperation? access = creation.Find("access");
        if (access is null || access.ArgumentKind == ArgumentKind.DefaultValue || !MapCreations.TryGetInt(access, out int value) || value == 0)
        {
            return;
        }

        foreach (string name in new[] { "flags", "protection" })
        {
            IArgumentOperation? argument = creation.Find(name);
            if (MapCreations.IsGivenAndNotNull(argument))
            {
                context.ReportDiagnostic(Diagnostic.Create(UsageDiagnostics.AccessWithFlags, argument!.Syntax.GetLocation(), name));
            }
        }
    }

    private static void CheckOffset(CreationArguments creation, OperationAnalysisContext context)
    {
        IArgumentOperation? offset = creation.Find("offset");
        if (offset is null || offset.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return;
        }

        Optional<object?> constant = MapCreations.ConstantOf(offset);
        if (!constant.HasValue || constant.Value is not (long or int))
        {
            return;
        }

        long value = System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
        (string problem, string exception) = value < 0
            ? ("is negative", "ArgumentOutOfRangeException")
            : value % Granularity != 0
                ? ($"is not a multiple of {Granularity}", "ArgumentException")
                : (string.Empty, string.Empty);
        if (problem.Length != 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                UsageDiagnostics.UnalignedOffset,
                offset.Syntax.GetLocation(),
                value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                problem,
                exception));
        }
    }
}
