using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Overlay.Analyzers.MapAccess;

/// <summary>The Overlay types the map rules know, resolved once per compilation.</summary>
internal sealed class OverlayTypes
{
    /// <summary>Whether a struct implements <c>IMappedView&lt;T&gt;</c>, asked for the type of every operation: cached.</summary>
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _views = new(SymbolEqualityComparer.Default);
    private readonly System.Func<ITypeSymbol, bool> _implementsView;

    private const string RuntimeAssemblyName = "Overlay.Runtime";

    private OverlayTypes(IAssemblySymbol runtime, INamedTypeSymbol memoryMap)
    {
        MemoryMap = memoryMap;
        MappedView = runtime.GetTypeByMetadataName("Overlay.Layouts.IMappedView`1");
        MappedArray = runtime.GetTypeByMetadataName("Overlay.Layouts.MappedArray`1");
        MappedValueArray = runtime.GetTypeByMetadataName("Overlay.Layouts.MappedValueArray`1");
        MappedHashIndex = runtime.GetTypeByMetadataName("Overlay.Indexes.MappedHashIndex`2");
        MappedSortedIndex = runtime.GetTypeByMetadataName("Overlay.Indexes.MappedSortedIndex`2");
        _implementsView = type => type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, MappedView));
    }

    public INamedTypeSymbol MemoryMap { get; }

    public INamedTypeSymbol? MappedView { get; }

    public INamedTypeSymbol? MappedArray { get; }

    public INamedTypeSymbol? MappedValueArray { get; }

    /// <summary><c>MappedHashIndex&lt;TKey, TValue&gt;</c>, whose pins the pin rules check as an array's (null in a runtime without indexes).</summary>
    public INamedTypeSymbol? MappedHashIndex { get; }

    /// <summary><c>MappedSortedIndex&lt;TKey, TValue&gt;</c>, whose pins the pin rules check as the hash index's (null in a runtime without them).</summary>
    public INamedTypeSymbol? MappedSortedIndex { get; }

    /// <summary>The types, or null when the compilation does not reference Overlay (then the rules do nothing).</summary>
    public static OverlayTypes? Create(Compilation compilation)
    {
        // Look in Overlay.Runtime only: Compilation.GetTypeByMetadataName searches every
        // referenced assembly, which costs more than the rules themselves on a small project.
        IAssemblySymbol? runtime = compilation.Assembly.Name == RuntimeAssemblyName ? compilation.Assembly : null;
        if (runtime is null)
        {
            foreach (IAssemblySymbol referenced in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (referenced.Name == RuntimeAssemblyName)
                {
                    runtime = referenced;
                    break;
                }
            }
        }

        INamedTypeSymbol? memoryMap = runtime?.GetTypeByMetadataName("Overlay.MemoryMap");
        return memoryMap is null ? null : new OverlayTypes(runtime!, memoryMap);
    }

    public bool IsMap(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, MemoryMap);

    public bool IsView(ITypeSymbol? type) =>
        MappedView is not null
        && type is INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None } named
        && _views.GetOrAdd(named, _implementsView);

    public bool IsMappedArray(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, MappedArray);

    public bool IsValueArray(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, MappedValueArray);

    /// <summary>Types whose values carry a map's read-only-ness: the map itself and what is derived from it.</summary>
    public bool IsTracked(ITypeSymbol? type) => IsMap(type) || IsDerived(type);

    /// <summary>Types derived from a map: views, view arrays and value arrays.</summary>
    public bool IsDerived(ITypeSymbol? type) => IsView(type) || IsMappedArray(type) || IsValueArray(type);
}
