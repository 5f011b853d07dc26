using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Overlay.Generators.Tests;

/// <summary>
/// The generated source for representative layouts, compared exactly with committed snapshots,
/// and compiled against Overlay.Runtime without errors or warnings.
/// </summary>
public class SnapshotTests
{
    private const string Vec3 = """
        [MappedLayout]
        public partial struct Vec3 { public float X; public float Y; public float Z; }
        """;

    [Fact]
    public void EveryPrimitive() => Check("EveryPrimitive", "Game.EveryPrimitive", """
        using System;
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        [MappedLayout]
        public partial struct EveryPrimitive
        {
            public bool Flag;
            public byte U8;
            public sbyte I8;
            public short I16;
            public ushort U16;
            public char Letter;
            public Half F16;
            public int I32;
            public uint U32;
            public float F32;
            public long I64;
            public ulong U64;
            public double F64;
            public Guid Id;
        }
        """);

    [Fact]
    public void ExplicitOffsetsWithReservedSize() => Check("ExplicitOffsetsWithReservedSize", "Game.PlayerRecord", $$"""
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        [MappedLayout(Size = 64)]
        public partial struct PlayerRecord
        {
            [Offset(0)] public uint Id;
            [Offset(4)] public float Health;
            [Offset(8), FixedString(24)] public string Name;
            [Offset(32)] public Vec3 Position;
            [Offset(44), BigEndian] public int NetScore;
            [Offset(48), FixedArray(4)] public ushort[] Slots;
        }

        {{Vec3}}
        """);

    [Fact]
    public void SequentialPacking() => Check("SequentialPacking", "Game.Vec3", $$"""
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        {{Vec3}}
        """);

    [Fact]
    public void BigEndianLayoutWithLittleEndianField() => Check("BigEndianLayout", "Net.PacketHeader", """
        using System;
        using Overlay;
        using Overlay.Layouts;
        namespace Net;

        [MappedLayout, BigEndian]
        public partial struct PacketHeader
        {
            public ushort Magic;
            public uint Length;
            [LittleEndian] public uint HostOrder;
            public Guid Session;
            [FixedArray(2)] public short[] Ports;
        }
        """);

    [Fact]
    public void NestedLayouts() => Check("NestedLayouts", "Game.Transform", $$"""
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        [MappedLayout]
        public partial struct Transform
        {
            public Vec3 Position;
            public Vec3 Scale;
            public byte Flags;
        }

        {{Vec3}}
        """);

    [Fact]
    public void ArraysOfLayoutsAndValues() => Check("Arrays", "Game.Mesh", $$"""
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        public enum Kind : byte { None, Solid, Liquid }

        [MappedLayout]
        public partial struct Mesh
        {
            public int Count;
            [FixedArray(3)] public Vec3[] Corners;
            [FixedArray(4)] public Kind[] Kinds;
            [FixedArray(2), BigEndian] public double[] Weights;
            [FixedArray(8)] public bool[] Visible;
        }

        {{Vec3}}
        """);

    [Fact]
    public void GlobalNamespace() => Check("GlobalNamespace", "Counter", """
        [Overlay.Layouts.MappedLayout]
        internal partial struct Counter
        {
            public long Value;
            public static int Ignored = 1;
            public const int AlsoIgnored = 3;
            public int Property { get; set; }
        }
        """);

    [Fact]
    public void NestedInPartialTypes() => Check("NestedInPartialTypes", "Outer.Inner.Entry", """
        using Overlay;
        using Overlay.Layouts;
        namespace Outer;

        public static partial class Inner
        {
            private partial record struct Holder
            {
            }

            [MappedLayout]
            internal partial struct Entry
            {
                public int Key;
                public int @class;
            }
        }
        """);

    [Fact]
    public void Enums() => Check("Enums", "Game.States", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        public enum Small : sbyte { A = -1, B = 1 }
        public enum Medium : ushort { A, B }
        public enum Normal { A, B }
        public enum Large : ulong { A, B = ulong.MaxValue }

        [MappedLayout]
        public partial struct States
        {
            public Small S;
            public Medium M;
            [BigEndian] public Normal N;
            public Large L;
        }
        """);

    [Fact]
    public void Strings() => Check("Strings", "Game.Names", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        [MappedLayout]
        public partial struct Names
        {
            [FixedString(16, Encoding = FixedStringEncoding.Ascii)] public string Code;
            [FixedString(32)] public string Display;
        }
        """);

