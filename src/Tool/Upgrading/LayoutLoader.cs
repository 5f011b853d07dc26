using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Overlay.Layouts;

namespace Overlay.Tool.Upgrading;

/// <summary>
/// Loads the user's assembly and finds a <c>[MappedLayout]</c> type in it. The tool may use
/// reflection (the runtime may not): the assembly is loaded into its own context whose
/// <c>Overlay.Runtime</c> is the tool's, so the user's layout implements the very
/// <see cref="IMappedLayout{TSelf}"/> the tool's runtime upgrades with; its other dependencies
/// are resolved from its own folder (its <c>.deps.json</c>).
/// </summary>
internal sealed class LayoutLoader : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    private LayoutLoader(string assemblyPath)
        : base($"overlay upgrade: {Path.GetFileName(assemblyPath)}") => _resolver = new AssemblyDependencyResolver(assemblyPath);

    private Type[] _types = [];

    /// <summary>The assembly at <paramref name="assemblyPath"/>'s layout called <paramref name="typeName"/>.</summary>
    /// <exception cref="ToolException">The assembly cannot be loaded, or has no such layout.</exception>
    public static Type Load(string assemblyPath, string typeName) => Open(assemblyPath).Find(typeName, "--layout");

    /// <summary>Loads the user's assembly, once, for the layouts <see cref="Find"/> looks up in it.</summary>
    /// <exception cref="ToolException">The assembly does not exist or is not a .NET assembly.</exception>
    public static LayoutLoader Open(string assemblyPath)
    {
        string full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full))
        {
            throw new ToolException(ExitCodes.Usage, $"--assembly {assemblyPath}: no such file.");
        }

        var loader = new LayoutLoader(full);
        Assembly assembly;
        try
        {
            assembly = loader.LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException e)
        {
            throw new ToolException(ExitCodes.UpgradeRefused, $"--assembly {assemblyPath} is not a .NET assembly: {e.Message}", e);
        }

        try
        {
            loader._types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            loader._types = e.Types.Where(t => t is not null).ToArray()!;
        }

        loader.AssemblyFile = Path.GetFileName(full);
        return loader;
    }

    /// <summary>The assembly's file name, for messages.</summary>
    public string AssemblyFile { get; private set; } = string.Empty;

    /// <summary>The layout called <paramref name="typeName"/>: its full name (nested types with '.' or '+'), or its name when only one type has it.</summary>
    /// <param name="typeName">What the command line says.</param>
    /// <param name="option">The option that said it, for messages.</param>
    /// <exception cref="ToolException">No such type, or not a layout.</exception>
    public Type Find(string typeName, string option)
    {
        Type? type = FindExact(typeName) ?? _types.SingleOrDefaultIfOne(t => t.Name == typeName);
        if (type is null)
        {
            string layouts = string.Join(", ", _types.Where(IsLayout).Select(t => t.FullName));
            throw new ToolException(ExitCodes.Usage, $"{option} {typeName}: {AssemblyFile} has no such type; its layouts are {(layouts.Length == 0 ? "none" : layouts)}.");
        }

        if (!IsLayout(type))
        {
            throw new ToolException(ExitCodes.Usage, $"{option} {typeName}: {type.FullName} is not a [MappedLayout] struct (it does not implement IMappedLayout<{type.Name}> of the tool's Overlay.Runtime {typeof(IMappedLayout<>).Assembly.GetName().Version}).");
        }

        return type;
    }

    /// <summary>The layout whose <c>LayoutInfo.Name</c> is <paramref name="layoutName"/> (a name a file stores), or null.</summary>
    public Type? FindLayout(string layoutName) => FindExact(layoutName) is { } type && IsLayout(type) ? type : null;

    private Type? FindExact(string name) => _types.FirstOrDefault(t => t.FullName == name || t.FullName?.Replace('+', '.') == name);

    private static bool IsLayout(Type type) =>
        type.IsValueType && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IMappedLayout<>) && i.GetGenericArguments()[0] == type);

    /// <summary>The tool's own runtime for Overlay.Runtime (one IMappedLayout type); the assembly's folder for the rest.</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == typeof(IMappedLayout<>).Assembly.GetName().Name)
        {
            return null;
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }
}

internal static class EnumerableExtensions
{
    /// <summary>The one element that matches, or null when none or several do (a short name must not pick at random).</summary>
    public static T? SingleOrDefaultIfOne<T>(this System.Collections.Generic.IEnumerable<T> source, Func<T, bool> predicate)
        where T : class
    {
        T? found = null;
        foreach (T item in source)
        {
            if (predicate(item))
            {
                if (found is not null)
                {
                    return null;
                }

                found = item;
            }
        }

        return found;
    }
}
