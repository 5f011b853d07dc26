using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Overlay.Analyzers.Baseline;
using Xunit;
using Verify = Overlay.Analyzers.Tests.AnalyzerVerifier<Overlay.Analyzers.Baseline.LayoutVersioningAnalyzer>;

namespace Overlay.Analyzers.Tests;

/// <summary>OVL210 (negative version) and OVL211 ([DefaultValue] the field cannot hold), reported and not reported.</summary>
public class LayoutVersioningTests
{
    private static string Layout(string fields, string attribute = "[MappedLayout]") => $$"""
        using System;
        using System.ComponentModel;
        using Overlay.Layouts;
        namespace Game;
        public enum Rank : byte { None, Gold }
        public enum Other : byte { None }
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        {{attribute}}
        public partial struct Player
        {
        {{fields}}
        }
        """;

    [Theory]
    [InlineData("[MappedLayout(Version = 0)]")]
    [InlineData("[MappedLayout(Version = 7, Size = 8)]")]
    [InlineData("[MappedLayout]")]
    public Task VersionsFromZeroUpAreFine(string attribute) => Verify.VerifyAsync(Layout("    public int Id;", attribute));

    [Fact]
    public Task NegativeVersionIsReported() => Verify.VerifyAsync(
        Layout("    public int Id;", "[MappedLayout(Version = {|#0:-1|})]"),
        new DiagnosticResult(BaselineDiagnostics.NegativeVersion).WithLocation(0).WithArguments("Game.Player", "-1"));

    [Theory]
    [InlineData("[DefaultValue(100)] public int Score;")]
    [InlineData("[DefaultValue(100)] public short Score;")]
    [InlineData("[DefaultValue(-128)] public sbyte Score;")]
    [InlineData("[DefaultValue(255)] public byte Score;")]
    [InlineData("[DefaultValue(4000000000L)] public uint Score;")]
    [InlineData("[DefaultValue(ulong.MaxValue)] public ulong Score;")]
    [InlineData("[DefaultValue(long.MinValue)] public long Score;")]
    [InlineData("[DefaultValue(1.5)] public float Score;")]
    [InlineData("[DefaultValue(0.1f)] public float Score;")]
    [InlineData("[DefaultValue(0.1)] public double Score;")]
    [InlineData("[DefaultValue(16777216)] public float Score;")]
    [InlineData("[DefaultValue(2048)] public Half Score;")]
    [InlineData("[DefaultValue(0.5)] public Half Score;")]
    [InlineData("[DefaultValue(double.NaN)] public float Score;")]
    [InlineData("[DefaultValue(true)] public bool Alive;")]
    [InlineData("[DefaultValue('x')] public char Initial;")]
    [InlineData("[DefaultValue(Rank.Gold)] public Rank Rank;")]
    [InlineData("[DefaultValue(1)] public Rank Rank;")]
    [InlineData("[DefaultValue(\"none\"), FixedString(4)] public string Name;")]
    [InlineData("[DefaultValue(\"né\"), FixedString(3)] public string Name;")]
    [InlineData("[DefaultValue(\"ok\"), FixedString(2, Encoding = FixedStringEncoding.Ascii)] public string Name;")]
    public Task DefaultsTheFieldHoldsAreFine(string field) => Verify.VerifyAsync(Layout("    public int Id;\n    " + field));

    [Theory]
    [InlineData("[{|#0:DefaultValue(70000)|}] public short Score;", "70000 is outside the range of 'short' (-32768 to 32767)")]
    [InlineData("[{|#0:DefaultValue(-1)|}] public uint Score;", "-1 is outside the range of 'uint' (0 to 4294967295)")]
    [InlineData("[{|#0:DefaultValue(1.5)|}] public int Score;", "is a floating-point value, but the field is stored as 'int'")]
    [InlineData("[{|#0:DefaultValue(0.1)|}] public float Score;", "0.1 is not exactly a 'float': give a value the field's type holds exactly")]
    [InlineData("[{|#0:DefaultValue(16777217)|}] public float Score;", "16777217 is not exactly a 'float': give a value the field's type holds exactly")]
    [InlineData("[{|#0:DefaultValue(2049)|}] public Half Score;", "2049 is not exactly a 'Half': give a value the field's type holds exactly")]
    [InlineData("[{|#0:DefaultValue(70000.0)|}] public Half Score;", "70000 is not exactly a 'Half': give a value the field's type holds exactly")]
    [InlineData("[{|#0:DefaultValue(\"5\")|}] public int Score;", "is not a number, but the field is stored as 'int'")]
    [InlineData("[{|#0:DefaultValue(1)|}] public bool Alive;", "is not a bool, but the field is")]
    [InlineData("[{|#0:DefaultValue(65)|}] public char Initial;", "is not a char, but the field is")]
    [InlineData("[{|#0:DefaultValue(Other.None)|}] public Rank Rank;", "is a value of 'Game.Other', but the field is a 'Game.Rank'")]
    [InlineData("[{|#0:DefaultValue(300)|}] public Rank Rank;", "300 is outside the range of 'byte' (0 to 255)")]
    [InlineData("[{|#0:DefaultValue(\"toolong\")|}, FixedString(4)] public string Name;", "takes 7 bytes, but the field holds 4")]
    [InlineData("[{|#0:DefaultValue(\"né\")|}, FixedString(2)] public string Name;", "takes 3 bytes, but the field holds 2")]
    [InlineData("[{|#0:DefaultValue(\"é\")|}, FixedString(4, Encoding = FixedStringEncoding.Ascii)] public string Name;", "is not ASCII, but the field is an ASCII [FixedString]")]
    [InlineData("[{|#0:DefaultValue(\"a\\0b\")|}, FixedString(4)] public string Name;", "holds NUL, which ends a fixed string")]
    [InlineData("[{|#0:DefaultValue(1)|}, FixedString(4)] public string Name;", "is not a string, but the field is a [FixedString]")]
    [InlineData("[{|#0:DefaultValue(null)|}, FixedString(4)] public string Name;", "is not a string, but the field is a [FixedString]")]
    [InlineData("[{|#0:DefaultValue(typeof(Guid), \"00000000-0000-0000-0000-000000000001\")|}] public Guid Key;", "takes one constant here (the (Type, string) form is not read)")]
    [InlineData("[{|#0:DefaultValue(1)|}] public Guid Key;", "is for numbers, bool, char, enums and fixed strings; this field is a Guid")]
    [InlineData("[{|#0:DefaultValue(1)|}] public Vec2 Where;", "is for numbers, bool, char, enums and fixed strings; this field is a nested layout")]
    [InlineData("[{|#0:DefaultValue(1)|}, FixedArray(2)] public int[] Slots;", "is for numbers, bool, char, enums and fixed strings; this field is an array")]
    public Task DefaultsTheFieldCannotHoldAreReported(string field, string problem) => Verify.VerifyAsync(
        Layout("    public int Id;\n    " + field),
        new DiagnosticResult(BaselineDiagnostics.BadDefaultValue).WithLocation(0).WithArguments(FieldName(field), problem));

    private static string FieldName(string field) => field.Substring(field.LastIndexOf(' ') + 1).TrimEnd(';');
}
