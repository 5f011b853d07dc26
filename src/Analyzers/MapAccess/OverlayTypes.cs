using System.Linq;
using Microsoft.CodeAnalysis;

namespace Overlay.Analyzers.MapAccess;

/// <summary>The Overlay types the map rules know, resolved once per compilation.</summary>
internal sealed class OverlayTypes
{
    private OverlayTypes(Compilation compilation, INamedTypeSymbol memoryMap)
    {
        MemoryMap = memoryMap;
        MappedView = compilation.GetTypeByMetadataName("Overlay.IMappedView`1");
        MappedArray = compilation.GetTypeByMetadataName("Overlay.MappedArray`1");
        MappedValueArray = compilation.GetTypeByMetadataName("Overlay.MappedValueArray`1");
    }

    public INamedTypeSymbol MemoryMap { get; }

    public INamedTypeSymbol? MappedView { get; }

    public INamedTypeSymbol? MappedArray { get; }

    public INamedTypeSymbol? MappedValueArray { get; }

    /// <summary>The types, or null when the compilation does not reference Overlay (then the rules do nothing).</summary>
    public static OverlayTypes? Create(Compilation compilation)
    {
        INamedTypeSymbol? memoryMap = compilation.GetTypeByMetadataName("Overlay.MemoryMap");
        return memoryMap is null ? null : new OverlayTypes(compilation, memoryMap);
    }

    public bool IsMap(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, MemoryMap);

    public bool IsView(ITypeSymbol? type) =>
        MappedView is not null && type is INamedTypeSymbol named &&
        named.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, MappedView));

    public bool IsMappedArray(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, MappedArray);

    public bool IsValueArray(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, MappedValueArray);

    /// <summary>Types whose values carry a map's read-only-ness: the map itself and what is derived from it.</summary>
    public bool IsTracked(ITypeSymbol? type) => IsMap(type) || IsDerived(type);

    /// <summary>Types derived from a map: views, view arrays and value arrays.</summary>
    public bool IsDerived(ITypeSymbol? type) => IsView(type) || IsMappedArray(type) || IsValueArray(type);
}
