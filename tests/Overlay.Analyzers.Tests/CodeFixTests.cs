using System.Threading.Tasks;
using Xunit;
using static Overlay.Analyzers.Tests.TestLayouts;
using VerifyWritable = Overlay.Analyzers.Tests.CodeFixVerifier<Overlay.Analyzers.MapAccess.ReadOnlyMapWriteAnalyzer, Overlay.Analyzers.CodeFixes.MakeMapWritableCodeFix>;
using VerifyRemove = Overlay.Analyzers.Tests.CodeFixVerifier<Overlay.Analyzers.MapAccess.MapOptionsAnalyzer, Overlay.Analyzers.CodeFixes.RemoveFlagsAndProtectionCodeFix>;

namespace Overlay.Analyzers.Tests;

/// <summary>Every code fix: what it changes, and where it is not offered.</summary>
public class CodeFixTests
{
    [Theory]
    [InlineData(
        """var m = MemoryMap.Open("f", MapAccess.Read); {|OVL001:m.WriteByte(1)|};""",
        """var m = MemoryMap.Open("f", MapAccess.Write); m.WriteByte(1);""")]
    [InlineData(
        """var m = MemoryMap.Open(access: MapAccess.Read, path: "f"); {|OVL001:m[0]|} = 1;""",
        """var m = MemoryMap.Open(access: MapAccess.Write, path: "f"); m[0] = 1;""")]
    [InlineData(
        """using var m = new MemoryMap(handle, 0, access: MapAccess.Read); {|OVL001:m.Write(new byte[1])|};""",
        """using var m = new MemoryMap(handle, 0, access: MapAccess.Write); m.Write(new byte[1]);""")]
    [InlineData(
        """using var m = new MemoryMap(3, 0, null, null, MapAccess.Read); {|OVL001:m.Fill(0, 1, 0)|};""",
        """using var m = new MemoryMap(3, 0, null, null, MapAccess.Write); m.Fill(0, 1, 0);""")]
    [InlineData(
        """var m = MemoryMap.Anonymous(64, access: ReadOnlyAccess); {|OVL001:m.Move(0, 1, 1)|};""",
        """var m = MemoryMap.Anonymous(64, access: MapAccess.Write); m.Move(0, 1, 1);""")]
    [InlineData(
        """var m = MemoryMap.Anonymous(64, protection: MapProtection.Read); {|OVL001:m.WriteByte(1)|};""",
        """var m = MemoryMap.Anonymous(64, protection: MapProtection.Read | MapProtection.Write); m.WriteByte(1);""")]
    [InlineData(
        """var m = new MemoryMap(handle, 0, MapFlags.Shared, MapProtection.Read | MapProtection.Execute); {|OVL001:m.WriteAt(0, 1)|};""",
        """var m = new MemoryMap(handle, 0, MapFlags.Shared, MapProtection.Read | MapProtection.Execute | MapProtection.Write); m.WriteAt(0, 1);""")]
    [InlineData(
        """var m = MemoryMap.Anonymous(64, protection: ReadExecute); {|OVL001:m.WriteByte(1)|};""",
        """var m = MemoryMap.Anonymous(64, protection: ReadExecute | MapProtection.Write); m.WriteByte(1);""")]
    [InlineData(
        """var m = new MemoryMap(3, 0, null, ReadExecute); {|OVL001:m.WriteByte(1)|};""",
        """var m = new MemoryMap(3, 0, null, ReadExecute | MapProtection.Write); m.WriteByte(1);""")]
    [InlineData(
        """var m = new MemoryMap(3, 0, null, (MapProtection)1); {|OVL001:m.WriteByte(1)|};""",
        """var m = new MemoryMap(3, 0, null, (MapProtection)1 | MapProtection.Write); m.WriteByte(1);""")]
    [InlineData(
        """var m = new MemoryMap(3, 0, null, true ? MapProtection.Read : MapProtection.None); {|OVL001:m.WriteByte(1)|};""",
        """var m = new MemoryMap(3, 0, null, (true ? MapProtection.Read : MapProtection.None) | MapProtection.Write); m.WriteByte(1);""")]
    [InlineData(
        """var m = MemoryMap.Open("f", MapAccess.Copy); {|OVL002:m.Resize(8192)|};""",
        """var m = MemoryMap.Open("f", MapAccess.Write); m.Resize(8192);""")]
    [InlineData(
        """var m = MemoryMap.Open("f", MapAccess.Read); {|OVL002:m.Resize(8192)|};""",
        """var m = MemoryMap.Open("f", MapAccess.Write); m.Resize(8192);""")]
    public Task MakeWritable(string body, string fixedBody) => VerifyWritable.VerifyAsync(InMethod(body), InMethod(fixedBody));

