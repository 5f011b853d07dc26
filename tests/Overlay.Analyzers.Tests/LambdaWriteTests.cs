using System.Threading.Tasks;
using Xunit;
using static Overlay.Analyzers.Tests.TestLayouts;
using Verify = Overlay.Analyzers.Tests.AnalyzerVerifier<Overlay.Analyzers.MapAccess.ReadOnlyMapWriteAnalyzer>;

namespace Overlay.Analyzers.Tests;

/// <summary>
/// OVL001/OVL002 for writes inside lambdas and local functions: reported only when every
/// assignment of the local anywhere in the member is read-only and nothing else writes it.
/// </summary>
public class LambdaWriteTests
{
    [Theory]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => {|OVL001:m.WriteByte(1)|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); void W() { {|OVL001:m[0]|} = 1; } W();""")]
    [InlineData("""MemoryMap m; void W() => {|OVL001:m.WriteByte(1)|}; m = MemoryMap.Open("f", MapAccess.Read); W();""")]
    // Nested lambdas, and a local function inside a lambda.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Func<Action> f = () => () => {|OVL001:m.WriteByte(1)|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => { void W() => {|OVL001:m.Write(new byte[1])|}; W(); };""")]
    // Views and arrays made from the captured local, inside or outside the lambda.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => { var v = new Record.View(m, 0); {|OVL001:v.Id|} = 1; };""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var s = new Record.View(m, 0).Slots; Action a = () => {|OVL001:s[0]|} = 1;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var arr = new MappedArray<Record.View>(m, 0, 4); Action a = () => { var e = arr[1]; {|OVL001:e.Id|} = 2; };""")]
    // A static lambda's own local.
    [InlineData("""Action a = static () => { var m = MemoryMap.Anonymous(8, protection: MapProtection.Read); {|OVL001:m.Fill(0, 1, 0)|}; };""")]
    // Reassigned inside the lambda, read-only every time; read-only on both branches.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => { m = MemoryMap.Open("g", ReadOnlyAccess); {|OVL001:m.WriteByte(1)|}; };""")]
    [InlineData("""var m = b ? MemoryMap.Open("a", MapAccess.Read) : MemoryMap.Anonymous(8, access: MapAccess.Read); Array.ForEach(new int[1], i => {|OVL001:m.WriteByte((byte)i)|});""")]
    // Resize of a copy map: OVL002.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Copy); Action a = () => {|OVL002:m.Resize(8192)|};""")]
    public Task WriteIsReported(string body) => Verify.VerifyAsync(InMethod(body));

    [Theory]
    // Some assignment anywhere brings a writable or unknown map.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => m.WriteByte(1); m = MemoryMap.Open("g");""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action s = () => m = MemoryMap.Open("g"); Action w = () => m.WriteByte(1);""")]
    [InlineData("""var w = MemoryMap.Open("g"); var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => m.WriteByte(1); m = w;""")]
    [InlineData("""var a = MemoryMap.Open("f", MapAccess.Read); var c = a; a = c; c = MemoryMap.Open("g"); Action w = () => a.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); void W() { m.WriteByte(1); m = param; }""")]
    // Parameters: of the member (captured) or of the lambda.
    [InlineData("""Action a = () => param.WriteByte(1); var v = new Record.View(param, 0); Action set = () => v.Id = 1;""")]
    [InlineData("""Action<MemoryMap> a = x => x.WriteByte(1); a(MemoryMap.Open("f", MapAccess.Read));""")]
    // Written in ways the rule does not follow: ref, out, deconstruction, ??=, pattern, foreach, ref local.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Reopen(ref m); Action a = () => m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => Create(out m); Action w = () => m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => (m, _) = (MemoryMap.Open("g"), 1); Action w = () => m.WriteByte(1);""")]
    [InlineData("""MemoryMap? m = MemoryMap.Open("f", MapAccess.Read); Action a = () => { m ??= MemoryMap.Open("g"); m.WriteByte(1); };""")]
    [InlineData("""if (o is MemoryMap m) { Action a = () => m.WriteByte(1); }""")]
    [InlineData("""foreach (var m in new[] { MemoryMap.Open("f", MapAccess.Read) }) { Action a = () => m.WriteByte(1); }""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); ref MemoryMap r = ref m; r = MemoryMap.Open("g"); Action a = () => m.WriteByte(1);""")]
    // Copy maps are writable; a view over another map.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Copy); Action a = () => m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => { var v = new Record.View(param, 0); v.Id = 1; };""")]
    public Task WriteIsNotReported(string body) => Verify.VerifyAsync(InMethod(body));

    [Fact]
    public Task ReadonlyFieldWrittenInLambda() => Verify.VerifyAsync("""
        using System;
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            Action M() => () => {|OVL001:_map.WriteByte(1)|};
            void N() { void W() { var v = new Game.Record.View(_map, 0); {|OVL001:v.Id|} = 1; } W(); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldWithWritableConstructorWrittenInLambda() => Verify.VerifyAsync("""
        using System;
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            C(string path) { _map = MemoryMap.Open(path); }
            Action M() => () => _map.WriteByte(1);
        }
        """);

    [Fact]
    public Task LambdaInFieldInitializer() => Verify.VerifyAsync("""
        using System;
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly Action _write = () => { var m = MemoryMap.Open("f", MapAccess.Read); {|OVL001:m.WriteByte(1)|}; };
            private readonly Action _fine = () => { var m = MemoryMap.Open("f", MapAccess.Write); m.WriteByte(1); };
        }
        """);
}