    [Fact]
    public void VariableFields() => Check("VariableFields", "Game.Message", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        [MappedLayout]
        public partial struct Message
        {
            public int Id;
            [VarString] public string Text;
            [VarBytes] public byte[] Payload;
        }
        """);

    [Fact]
    public void VariableLists() => Check("VariableLists", "Game.Save", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        public enum Mood : byte { Calm, Angry }

        [MappedLayout]
        public partial struct Quest
        {
            public int Id;
            public float Progress;
        }

        [MappedLayout]
        public partial struct Save
        {
            public int Id;
            [VarList] public int[] Scores;
            [VarList, BigEndian] public ushort[] Ports;
            [VarList] public Mood[] Moods;
            [VarList] public Quest[] Quests;
        }
        """);

    [Fact]
    public void VersionAndDefaults() => Check("VersionAndDefaults", "Game.Player", """
        using System;
        using System.ComponentModel;
        using Overlay.Layouts;
        namespace Game;

        public enum Rank : ushort { None, Gold = 300 }

        [MappedLayout(Version = 3)]
        public partial struct Player
        {
            public int Id;
            [DefaultValue(100L)] public long Gold;
            [DefaultValue((short)-2), BigEndian] public short Lives;
            [DefaultValue(int.MinValue)] public int Lowest;
            [DefaultValue(0.1f)] public float Speed;
            [DefaultValue(0.1)] public double Precise;
            [DefaultValue(0.5)] public Half Small;
            [DefaultValue(double.NaN)] public float Unknown;
            [DefaultValue(true)] public bool Alive;
            [DefaultValue('\n')] public char Separator;
            [DefaultValue(Rank.Gold)] public Rank Rank;
            [DefaultValue("say \"hi\""), FixedString(12)] public string Greeting;
            [DefaultValue(70000)] public short Invalid;   // OVL211: left out of LayoutInfo
        }
        """);

    [Fact]
    public void UpgradeConverters() => Check("UpgradeConverters", "Game.Hero", """
        using System;
        using Overlay.Layouts;
        using Overlay.Schemas;
        namespace Game;

        public enum Class : byte { Warrior, Mage }

        [MappedLayout]
        public partial struct Stats { public short Strength; }

        [MappedLayout(Version = 2)]
        public partial struct Hero
        {
            public byte Level;
            [BigEndian] public short Score;
            public bool Alive;
            public Class Class;
            public Guid Id;
            [FixedString(8, Encoding = FixedStringEncoding.Ascii)] public string Tag;
            public Stats Stats;
            [FixedArray(2)] public int[] Slots;

            [UpgradeConverter(nameof(Level))]
            private static byte LevelFromV1(StoredRecord old) => (byte)Math.Clamp(old.ReadInt64("Level"), 1, 99);

            [UpgradeConverter(nameof(Score))]
            private static short ScoreFromV1(StoredRecord old) => (short)Math.Min(old.ReadInt64("Score"), short.MaxValue);

            [UpgradeConverter(nameof(Alive))]
            private static bool AliveFromV1(StoredRecord old) => old.ReadInt64("Health") > 0;

            [UpgradeConverter(nameof(Class))]
            private static Class ClassFromV1(StoredRecord old) => (Class)old.ReadInt64("Class");

            [UpgradeConverter(nameof(Id))]
            private static Guid IdFromV1(StoredRecord old) => new Guid((int)old.ReadInt64("Id"), 0, 0, new byte[8]);

            [UpgradeConverter(nameof(Tag))]
            private static string TagFromV1(StoredRecord old) => old.ReadString("Name")[..Math.Min(8, old.ReadString("Name").Length)];

            [UpgradeConverter(nameof(Stats))]
            private static Stats StatsFromV1(StoredRecord old) => new() { Strength = (short)old.ReadInt64("Strength") };

            [UpgradeConverter(nameof(Slots))]
            private static void SlotsFromV1(StoredRecord old, Span<byte> field) => field.Clear();
        }
        """);

    [Fact]
    public void AtomicFields() => Check("AtomicFields", "Game.Counters", """
        using Overlay;
        using Overlay.Layouts;
        namespace Game;

        [MappedLayout(Size = 4104)]
        public partial struct Counters
        {
            [Atomic] public int Hits;
            [Atomic] public uint Misses;
            [Atomic] public long Bytes;
            [Atomic] public ulong Generation;
            public long Plain;
            [Offset(4096), Atomic] public long Far;
        }
        """);

    private static void Check(string snapshot, string layout, string source)
    {
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(Compiler.Create(source));
        Assert.Empty(Compiler.Problems(output));
        Assert.True(sources.TryGetValue(layout + ".g.cs", out string? generated), $"No source for {layout}: {string.Join(", ", sources.Keys)}");
        Snapshot.Verify(snapshot, generated!);
    }
}
