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

    /// <exception cref="ToolException">The assembly cannot be loaded, or has no such layout.</exception>
    public static Type Load(string assemblyPath, string typeName)
    {
        string full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full))
        {
            throw new ToolException(ExitCodes.Usage, $"--assembly {assemblyPath}: no such file.");
        }

        Assembly assembly;
        try
        {
            assembly = new LayoutLoader(full).LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException e)
        {
            throw new ToolException(ExitCodes.UpgradeRefused, $"--assembly {assemblyPath} is not a .NET assembly: {e.Message}", e);
        }

        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }

        Type? type = types.FirstOrDefault(t => t.FullName == typeName || t.FullName?.Replace('+', '.') == typeName)
            ?? types.SingleOrDefaultIfOne(t => t.Name == typeName);
        if (type is null)
        {
            string layouts = string.Join(", ", types.Where(IsLayout).Select(t => t.FullName));
            throw new ToolException(ExitCodes.Usage, $"--layout {typeName}: {Path.GetFileName(full)} has no such type; its layouts are {(layouts.Length == 0 ? "none" : layouts)}.");
        }

        if (!IsLayout(type))
        {
            throw new ToolException(ExitCodes.Usage, $"--layout {typeName}: {type.FullName} is not a [MappedLayout] struct (it does not implement IMappedLayout<{type.Name}> of the tool's Overlay.Runtime {typeof(IMappedLayout<>).Assembly.GetName().Version}).");
        }

        return type;
    }

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
