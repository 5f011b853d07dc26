using System.Threading.Tasks;
using Xunit;
using Verify = Overlay.Analyzers.Tests.BaselineVerifier;

namespace Overlay.Analyzers.Tests;

/// <summary>The baseline code fix: what it writes into Layouts.Baseline.txt for each rule, and that it touches only its layout's lines.</summary>
public class BaselineCodeFixTests
{
    private const string Header = "# Overlay schema baseline\n";

    private const string Vec2Block = "layout Game.Vec2 version=0 size=8\n  field X:f32:0:4:le\n  field Y:f32:4:4:le\n";

    private const string PlayerV0 = "layout Game.Player version=0 size=8\n  field Id:i32:0:4:le\n  field Health:f32:4:4:le\n";

    private static string Source(string body, string attribute = "[MappedLayout]", string markup = "{|OVL202:Player|}") => $$"""
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        {{attribute}}
        public partial struct {{markup}}
        {
        {{body}}
        }
        """;

    [Fact]
    public Task NewLayoutIsAddedInNameOrder() => Verify.VerifyFixAsync(
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct {|OVL203:Item|} { public uint Code; [FixedString(8)] public string Name; public Vec2 Where; [FixedArray(2)] public Vec2[] Path; }
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        [MappedLayout]
        public partial struct Player { public int Id; public float Health; }
        """,
        Header + "\n" + PlayerV0 + "\n" + Vec2Block,
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Item { public uint Code; [FixedString(8)] public string Name; public Vec2 Where; [FixedArray(2)] public Vec2[] Path; }
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        [MappedLayout]
        public partial struct Player { public int Id; public float Health; }
        """,
        Header + "\n"
        + "layout Game.Item version=0 size=36\n  field Code:u32:0:4:le\n  field Name:utf8[8]:4:8:le\n  field Where:Game.Vec2{1378EB01C78DD7A3}:12:8:le\n  field Path:array(Game.Vec2{1378EB01C78DD7A3})[2]:20:16:le\n\n"
        + PlayerV0 + "\n" + Vec2Block);

    [Fact]
    public Task NewLayoutIsAppendedAfterTheLastName() => Verify.VerifyFixAsync(
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        [MappedLayout, BigEndian]
        public partial struct {|OVL203:Zone|} { public short Id; public Rank Rank; [FixedArray(3)] public Rank[] History; }
        public enum Rank : ushort { None }
        """,
        Header + "\n" + Vec2Block,
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        [MappedLayout, BigEndian]
        public partial struct Zone { public short Id; public Rank Rank; [FixedArray(3)] public Rank[] History; }
        public enum Rank : ushort { None }
        """,
        Header + "\n" + Vec2Block + "\nlayout Game.Zone version=0 size=10\n  field Id:i16:0:2:be\n  field Rank:enum(u16):2:2:be\n  field History:array(enum(u16))[3]:4:6:be\n");

    [Fact]
    public Task EmptyBaselineGetsTheHeaderAndTheBlock() => Verify.VerifyFixAsync(
        "using Overlay.Layouts;\nnamespace Game;\n[MappedLayout]\npublic partial struct {|OVL203:Player|} { public int Id; public float Health; }\n",
        string.Empty,
        "using Overlay.Layouts;\nnamespace Game;\n[MappedLayout]\npublic partial struct Player { public int Id; public float Health; }\n",
        Overlay.Analyzers.Baseline.BaselineParser.Header + "\n" + PlayerV0);

    [Fact]
    public Task CompatibleChangeReplacesTheBlock() => Verify.VerifyFixAsync(
        Source("    public int Id;\n    [FormerName(\"Health\")] public float Hp;\n    public long Score;"),
        Header + "\n" + PlayerV0 + "\n" + Vec2Block,
        Source("    public int Id;\n    [FormerName(\"Health\")] public float Hp;\n    public long Score;", markup: "Player"),
        Header + "\n" + "layout Game.Player version=0 size=16\n  field Id:i32:0:4:le\n  field Hp:f32:4:4:le:formerly=Health\n  field Score:i64:8:8:le\n" + "\n" + Vec2Block);

    [Fact]
    public Task ReplacingKeepsTheUpgradePathOfTheVersion() => Verify.VerifyFixAsync(
        Source("    public long Id;\n    public float Health;\n    public byte Level;", "[MappedLayout(Version = 1)]"),
        Header + "\nlayout Game.Player version=1 size=12 upgrade-from=0\n  field Id:i64:0:8:le\n  field Health:f32:8:4:le\n" + PlayerV0 + "\n" + Vec2Block,
        Source("    public long Id;\n    public float Health;\n    public byte Level;", "[MappedLayout(Version = 1)]", "Player"),
        Header + "\nlayout Game.Player version=1 size=13 upgrade-from=0\n  field Id:i64:0:8:le\n  field Health:f32:8:4:le\n  field Level:u8:12:1:le\n" + PlayerV0 + "\n" + Vec2Block);

    [Fact]
    public Task NewVersionIsAddedAboveTheOldOneWhichStays() => Verify.VerifyFixAsync(
        Source("    public long Id;\n    public float Health;", "[MappedLayout(Version = 1)]", "{|OVL205:Player|}"),
        Header + "\n" + PlayerV0 + "\n" + Vec2Block,
        Source("    public long Id;\n    public float Health;", "[MappedLayout(Version = 1)]", "Player"),
        Header + "\nlayout Game.Player version=1 size=12 upgrade-from=0\n  field Id:i64:0:8:le\n  field Health:f32:8:4:le\n\n" + PlayerV0 + "\n" + Vec2Block);

    [Fact]
    public Task FixAllUpdatesEveryLayoutAtOnce() => Verify.VerifyFixAsync(
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct {|OVL203:Vec2|} { public float X; public float Y; }
        [MappedLayout]
        public partial struct {|OVL202:Player|} { public int Id; public float Health; public int Score; }
        """,
        Header + "\n" + PlayerV0,
        """
        using Overlay.Layouts;
        namespace Game;
        [MappedLayout]
        public partial struct Vec2 { public float X; public float Y; }
        [MappedLayout]
        public partial struct Player { public int Id; public float Health; public int Score; }
        """,
        Header + "\nlayout Game.Player version=0 size=12\n  field Id:i32:0:4:le\n  field Health:f32:4:4:le\n  field Score:i32:8:4:le\n\n" + Vec2Block,
        iterations: 2);

    [Fact]
    public Task BreakingChangeHasNoFix() => Verify.VerifyFixAsync(
        Source("    public long Id;\n    public float Health;", markup: "{|OVL201:Player|}"),
        Header + "\n" + PlayerV0 + "\n" + Vec2Block,
        Source("    public long Id;\n    public float Health;", markup: "{|OVL201:Player|}"),
        Header + "\n" + PlayerV0 + "\n" + Vec2Block,
        iterations: 0);
}
