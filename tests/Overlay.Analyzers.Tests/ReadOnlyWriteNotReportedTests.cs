using System.Threading.Tasks;
using Xunit;
using static Overlay.Analyzers.Tests.TestLayouts;
using Verify = Overlay.Analyzers.Tests.AnalyzerVerifier<Overlay.Analyzers.MapAccess.ReadOnlyMapWriteAnalyzer>;

namespace Overlay.Analyzers.Tests;

/// <summary>OVL001/OVL002 cases that must stay silent: some path may bring a writable map, or nothing is known.</summary>
public class ReadOnlyWriteNotReportedTests
{
    [Theory]
    // Writable or legal creations.
    [InlineData("""var m = MemoryMap.Open("f"); m.WriteByte(1); m.Resize(8192);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Write); m[0] = 1; m[0..2] = new byte[2];""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Default); m.Write(new byte[1]);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Copy); m.WriteByte(1); m.SetSlice(0, 1, null, new byte[1]); m.Move(0, 1, 1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Copy); var v = new Record.View(m, 0); v.Id = 1; v.Store(new Record());""")]
    // [Atomic] members: a volatile read of a read-only map; writes to a writable one; a method that only looks like one.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); int seen = v.VolatileReadId();""")]
    [InlineData("""var m = MemoryMap.Open("f"); var v = new Record.View(m, 0); v.IncrementId(); v.AddId(1); v.ExchangeId(1); v.CompareExchangeId(1, 2);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); int sum = v.AddUp(1, 2);""")]
    [InlineData("""var m = MemoryMap.Anonymous(4096, protection: MapProtection.Read | MapProtection.Write); m.WriteByte(1); m.Resize(8192);""")]
    [InlineData("""var m = new MemoryMap(handle, 0, protection: MapProtection.ReadWrite); m.Fill(0, 1, 0);""")]
    [InlineData("""var m = new MemoryMap(handle, 0, protection: MapProtection.Write); m.WriteAt(0, 1);""")]
    [InlineData("""var m = new MemoryMap(handle, 0, protection: null); m.WriteAt(0, 1);""")]
    [InlineData("""var m = new MemoryMap(handle, 0, flags: MapFlags.Private); m.WriteAt(0, 1);""")]
    [InlineData("""var m = MemoryMap.Open("f", (MapAccess)2); m.WriteByte(1);""")]
    // Not constant.
    [InlineData("""var m = MemoryMap.Open("f", access); m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", b ? MapAccess.Read : MapAccess.Write); m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Anonymous(8, protection: b ? MapProtection.Read : MapProtection.ReadWrite); m.WriteByte(1);""")]
    // Reads of a read-only map.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); m.ReadByte(); _ = m[0]; _ = m[0..2]; _ = m.ReadAt<int>(0); m.Find(new byte[1]); using var r = m.AcquireReadOnlyMemory(); m.Flush();""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.ReadOnlyView(m, 0); _ = v.Id; _ = v.Position.X; _ = v.Slots[0];""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); _ = v.Id; _ = v.Slots[0]; var a = new MappedArray<Record.ReadOnlyView>(m, 0, 1); _ = a[0].Id;""")]
    // Reassigned on one path, branches that disagree, loops.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); if (b) m = MemoryMap.Open("g"); m.WriteByte(1);""")]
    [InlineData("""MemoryMap m; if (b) m = MemoryMap.Open("a", MapAccess.Read); else m = MemoryMap.Open("b"); m.WriteByte(1);""")]
    [InlineData("""var m = b ? MemoryMap.Open("a", MapAccess.Read) : param; m.WriteByte(1);""")]
    [InlineData("""var m = n switch { 0 => MemoryMap.Open("a", MapAccess.Read), _ => MemoryMap.Open("b") }; m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); for (int i = 0; i < n; i++) { if (i > 0) m.WriteByte(1); m = MemoryMap.Open("g"); }""")]
    [InlineData("""MemoryMap? m = b ? MemoryMap.Open("f", MapAccess.Read) : null; m ??= MemoryMap.Open("g"); m.WriteByte(1);""")]
    [InlineData("""foreach (var m in new[] { MemoryMap.Open("f"), param }) { m.WriteByte(1); }""")]
    // Parameters, views from writable or unknown maps.
    [InlineData("""param.WriteByte(1); param.Resize(10); var v = new Record.View(param, 0); v.Id = 1;""")]
    [InlineData("""var m = MemoryMap.Open("f"); var v = new Record.View(m, 0); var p = v.Position; p.X = 1; var s = v.Slots; s[0] = 1; s.CopyFrom(new ushort[4]);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Write); var a = new MappedArray<Record.View>(m, 0, 2); var e = a[0]; e.Id = 1;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(param, 0); v.Id = 1;""")]
    [InlineData("""var ro = MemoryMap.Open("f", MapAccess.Read); var v = Pick(ro, param); v.Id = 1;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); v = new Record.View(param, 0); v.Id = 1;""")]
    // Locals the flow cannot follow: lambdas, local functions, ref, out, ref locals, patterns, deconstruction, handlers.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Action a = () => m = MemoryMap.Open("g"); a(); m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); void Swap() => m = MemoryMap.Open("g"); Swap(); m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Reopen(ref m); m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Create(out m); m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); ref MemoryMap r = ref m; r = MemoryMap.Open("g"); m.WriteByte(1);""")]
    [InlineData("""if (!(o is MemoryMap m)) { m = MemoryMap.Open("f", MapAccess.Read); } m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); (m, var x) = (MemoryMap.Open("g"), 1); m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); try { m.ReadByte(); } catch (Exception) { m = MemoryMap.Open("g"); } m.WriteByte(1);""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); try { m = MemoryMap.Open("g"); m.ReadByte(); } catch (Exception) { m.WriteByte(1); }""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); try { m = MemoryMap.Open("g"); } finally { m.WriteByte(1); }""")]
    public Task WriteIsNotReported(string body) => Verify.VerifyAsync(InMethod(body).Replace(
        "static void Reopen", "static Record.View Pick(MemoryMap template, MemoryMap target) => new(target, 0);\n    static void Reopen"));

