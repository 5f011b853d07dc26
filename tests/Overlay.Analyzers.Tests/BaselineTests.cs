using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Overlay.Analyzers.Baseline;
using Xunit;
using Verify = Overlay.Analyzers.Tests.BaselineVerifier;

namespace Overlay.Analyzers.Tests;

/// <summary>The schema baseline rules OVL201–OVL207: each reported, and each not reported where the change is fine.</summary>
public class BaselineTests
{
    private const string Player = """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct {|#0:Player|}
        {
            public int Id;
            public float Health;
        }
        """;

    private const string PlayerBlock = """
        layout Game.Player version=0 size=8
          field Id:i32:0:4:le
          field Health:f32:4:4:le

        """;

    private static string Layout(string body, string attribute = "[MappedLayout]") => $$"""
        using System;
        using Overlay.Layouts;
        namespace Game;
        public enum Rank : byte { None, Gold }
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        {{attribute}}
        public partial struct {|#0:Player|}
        {
        {{body}}
        }
        """;

    private static DiagnosticResult At(DiagnosticDescriptor rule) => new DiagnosticResult(rule).WithLocation(0);

    private static string Vec2Block => """
        layout Game.Vec2 version=0 size=8
          field X:f32:0:4:le
          field Y:f32:4:4:le

        """;

    [Fact]
    public Task NoBaselineFileMeansNoDiagnostics() => Verify.VerifyAsync(Player.Replace("{|#0:Player|}", "Player"), baseline: null);

    [Fact]
    public Task UpToDateBaselineReportsNothing() => Verify.VerifyAsync(Player.Replace("{|#0:Player|}", "Player"), PlayerBlock);

    [Fact]
    public Task CommentsAndBlankLinesAreIgnored() => Verify.VerifyAsync(
        Player.Replace("{|#0:Player|}", "Player"),
        "# a comment\n\n" + PlayerBlock.Replace("  field Id", "  # the key\n  field Id") + "\n# end\n");

    [Fact]
    public Task LayoutMissingFromTheBaselineIsReported() => Verify.VerifyAsync(
        Player,
        "# empty\n",
        At(BaselineDiagnostics.NewLayout).WithArguments("Game.Player"));

    [Fact]
    public Task LayoutsInOtherStatesAreNotChecked() => Verify.VerifyAsync(
        """
        using Overlay.Layouts;
        namespace Game;
        public partial struct NotALayout { public int Id; }
        """,
        "# empty\n");

    [Fact]
    public Task RemovedLayoutIsReportedInTheBaseline() => Verify.VerifyAsync(
        Player.Replace("{|#0:Player|}", "Player"),
        PlayerBlock + "{|#0:layout Game.Gone version=0 size=4|}\n  field A:i32:0:4:le\n",
        At(BaselineDiagnostics.RemovedLayout).WithArguments("Game.Gone"));

    [Theory]
    [InlineData("    public int Id;\n    public float Health;\n    public int Score;", "field 'Score' appended at offset 8; size 8 -> 12")]
    [InlineData("    public int Id;\n    [FormerName(\"Health\")] public float Hp;", "field 'Health' renamed to 'Hp' with [FormerName]; field 'Hp' former names [] -> [Health]")]
    [InlineData("    [FormerName(\"Key\")] public int Id;\n    public float Health;", "field 'Id' former names [] -> [Key]")]
    [InlineData("    public int Id;\n    public float Health;\n    [VarList] public Vec2[] Path;", "field 'Path' appended at offset 8; size 8 -> 20")]
    public Task CompatibleChangeIsAWarning(string body, string differences) => Verify.VerifyAsync(
        Layout(body),
        Vec2Block + PlayerBlock,
        At(BaselineDiagnostics.CompatibleChange).WithArguments("Game.Player", differences));

    [Fact]
    public Task GrowingIntoReservedBytesIsCompatible() => Verify.VerifyAsync(
        Layout("    public int Id;\n    public float Health;", "[MappedLayout(Size = 16)]"),
        Vec2Block + PlayerBlock,
        At(BaselineDiagnostics.CompatibleChange).WithArguments("Game.Player", "size 8 -> 16"));

