using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Overlay.Layouts;
using Xunit;

namespace Overlay.Tests;

/// <summary>The rules of docs/public-api.md that a compiler does not check.</summary>
public partial class PublicSurfaceTests
{
    private static readonly Assembly Runtime = typeof(MemoryMap).Assembly;

    private static readonly string SourceDirectory = typeof(PublicSurfaceTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RuntimeSourceDirectory").Value!;

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [Fact]
    public void EveryRuntimeFileDeclaresTheNamespaceOfItsFolder()
    {
        Assert.True(Directory.Exists(SourceDirectory), $"The runtime's sources are not at {SourceDirectory}: run the tests from a clone of the repository.");
        var wrong = new List<string>();
        foreach (string file in Directory.EnumerateFiles(SourceDirectory, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(SourceDirectory, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            string folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            string expected = folder.Length == 0 ? "Overlay" : "Overlay." + folder.Replace('/', '.');
            string[] declared = NamespaceLine().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToArray();
            if (declared is not [var only] || only != expected)
            {
                wrong.Add($"{relative}: declares {(declared.Length == 0 ? "no file-scoped namespace" : string.Join(", ", declared))}, its folder says {expected}");
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void NamesReliedOnOutsideTheRepositoryStayInOverlay()
    {
        foreach (Type type in new[] { typeof(MemoryMap), typeof(MapAccess), typeof(MapFlags), typeof(MapProtection), typeof(MapAdvice), typeof(MapIOException) })
        {
            Assert.Equal("Overlay", type.Namespace);
        }
    }

    [Fact]
    public void EveryGeneratorSupportTypeIsHiddenFromCompletion()
    {
        Type[] support = Runtime.GetExportedTypes().Where(t => t.Namespace == "Overlay.Layouts.Support").ToArray();
        Assert.NotEmpty(support);
        Assert.All(support, type =>
            Assert.Equal(EditorBrowsableState.Never, type.GetCustomAttribute<EditorBrowsableAttribute>()?.State));
    }

    [Fact]
    public void NoOtherPublicTypeIsHidden()
    {
        // Hidden means "for generated code": such a type belongs in Overlay.Layouts.Support.
        Type[] hidden = Runtime.GetExportedTypes()
            .Where(t => t.Namespace != "Overlay.Layouts.Support" && t.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never)
            .ToArray();
        Assert.Empty(hidden);
        Assert.Equal("Overlay.Layouts", typeof(MappedLayoutAttribute).Namespace);
    }
}