    [Fact]
    public Task ReadonlyFieldWithOneWritableConstructor() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            C() { }
            C(string path) { _map = MemoryMap.Open(path); }
            void M() { _map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldAssignedFromParameter() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map;
            C() { _map = MemoryMap.Open("f", MapAccess.Read); }
            C(MemoryMap map) { _map = map; }
            void M() { _map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task FieldThatIsNotReadonly() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            void M() { _map.WriteByte(1); }
            void Swap() { _map = MemoryMap.Open("g"); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldAssignedThroughOut() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            C(bool b) { if (b) Create(out _map); }
            static void Create(out MemoryMap map) => map = MemoryMap.Open("g");
            void M() { _map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldAssignedByDeconstruction() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            private readonly int _n;
            C(MemoryMap map) { (_map, _n) = (map, 1); }
            void M() { _map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldAssignedThroughRefLocal() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            C(MemoryMap map) { ref MemoryMap slot = ref _map; slot = map; }
            void M() { _map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldOfStructOverwrittenThroughThis() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        struct S
        {
            private readonly MemoryMap _map;
            S(int n) { _map = MemoryMap.Open("f", MapAccess.Read); }
            S(S other) { this = other; }
            void M() { _map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldOfStructOverwrittenByMethod() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        struct S
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            public S() { }
            void Reset(S other) { this = other; }
            void M() { _map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task ReadonlyFieldOfAnotherType() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class Holder
        {
            public readonly MemoryMap Map = MemoryMap.Open("f", MapAccess.Read);
        }
        class C
        {
            void M(Holder h) { h.Map.WriteByte(1); }
        }
        """);

    [Fact]
    public Task GeneratedCodeIsNotAnalysed() => Verify.VerifyFilesAsync(new[]
    {
        ("Generated.g.cs", """
            // <auto-generated/>
            using Overlay;
            using Overlay.Layouts;
            class C
            {
                void M()
                {
                    var m = MemoryMap.Open("f", MapAccess.Read);
                    m.WriteByte(1);
                    m.Resize(10);
                }
            }
            """),
    });
}