    [Fact]
    public Task MakeWritableFixesEveryWriteAtOnce() => VerifyWritable.VerifyAsync(
        InMethod("""var m = MemoryMap.Open("f", MapAccess.Read); {|OVL001:m.WriteByte(1)|}; {|OVL001:m[0]|} = 2;"""),
        InMethod("""var m = MemoryMap.Open("f", MapAccess.Write); m.WriteByte(1); m[0] = 2;"""));

    [Theory]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); {|OVL001:v.Id|} = 1;""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var v = new Record.View(m, 0); {|OVL001:v.Store(new Record())|};""")]
    [InlineData("""var m = MemoryMap.Open("f", MapAccess.Read); var s = new Record.View(m, 0).Slots; {|OVL001:s[0]|} = 1;""")]
    [InlineData("""var m = b ? MemoryMap.Open("a", MapAccess.Read) : MemoryMap.Open("b", MapAccess.Read); {|OVL001:m.WriteByte(1)|};""")]
    public Task MakeWritableIsNotOffered(string body) => VerifyWritable.VerifyNoFixAsync(InMethod(body));

    [Theory]
    [InlineData(
        """using var m = new MemoryMap(handle, 0, {|OVL003:flags: MapFlags.Shared|}, access: MapAccess.Write);""",
        """using var m = new MemoryMap(handle, 0, access: MapAccess.Write);""")]
    [InlineData(
        """using var m = MemoryMap.Anonymous(64, access: MapAccess.Read, {|OVL003:protection: MapProtection.Read|});""",
        """using var m = MemoryMap.Anonymous(64, access: MapAccess.Read);""")]
    [InlineData(
        """using var m = new MemoryMap(handle, 0, {|OVL003:MapFlags.Private|}, {|OVL003:MapProtection.Read|}, MapAccess.Copy, 4096);""",
        """using var m = new MemoryMap(handle, 0, access: MapAccess.Copy, offset: 4096);""")]
    [InlineData(
        """using var m = MemoryMap.Anonymous(64, {|OVL003:MapFlags.Private|}, null, MapAccess.Read);""",
        """using var m = MemoryMap.Anonymous(64, access: MapAccess.Read);""")]
    [InlineData(
        """using var m = new MemoryMap(3, 0, {|OVL003:MapFlags.Shared|}, protection: null, access: MapAccess.Write, trackFile: false);""",
        """using var m = new MemoryMap(3, 0, access: MapAccess.Write, trackFile: false);""")]
    public Task RemoveFlagsAndProtection(string body, string fixedBody) => VerifyRemove.VerifyAsync(InMethod(body), InMethod(fixedBody));

    [Fact]
    public Task RemoveFlagsAndProtectionFixAll() => VerifyRemove.VerifyAsync(
        InMethod("""
            using var x = new MemoryMap(handle, 0, {|OVL003:flags: MapFlags.Shared|}, access: MapAccess.Write);
            using var y = MemoryMap.Anonymous(64, {|OVL003:MapFlags.Private|}, {|OVL003:MapProtection.Read|}, MapAccess.Read);
            """),
        InMethod("""
            using var x = new MemoryMap(handle, 0, access: MapAccess.Write);
            using var y = MemoryMap.Anonymous(64, access: MapAccess.Read);
            """));
}
