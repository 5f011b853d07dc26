using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Overlay.Analyzers.Diagnostics;

namespace Overlay.Analyzers.MapAccess;

/// <summary>
/// OVL001 (a write into a map that is read-only on every path reaching it) and OVL002 (Resize of
/// a map opened Read or Copy). Locals are followed by <see cref="MapFlowAnalysis"/>; readonly
/// fields are judged once every assignment in their type has been seen, at the compilation's end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ReadOnlyMapWriteAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property saying the write goes through a view (no code fix then).</summary>
    public const string ViaViewProperty = "ViaView";

    /// <summary>
    /// The diagnostic property saying what made the map read-only when one creation reaches the
    /// write: <c>Access</c> (its access argument) or <c>Protection</c> (its protection argument).
    /// </summary>
    public const string OriginProperty = "Origin";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(
            UsageDiagnostics.ReadOnlyWrite,
            UsageDiagnostics.ResizeReadOnlyOrCopy,
            UsageDiagnostics.ReadOnlyWriteAtEnd,
            UsageDiagnostics.ResizeReadOnlyOrCopyAtEnd);

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

            // One collector per type, filled by compilation-wide block actions; the writes that wait
            // for a type's readonly fields are decided at the compilation's end. A symbol-start action
            // per type would decide them at the type's end instead (live in the IDE too), but its
            // per-type action sets cost the driver more than all of this analyzer's own work: on the
            // 500-file project of benchmarks/analyzer-build-time.sh, a build with the analyzers took
            // 1.21x as long as one without them; with this, 1.07x (docs/benchmarks.md).
            var collectors = new ConcurrentDictionary<INamedTypeSymbol, TypeCollector>(SymbolEqualityComparer.Default);
            start.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol.ContainingType is { } type)
                {
                    collectors.GetOrAdd(type, _ => new TypeCollector(types)).Analyze(block);
                }
            });
            start.RegisterCompilationEndAction(end =>
            {
                foreach (TypeCollector collector in collectors.Values)
                {
                    collector.ReportDeferred(end.ReportDiagnostic);
                }
            });
        });
    }

    /// <summary>What one type's members write and assign, gathered across (possibly concurrent) block actions.</summary>
    private sealed class TypeCollector
    {
        private readonly OverlayTypes _types;
        private readonly object _gate = new();
        private readonly Dictionary<IFieldSymbol, MapValue> _fields = new(SymbolEqualityComparer.Default);
        private readonly List<(WriteSite Site, MapValue Value)> _deferred = new();

        public TypeCollector(OverlayTypes types) => _types = types;

        public void Analyze(OperationBlockAnalysisContext context)
        {
            var roots = new HashSet<IOperation>();
            foreach (IOperation operationBlock in context.OperationBlocks)
            {
                // A method's blocks hang under its IMethodBodyOperation; the graph is built from that root.
                IOperation block = operationBlock;
                while (block.Parent is not null)
                {
                    block = block.Parent;
                }

                if (!roots.Add(block))
                {
                    continue;
                }

                MethodScan scan = MethodScan.Run(block, _types);
                var observer = new Observer(this, context.ReportDiagnostic);
                foreach (IFieldSymbol field in scan.FieldsWrittenIndirectly)
                {
                    observer.OnFieldAssigned(field, MapValue.Unknown);
                }

                // Writes inside lambdas and local functions do not depend on the member's flow.
                if (scan.MayReport && scan.FunctionWrites.Count != 0)
                {
                    LambdaWrites.Report(scan, _types, observer);
                }

                // The graph is the costly part: without a write that may meet a read-only map, the
                // fields' values (when they read no local) are known without it, and nothing else is.
                if (!scan.NeedsFlowAnalysis)
                {
                    foreach ((IFieldSymbol field, IOperation value) in scan.FieldAssignments)
                    {
                        observer.OnFieldAssigned(field, MapFlowAnalysis.EvaluateAlone(value, _types));
                    }

                    continue;
                }

                if (TryGetGraph(context, operationBlock, block) is not { } graph)
                {
                    foreach ((IFieldSymbol field, _) in scan.FieldAssignments)
                    {
                        observer.OnFieldAssigned(field, MapValue.Unknown);
                    }

                    continue;
                }

                MapFlowAnalysis.Run(graph, scan, _types, observer);
            }
        }

        public void ReportDeferred(System.Action<Diagnostic> report)
        {
            List<(WriteSite Site, MapValue Value)> deferred;
            Dictionary<IFieldSymbol, MapValue> fields;
            lock (_gate)
            {
                deferred = new List<(WriteSite, MapValue)>(_deferred);
                fields = new Dictionary<IFieldSymbol, MapValue>(_fields, SymbolEqualityComparer.Default);
            }

            foreach ((WriteSite site, MapValue value) in deferred)
            {
                MapValue resolved = Resolve(value, fields);
                if (Decide(site, resolved, atCompilationEnd: true) is { } diagnostic)
                {
                    report(diagnostic);
                }
            }
        }

        private static MapValue Resolve(MapValue value, Dictionary<IFieldSymbol, MapValue> fields)
        {
            ImmutableHashSet<MapOrigin>.Builder origins = ImmutableHashSet.CreateBuilder<MapOrigin>();
            foreach (MapOrigin origin in value.Origins)
            {
                if (origin.Kind != OriginKind.Field)
                {
                    origins.Add(origin);
                }
                else if (origin.Field is { } field && fields.TryGetValue(field, out MapValue? assigned) && !assigned.IsUnknown && !assigned.HasFieldOrigins)
                {
                    origins.UnionWith(assigned.Origins);
                }
                else
                {
                    // A field of another type, never assigned here, or assigned something unknown.
                    return MapValue.Unknown;
                }
            }

            return MapValue.FromOrigins(origins.ToImmutable());
        }

        private static ControlFlowGraph? TryGetGraph(OperationBlockAnalysisContext context, IOperation operationBlock, IOperation root)
        {
            if (root.Kind is not (OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
                or OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer))
            {
                return null;
            }

            // The context caches one graph per root, and asks for a member of OperationBlocks.
            return context.GetControlFlowGraph(operationBlock);
        }

        private sealed class Observer : IMapFlowObserver
        {
            private readonly TypeCollector _owner;
            private readonly System.Action<Diagnostic> _report;

            public Observer(TypeCollector owner, System.Action<Diagnostic> report)
            {
                _owner = owner;
                _report = report;
            }

            public void OnWrite(WriteSite site, MapValue value)
            {
                if (value.IsUnknown)
                {
                    return;
                }

                if (value.HasFieldOrigins)
                {
                    lock (_owner._gate)
                    {
                        _owner._deferred.Add((site, value));
                    }

                    return;
                }

                if (Decide(site, value, atCompilationEnd: false) is { } diagnostic)
                {
                    _report(diagnostic);
                }
            }

            public void OnFieldAssigned(IFieldSymbol field, MapValue value)
            {
                lock (_owner._gate)
                {
                    _owner._fields[field] = MapValue.Join(_owner._fields.TryGetValue(field, out MapValue? existing) ? existing : null, value)!;
                }
            }
        }
    }

    /// <summary>The diagnostic for a write whose receiver holds <paramref name="value"/>, or null.</summary>
    private static Diagnostic? Decide(WriteSite site, MapValue value, bool atCompilationEnd)
    {
        if (value.IsUnknown || value.Origins.IsEmpty)
        {
            return null;
        }

        MapOrigin[] origins = value.Origins
            .OrderBy(o => o.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(o => o.Location.SourceSpan.Start)
            .ToArray();
        IEnumerable<Location> additional = origins.Select(o => o.Location);
        Location location = site.Operation.Syntax.GetLocation();
        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty
            .Add(ViaViewProperty, site.ViaView ? "true" : "false")
            .Add(OriginProperty, origins.Length != 1 ? null : origins[0].Kind == OriginKind.ReadProtection ? "Protection" : "Access");

        if (site.IsResize && origins.All(o => o.Kind is OriginKind.ReadAccess or OriginKind.CopyAccess))
        {
            return Diagnostic.Create(atCompilationEnd ? UsageDiagnostics.ResizeReadOnlyOrCopyAtEnd : UsageDiagnostics.ResizeReadOnlyOrCopy, location, additional, properties, Describe(origins, location));
        }

        if (origins.All(o => o.IsReadOnly))
        {
            return Diagnostic.Create(atCompilationEnd ? UsageDiagnostics.ReadOnlyWriteAtEnd : UsageDiagnostics.ReadOnlyWrite, location, additional, properties, site.Description, Describe(origins, location));
        }

        return null;
    }

    /// <summary>Where the map was opened, e.g. "MapAccess.Read at line 12" (naming the file when it is another one).</summary>
    private static string Describe(MapOrigin[] origins, Location reported)
    {
        MapOrigin first = origins[0];
        string how = first.Kind switch
        {
            OriginKind.ReadAccess => "MapAccess.Read",
            OriginKind.CopyAccess => "MapAccess.Copy",
            _ => "a protection lacking MapProtection.Write",
        };
        FileLinePositionSpan span = first.Location.GetLineSpan();
        int line = span.StartLinePosition.Line + 1;
        string where = first.Location.SourceTree == reported.SourceTree
            ? $"{how} at line {line}"
            : $"{how} at line {line} of {System.IO.Path.GetFileName(span.Path)}";
        return origins.Length == 1 ? where : $"{where} and {origins.Length - 1} other place{(origins.Length == 2 ? string.Empty : "s")}";
    }
}
