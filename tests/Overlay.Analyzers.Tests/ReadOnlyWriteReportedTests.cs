using System.Threading.Tasks;
using Xunit;
using static Overlay.Analyzers.Tests.TestLayouts;
using Verify = Overlay.Analyzers.Tests.AnalyzerVerifier<Overlay.Analyzers.MapAccess.ReadOnlyMapWriteAnalyzer>;

namespace Overlay.Analyzers.Tests;

/// <summary>OVL001/OVL002 cases that must report: the map is read-only (or copy, for Resize) on every path.</summary>
public class ReadOnlyWriteReportedTests
{
    [Theory]
    // Locals: var, using var, using (...).
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); {|OVL001:m.WriteByte(1)|};""")]
    [InlineData("""using var m = MemoryMap.Open("f", MapAccess.Read); {|OVL001:m.Write(new byte[1])|};""")]
    [InlineData("""using (var m = MemoryMap.Open("f", access: MapAccess.Read)) { {|OVL001:m[0]|} = 1; }""")]
    [InlineData("""MemoryMap m; using (m = MemoryMap.Open("f", MapAccess.Read)) { {|OVL001:m.WriteByte(1)|}; }""")]
    [InlineData("""var m = MemoryMap.Open(access: MapAccess.Read, path: "f"); {|OVL001:m.WriteByte(1)|};""")]
    // Constants: const locals and fields, casts, enum values combined with |.
    [InlineData("""const MapAccess ro = MapAccess.Read; var m = MemoryMap.Open("f", ro); {|OVL001:m[0..2]|} = new byte[2];""")]
    [InlineData("""var m = MemoryMap.Open("f", ReadOnlyAccess); {|OVL001:m.SetSlice(0, 2, null, new byte[2])|};""")]
    [InlineData("""var m = MemoryMap.Open("f", (MapAccess)1); {|OVL001:m.WriteByte(1)|};""")]
    [InlineData("""var m = MemoryMap.Anonymous(4096, protection: MapProtection.Read | MapProtection.Execute); {|OVL001:m.Move(0, 1, 1)|};""")]
    [InlineData("""var m = new MemoryMap(handle, 0, protection: ReadExecute); {|OVL001:m.Fill(0, 10, 0)|};""")]
    [InlineData("""const MapProtection p = MapProtection.None; var m = MemoryMap.Anonymous(4096, MapFlags.Private, p); {|OVL001:m.WriteAt(0, 42)|};""")]
    [InlineData("""var m = new MemoryMap(handle, 0, MapFlags.Shared, MapProtection.Read); {|OVL001:m[0]|}++;""")]
    // Every creation method.
    [InlineData("""var m = MemoryMap.Anonymous(4096, access: MapAccess.Read); {|OVL001:m[1]|} += 2;""")]
    [InlineData("""var m = new MemoryMap(handle, 0, access: MapAccess.Read); {|OVL001:m.WriteAt(0, new byte[] { 1 })|};""")]
    [InlineData("""var m = new MemoryMap(3, 0, null, null, MapAccess.Read); using var lease = {|OVL001:m.AcquireMemory()|};""")]
    // Resize: OVL002 for Read and Copy access, OVL001 for a read-only protection.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); {|OVL002:m.Resize(8192)|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Copy); {|OVL002:m.Resize(8192)|};""")]
    [InlineData("""var m = b ? MemoryMap.Open("f", MapAccess.Copy) : MemoryMap.Open("g", MapAccess.Read); {|OVL002:m.Resize(8192)|};""")]
    [InlineData("""var m = MemoryMap.Anonymous(4096, protection: MapProtection.Read); {|OVL001:m.Resize(8192)|};""")]
    // Views, arrays and value arrays derived from the map.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); {|OVL001:v.Id|} = 1;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); {|OVL001:v.Store(new Record())|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); var p = v.Position; {|OVL001:p.X|} = 1;""")]
    // The writing members of an [Atomic] field.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); {|OVL001:v.AddId(2)|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); int now = {|OVL001:v.IncrementId()|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); {|OVL001:v.ExchangeId(2)|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var a = new MappedArray<Record.View>(m, 0, 4); {|OVL001:a[1].CompareExchangeId(2, 0)|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); var s = v.Slots; {|OVL001:s[0]|} = 1;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var s = new Record.View(m, 0).Slots; {|OVL001:s.CopyFrom(new ushort[4])|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var a = new MappedArray<Record.View>(m, 0, 4); var e = a[1]; {|OVL001:e.Id|} = 2;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var a = new MappedArray<Record.View>(m, 0, 4).Slice(1, 2); var e = a[0]; var p = e.Position; {|OVL001:p.X|} = 2;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Vec3.View(m, 0); m = MemoryMap.Open("g"); {|OVL001:v.X|} = 1;""")]
    // Branches and loops: read-only on every path.
    [InlineData("""MemoryMap m; if (b) m = MemoryMap.Open("a", MapAccess.Read); else m = MemoryMap.Anonymous(8, access: MapAccess.Read); {|OVL001:m.WriteByte(1)|};""")]
    [InlineData("""var m = b ? MemoryMap.Open("a", MapAccess.Read) : MemoryMap.Open("b", ReadOnlyAccess); {|OVL001:m.WriteByte(1)|};""")]
    [InlineData("""MemoryMap m; switch (n) { case 0: m = MemoryMap.Open("a", MapAccess.Read); break; default: m = MemoryMap.Open("b", MapAccess.Read); break; } {|OVL001:m.WriteByte(1)|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); for (int i = 0; i < n; i++) { {|OVL001:m[i]|} = 0; }""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); while (n-- > 0) { {|OVL001:m.WriteByte(0)|}; m = MemoryMap.Open("g", MapAccess.Read); }""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); if (b) { m = MemoryMap.Open("g", MapAccess.Read); } {|OVL001:m.WriteByte(0)|};""")]
    // Exception handling.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); try { {|OVL001:m.WriteByte(1)|}; } catch (Exception) { }""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); try { m.ReadByte(); } catch (Exception) { {|OVL001:m.WriteByte(1)|}; }""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); try { m.ReadByte(); } finally { {|OVL001:m.WriteByte(1)|}; }""")]
    // Captured by a lambda that does not assign it.
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); Func<byte> read = () => m.ReadByte(); {|OVL001:m.WriteByte(read())|};""")]
    public Task WriteIsReported(string body) => Verify.VerifyAsync(InMethod(body));

    [Fact]
    public Task ReadonlyFieldFromInitializer() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            void M() => {|OVL001:_map.WriteByte(1)|};
        }
        """);

    [Fact]
    public Task ReadonlyFieldFromEveryConstructor() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map;
            C() { _map = MemoryMap.Open("f", MapAccess.Read); }
            C(bool b) { _map = b ? MemoryMap.Anonymous(8, access: MapAccess.Read) : MemoryMap.Open("g", MapAccess.Read); }
            C(int n) : this() { }
            void M() { {|OVL001:_map[0]|} = 1; }
        }
        """);

    [Fact]
    public Task ReadonlyFieldAssignedFromLocal() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            private readonly MemoryMap _map;
            C(bool b)
            {
                var map = MemoryMap.Open("f", MapAccess.Read);
                if (b)
                {
                    map = MemoryMap.Anonymous(64, protection: MapProtection.Read);
                }

                _map = map;
            }

            void M() { var v = new Game.Record.View(_map, 0); var s = v.Slots; {|OVL001:s[1]|} = 2; }
        }
        """);

    [Fact]
    public Task StaticReadonlyField() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        static class C
        {
            private static readonly MemoryMap s_map;
            static C() { s_map = MemoryMap.Open("f", MapAccess.Read); }
            static void M() { var v = new Game.Record.View(s_map, 0); {|OVL001:v.Id|} = 3; }
        }
        """);

    [Fact]
    public Task ReadonlyFieldInPartialType() => Verify.VerifyFilesAsync(new[]
    {
        ("A.cs", """
            using Overlay;
            using Overlay.Layouts;
            partial class C
            {
                private readonly MemoryMap _map = MemoryMap.Open("f", MapAccess.Read);
            }
            """),
        ("B.cs", """
            partial class C
            {
                void M() => {|OVL001:_map.WriteByte(1)|};
            }
            """),
    });
}
