using System.Threading.Tasks;
using Xunit;
using static Overlay.Analyzers.Tests.TestLayouts;
using Verify = Overlay.Analyzers.Tests.AnalyzerVerifier<Overlay.Analyzers.MapAccess.ReadOnlyMapWriteAnalyzer>;

namespace Overlay.Analyzers.Tests;

/// <summary>The text a user sees, and the additional location pointing at the read-only creation.</summary>
public class MessageTests
{
    [Fact]
    public Task WriteNamesTheMethodAndTheLineOfTheCreation() => Verify.VerifyAsync(
        """
        using Overlay;
        class C
        {
            void M()
            {
                using var map = MemoryMap.Open("data.bin", {|#1:MapAccess.Read|});
                {|#0:map.WriteByte(1)|};
            }
        }
        """,
        Verify.Diagnostic("OVL001").WithLocation(0).WithLocation(1)
            .WithMessage("'WriteByte' writes into a read-only memory map (opened with MapAccess.Read at line 6); it throws NotSupportedException at run time"));

    [Fact]
    public Task ViewWriteSaysWhereTheMapWasOpened() => Verify.VerifyAsync(
        InMethod("""
            var m = MemoryMap.Anonymous(4096, {|#1:protection: MapProtection.Read|});
            var view = new Record.View(m, 0);
            {|#0:view.Id|} = 7;
            """),
        Verify.Diagnostic("OVL001").WithLocation(0).WithLocation(1)
            .WithArguments("Setting 'Id'", "a protection lacking MapProtection.Write at line 14"));

    [Fact]
    public Task SliceAndByteAreNamed() => Verify.VerifyAsync(
        InMethod("""
            var m = MemoryMap.Open("f", {|#2:MapAccess.Read|});
            {|#0:m[0]|} = 1;
            {|#1:m[1..3]|} = new byte[2];
            """),
        Verify.Diagnostic("OVL001").WithLocation(0).WithLocation(2).WithArguments("Setting a byte", "MapAccess.Read at line 14"),
        Verify.Diagnostic("OVL001").WithLocation(1).WithLocation(2).WithArguments("Setting a slice", "MapAccess.Read at line 14"));

    [Fact]
    public Task SeveralCreationSitesAreCounted() => Verify.VerifyAsync(
        InMethod("""
            var m = b
                ? MemoryMap.Open("a", {|#1:MapAccess.Read|})
                : MemoryMap.Open("b", {|#2:MapAccess.Read|});
            {|#0:m.Write(new byte[1])|};
            """),
        Verify.Diagnostic("OVL001").WithLocation(0).WithLocation(1).WithLocation(2)
            .WithArguments("'Write'", "MapAccess.Read at line 15 and 1 other place"));

    [Fact]
    public Task ResizeOfCopyMap() => Verify.VerifyAsync(
        InMethod("""
            using var m = MemoryMap.Open("f", {|#1:MapAccess.Copy|});
            {|#0:m.Resize(8192)|};
            """),
        Verify.Diagnostic("OVL002").WithLocation(0).WithLocation(1)
            .WithMessage("'Resize' of a memory map opened with MapAccess.Copy at line 14 throws NotSupportedException at run time; only a map opened with MapAccess.Write can change size"));

    [Fact]
    public Task CreationInAnotherFileIsNamed() => Verify.VerifyFilesAsync(
        new[]
        {
            ("Fields.cs", """
                using Overlay;
                partial class C
                {
                    private readonly MemoryMap _map = MemoryMap.Open("f", {|#1:MapAccess.Read|});
                }
                """),
            ("Use.cs", """
                partial class C
                {
                    void M() => {|#0:_map.Move(0, 1, 1)|};
                }
                """),
        },
        Verify.Diagnostic("OVL001").WithLocation(0).WithLocation(1).WithArguments("'Move'", "MapAccess.Read at line 4 of Fields.cs"));
}