    [Theory]
    [InlineData("    public long Id;\n    public float Health;", "field 'Id' type i32 -> i64; field 'Health' offset 4 -> 8")]
    [InlineData("    public uint Id;\n    public float Health;", "field 'Id' type i32 -> u32")]
    [InlineData("    public int Id;", "field 'Health' removed; size 8 -> 4 (records shrink)")]
    [InlineData("    public int Id;\n    public float Hp;", "field 'Health' removed (renamed to 'Hp'? add [FormerName(\"Health\")] to it); field 'Hp' added at offset 4, inside the old 8-byte record (append past it instead)")]
    [InlineData("    [BigEndian] public int Id;\n    public float Health;", "field 'Id' byte order little-endian -> big-endian")]
    [InlineData("    public float Health;\n    public int Id;", "field 'Id' offset 0 -> 4; field 'Health' offset 4 -> 0")]
    [InlineData("    public short Id;\n    public short Extra;\n    public float Health;", "field 'Id' type i32 -> i16; field 'Extra' added at offset 2, inside the old 8-byte record (append past it instead)")]
    [InlineData("    public Rank Id;\n    [Offset(4)] public float Health;", "field 'Id' type i32 -> enum(u8)")]
    public Task BreakingChangeIsAnError(string body, string differences) => Verify.VerifyAsync(
        Layout(body),
        Vec2Block + PlayerBlock,
        At(BaselineDiagnostics.BreakingChange).WithArguments("Game.Player", "0", differences, "1"));

    [Fact]
    public Task ListsAreWrittenWithTheirElements() => Verify.VerifyAsync(
        Layout("    public int Id;\n    [VarList, BigEndian] public int[] Scores;\n    [VarList] public Vec2[] Path;").Replace("{|#0:Player|}", "Player"),
        Vec2Block + "layout Game.Player version=0 size=28\n  field Id:i32:0:4:le\n  field Scores:vlist(i32):4:12:be\n  field Path:vlist(Game.Vec2{1378EB01C78DD7A3}):16:12:le\n");

    [Fact]
    public Task AListsElementTypeChangeBreaksTheLayout() => Verify.VerifyAsync(
        Layout("    public int Id;\n    [VarList] public long[] Scores;"),
        Vec2Block + "layout Game.Player version=0 size=16\n  field Id:i32:0:4:le\n  field Scores:vlist(i32):4:12:le\n",
        At(BaselineDiagnostics.BreakingChange).WithArguments("Game.Player", "0", "field 'Scores' type vlist(i32) -> vlist(i64)", "1"));

