using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Overlay.Layouts;

namespace Overlay.Tool.Upgrading;

/// <summary>What the tool asks of a layout type it loaded (by reflection: the tool may, the runtime may not).</summary>
internal static class UserLayouts
{
    /// <summary>The layout's description, through <see cref="Layout{T}"/> (a field may have taken the name <c>LayoutInfo</c> on the struct itself).</summary>
    public static LayoutInfo InfoOf(Type layout) =>
        (LayoutInfo)typeof(Layout<>).MakeGenericType(layout).GetProperty("LayoutInfo", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    /// <summary>The layout's generated writable view (<c>T.View</c>).</summary>
    public static Type ViewOf(Type layout) =>
        layout.GetNestedType("View", BindingFlags.Public) ?? throw new ToolException(ExitCodes.UpgradeRefused, $"{layout.FullName} has no generated View: was its assembly built with the Overlay generator?");

    /// <summary>
    /// Whether <paramref name="target"/> can be a version of <paramref name="stored"/>: the same
    /// name, or at least one field matched by name or <c>[FormerName]</c>. Anything else would
    /// "upgrade" every field into a default: the wrong <c>--layout</c>, not a new version.
    /// </summary>
    public static bool IsVersionOf(LayoutInfo target, LayoutInfo stored) =>
        target.Name == stored.Name
        || target.Fields.Any(f => stored.Fields.Any(s => s.Name == f.Name || (f.FormerNames?.Contains(s.Name) ?? false)));

    /// <summary>The line that names the fields the layout's <c>[UpgradeConverter]</c> methods convert, or null when it declares none.</summary>
    public static string? DeclaredConverters(LayoutInfo layout) =>
        layout.UpgradeConverters is { Count: > 0 } converters
            ? $"  converted by the layout's [UpgradeConverter] methods: {string.Join(", ", converters.Keys.Order(StringComparer.Ordinal))}"
            : null;

    /// <summary>The fields' names, for a message.</summary>
    public static string FieldNames(LayoutInfo layout) => string.Join(", ", layout.Fields.Select(f => f.Name));

    /// <summary>
    /// Runs an upgrade the tool invoked by reflection, turning what it throws into the tool's exit
    /// codes: a refusal (a lossy field without a converter) or a converter that threw is
    /// <see cref="ExitCodes.UpgradeRefused"/>, the file unchanged; I/O errors and invalid files go on
    /// to the command line's handler.
    /// </summary>
    public static long Run(string file, Func<long> upgrade)
    {
        try
        {
            try
            {
                return upgrade();
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
        catch (InvalidOperationException e)
        {
            throw new ToolException(ExitCodes.UpgradeRefused, $"upgrade refused, {file} is unchanged: {e.Message}", e);
        }
        catch (Exception e) when (e is not (IOException or InvalidDataException or UnauthorizedAccessException or KeyNotFoundException or NotSupportedException or ToolException))
        {
            // Upgrade itself throws only the exceptions above: anything else came out of a converter.
            throw new ToolException(ExitCodes.UpgradeRefused, $"upgrade stopped, {file} is unchanged: a converter threw {e.GetType().Name}: {e.Message}", e);
        }
    }
}
