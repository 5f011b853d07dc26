using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Overlay.Generators.Tests;

/// <summary>
/// Reference-typed fields may be declared nullable (<c>string?</c>, <c>byte[]?</c>, <c>int[]?</c>):
/// a record copied out of the map is then free to hold null, and the generated code must compile
/// without a nullable warning in a project that treats warnings as errors, whichever way each
/// field is declared.
/// </summary>
public class NullableFieldTests
{
    [Fact]
    public void NullableAndNonNullableReferenceFieldsCompileWithoutWarnings()
    {
        CSharpCompilation compilation = Compiler.Create("""
            using Overlay;
            using Overlay.Layouts;
            namespace Game;
            [MappedLayout]
            public partial struct Plain
            {
                [FixedString(16)] public string? Name;
                [FixedString(8, Encoding = FixedStringEncoding.Ascii)] public string? Code;
                [FixedString(16)] public string Title;
                public int Level;
            }
            [MappedLayout]
            public partial struct WithHeap
            {
                [FixedString(16)] public string? Name;
                [VarString] public string? Note;
                [VarBytes] public byte[]? Blob;
                [VarList] public int[]? Scores;
                [VarString] public string Motto;
            }
            """);
        Assert.Empty(Compiler.Analyze(compilation));
        (Dictionary<string, string> _, Compilation output) = Compiler.Generate(compilation);
        string[] problems = Compiler.Problems(output);
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }
}