    [Fact]
    public Task NestedLayoutChangeBreaksTheOuterLayout() => Verify.VerifyAsync(
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct {|#1:Vec2|} { public float X; [BigEndian] public float Y; }
        [MappedLayout]
        public partial struct {|#0:Player|} { public Vec2 Position; }
        """,
        Vec2Block + "layout Game.Player version=0 size=8\n  field Position:Game.Vec2{1378EB01C78DD7A3}:0:8:le\n",
        new DiagnosticResult(BaselineDiagnostics.BreakingChange).WithLocation(1).WithArguments("Game.Vec2", "0", "field 'Y' byte order little-endian -> big-endian", "1"),
        new DiagnosticResult(BaselineDiagnostics.BreakingChange).WithLocation(0).WithArguments("Game.Player", "0", "field 'Position' type Game.Vec2{1378EB01C78DD7A3} -> Game.Vec2{5427ABAD6586E291}", "1"));

    [Fact]
    public Task NestedLayoutUnchangedReportsNothing() => Verify.VerifyAsync(
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        [MappedLayout]
        public partial struct Player { public Vec2 Position; }
        """,
        Vec2Block + "layout Game.Player version=0 size=8\n  field Position:Game.Vec2{1378EB01C78DD7A3}:0:8:le\n");

    [Fact]
    public Task RenamedNestedLayoutTypeIsCompatible() => Verify.VerifyAsync(
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct {|#1:Vector2|} { public float X; public float Y; }
        [MappedLayout]
        public partial struct {|#0:Player|} { public Vector2 Position; }
        """,
        "{|#2:" + Vec2Block.Replace("\n  field X", "|}\n  field X") + "layout Game.Player version=0 size=8\n  field Position:Game.Vec2{1378EB01C78DD7A3}:0:8:le\n",
        new DiagnosticResult(BaselineDiagnostics.RemovedLayout).WithLocation(2).WithArguments("Game.Vec2"),
        new DiagnosticResult(BaselineDiagnostics.NewLayout).WithLocation(1).WithArguments("Game.Vector2"),
        At(BaselineDiagnostics.CompatibleChange).WithArguments("Game.Player", "field 'Position' nested layout renamed Game.Vec2{1378EB01C78DD7A3} -> Game.Vector2{1378EB01C78DD7A3}"));

    [Fact]
    public Task NewVersionWithItsBlockRecordedReportsNothing() => Verify.VerifyAsync(
        Layout("    public long Id;\n    public float Health;", "[MappedLayout(Version = 1)]").Replace("{|#0:Player|}", "Player"),
        Vec2Block + "layout Game.Player version=1 size=12 upgrade-from=0\n  field Id:i64:0:8:le\n  field Health:f32:8:4:le\n" + PlayerBlock);

    [Fact]
    public Task NewVersionNotRecordedIsAnError() => Verify.VerifyAsync(
        Layout("    public long Id;\n    public float Health;", "[MappedLayout(Version = 2)]"),
        Vec2Block + PlayerBlock,
        At(BaselineDiagnostics.UnrecordedVersion).WithArguments("Game.Player", "2", "field 'Id' type i32 -> i64; field 'Health' offset 4 -> 8", "0"));

    [Fact]
    public Task NewVersionWithACompatibleChangeIsAWarning() => Verify.VerifyAsync(
        Layout("    public int Id;\n    public float Health;", "[MappedLayout(Version = 1)]"),
        Vec2Block + PlayerBlock,
        At(BaselineDiagnostics.CompatibleChange).WithArguments("Game.Player", "version 0 -> 1"));

    [Fact]
    public Task VersionGoingBackIsAnError() => Verify.VerifyAsync(
        Layout("    public int Id;\n    public float Health;", "[MappedLayout(Version = 1)]"),
        Vec2Block + "layout Game.Player version=3 size=8 upgrade-from=0\n  field Id:i32:0:4:le\n  field Health:f32:4:4:le\n" + PlayerBlock,
        At(BaselineDiagnostics.VersionGoesBack).WithArguments("Game.Player", "1", "3"));

    [Fact]
    public Task ChangesAreComparedWithTheLatestVersion() => Verify.VerifyAsync(
        Layout("    public long Id;\n    public float Health;\n    public int Score;", "[MappedLayout(Version = 1)]"),
        Vec2Block + "layout Game.Player version=1 size=12 upgrade-from=0\n  field Id:i64:0:8:le\n  field Health:f32:8:4:le\n" + PlayerBlock,
        At(BaselineDiagnostics.CompatibleChange).WithArguments("Game.Player", "field 'Score' appended at offset 12; size 12 -> 16"));

    [Theory]
    [InlineData("{|#0:layout Game.Player size=8|}\n", "the 'layout' line of 'Game.Player' needs version= and size=")]
    [InlineData("{|#0:layout Game.Player version=x size=8|}\n", "'version=x' in the 'layout' line of 'Game.Player' is not key=number")]
    [InlineData("{|#0:layout Game.Player version=0 size=8 colour=1|}\n", "'colour=1' in the 'layout' line of 'Game.Player' is unknown, repeated or out of range (version=, size= (positive), upgrade-from=)")]
    [InlineData("layout Game.Player version=0 size=8\n{|#0:  field Id:i32:0:4|}\n", "'Id:i32:0:4' is not a field (Name:type:offset:size:le|be[:formerly=A,B])")]
    [InlineData("{|#0:  field Id:i32:0:4:le|}\n", "a 'field' line before any 'layout' line")]
    [InlineData("{|#0:fields Id|}\n", "'fields Id' is neither a 'layout' line, a 'field' line, a comment (#) nor blank")]
    [InlineData("{|#0:layout Game.Player version=1 size=8 upgrade-from=0|}\n  field Id:i32:0:4:le\n  field Health:f32:4:4:le\n", "layout 'Game.Player' version 1 upgrades from version 0, which has no block: keep the old version's block")]
    [InlineData("{|#0:layout Game.Player version=0 size=4|}\n  field Id:i32:0:4:le\n  field Health:f32:4:4:le\n", "layout 'Game.Player' version 0: field 'Health' overlaps the previous field or ends past size=4")]
    public Task UnreadableBaselineIsAnError(string baseline, string problem) => Verify.VerifyAsync(
        Player.Replace("{|#0:Player|}", "Player"),
        baseline + "\n" + Vec2Block.Replace("layout Game.Vec2 version=0 size=8", "{|#1:layout Game.Player2 version=0 size=8|}"),
        new DiagnosticResult(BaselineDiagnostics.BadBaseline).WithLocation(0).WithArguments(problem),
        new DiagnosticResult(BaselineDiagnostics.RemovedLayout).WithLocation(1).WithArguments("Game.Player2"),
        new DiagnosticResult(BaselineDiagnostics.NewLayout).WithSpan("Test0.cs", 4, 23, 4, 29).WithArguments("Game.Player"));

    [Fact]
    public Task DuplicateVersionIsAnError() => Verify.VerifyAsync(
        Player.Replace("{|#0:Player|}", "Player"),
        PlayerBlock + "{|#0:layout Game.Player version=0 size=8|}\n  field Id:i32:0:4:le\n  field Health:f32:4:4:le\n",
        new DiagnosticResult(BaselineDiagnostics.BadBaseline).WithLocation(0).WithArguments("layout 'Game.Player' has a second block for version 0"));
}
