using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Overlay.Generators.Tests.Layouts;
using Overlay.Layouts;

namespace Overlay.Generators.Tests;

/// <summary>
/// Issue 8: a field may take any name a format needs, including the names of members the generator
/// adds (those step aside); only the generated types' names, the layout's own name and "__" names
/// are refused (OVL109, in <see cref="DiagnosticTests"/>).
/// </summary>
public class FieldNameTests
{
    [Fact]
    public void AnElfSectionHeaderRoundTripsThroughViewRefLoadAndStore()
    {
        Assert.Equal(64, SectionHeader.SizeInBytes);
        Assert.Equal((24, 32), (SectionHeader.Offsets.Offset, SectionHeader.Offsets.Size));
        using var file = new TempFile(16 + 64);
        using (var map = MemoryMap.Open(file.Path))
        {
            var header = new SectionHeader.View(map, 16);
            header.Name = 11;
            header.Type = 1;                   // SHT_PROGBITS
            header.Flags = 6;                  // SHF_ALLOC | SHF_EXECINSTR
            header.Address = 0x401000;
            header.Offset = 0x1000;
            header.Size = 0x2345;
            header.Link = 0;
            header.Info = 0;
            header.AddressAlign = 16;
            header.EntrySize = 0;
            Assert.Equal(16, MappedView.OffsetOf(header));
            Assert.Same(map, MappedView.MapOf(header));

            SectionHeader loaded = header.Load();
            Assert.Equal((11u, 1u, 6UL, 0x401000UL, 0x1000UL, 0x2345UL, 16UL), (loaded.Name, loaded.Type, loaded.Flags, loaded.Address, loaded.Offset, loaded.Size, loaded.AddressAlign));
            loaded.Offset = 0x2000;
            header.Store(loaded);
            Assert.Equal(0x2000UL, header.AsReadOnly().Offset);
        }

        // The bytes are ELF's: sh_offset at 24, sh_size at 32, little-endian.
        byte[] bytes = file.Bytes;
        Span<byte> record = bytes.AsSpan(16, 64);
        Assert.Equal(11u, BinaryPrimitives.ReadUInt32LittleEndian(record));
        Assert.Equal(6UL, BinaryPrimitives.ReadUInt64LittleEndian(record[8..]));
        Assert.Equal(0x2000UL, BinaryPrimitives.ReadUInt64LittleEndian(record[24..]));
        Assert.Equal(0x2345UL, BinaryPrimitives.ReadUInt64LittleEndian(record[32..]));

        var reference = new SectionHeader.Ref(record);
        Assert.Equal(0x2000UL, reference.Offset);
        reference.Size = 7;
        Assert.Equal(7UL, SectionHeader.Load(record).Size);
    }

    [Fact]
    public void FieldsTakingEveryGeneratedNameRoundTrip()
    {
        var value = new EveryTakenName
        {
            Map = 1,
            Offset = -2,
            Load = 3,
            Store = 4,
            Validate = 5,
            AsReadOnly = 6,
            SizeInBytes = 7,
            LayoutFingerprint = 8,
            LayoutInfo = 9,
            Offsets = [10, 11],
            Length = 12,
            Count = 13,
            Version = 14,
            Type = "elf",
            Section = new SectionHeader { Offset = 15, Size = 16 },
            More = [new SectionHeader { Offset = 17 }, new SectionHeader { Size = 18 }],
        };

        int size = Layout<EveryTakenName>.SizeInBytes;
        Assert.Equal(4 + 8 + 2 + 2 + 1 + 1 + 4 + 8 + 4 + 4 + 4 + 4 + 2 + 8 + 64 + 128, size);
        using MemoryMap map = MemoryMap.Anonymous(size + 8);
        Layout<EveryTakenName>.Store(map, 8, value);
        var view = new EveryTakenName.View(map, 8);
        Assert.Equal((1, -2L, (short)3, (short)4, (byte)5, (byte)6), (view.Map, view.Offset, view.Load, view.Store, view.Validate, view.AsReadOnly));
        Assert.Equal((7, 8UL, 9u, (ushort)11, 12u, 13u, (ushort)14, "elf"), (view.SizeInBytes, view.LayoutFingerprint, view.LayoutInfo, view.Offsets[1], view.Length, view.Count, view.Version, view.Type));
        Assert.Equal((15UL, 16UL, 17UL, 18UL), (view.Section.Offset, view.Section.Size, view.More[0].Offset, view.More[1].Size));
        Assert.Equal(8, MappedView.OffsetOf(view));

        EveryTakenName loaded = Layout<EveryTakenName>.Load(map, 8);
        AssertSame(value, loaded);

        // The same through spans and refs.
        byte[] bytes = new byte[size];
        Layout<EveryTakenName>.Store(bytes, value);
        Assert.Equal(map[8..(8 + size)], bytes);
        var record = new EveryTakenName.Ref(bytes);
        Assert.Equal((-2L, (ushort)14, 17UL), (record.Offset, record.Version, record.More[0].Offset));
        AssertSame(value, Layout<EveryTakenName>.Load(bytes));

        // Validate is reached through Layout<T> too, and refuses what Store would.
        Assert.Throws<ArgumentException>(() => Layout<EveryTakenName>.Validate(value with { Type = "far too long" }));

        LayoutInfo info = Layout<EveryTakenName>.LayoutInfo;
        Assert.Equal("Overlay.Generators.Tests.Layouts.EveryTakenName", info.Name);
        Assert.Equal(Layout<EveryTakenName>.LayoutFingerprint, info.Fingerprint);
        Assert.Equal(["Map", "Offset", "Load", "Store"], info.Fields.Take(4).Select(f => f.Name));
        Assert.Same(SectionHeader.LayoutInfo, info.Fields.Single(f => f.Name == "Section").Layout);
    }

    // Every name a format might give a field, and every name generated code uses for a member or a
    // local: each compiles, with no warning, as a plain field, in a nested layout, and in an array
    // of nested layouts.
    [Theory]
    [InlineData("Map")]
    [InlineData("Offset")]
    [InlineData("Load")]
    [InlineData("Store")]
    [InlineData("Validate")]
    [InlineData("AsReadOnly")]
    [InlineData("SizeInBytes")]
    [InlineData("LayoutFingerprint")]
    [InlineData("LayoutInfo")]
    [InlineData("Offsets")]
    [InlineData("Size")]
    [InlineData("Length")]
    [InlineData("Count")]
    [InlineData("Version")]
    [InlineData("Type")]
    [InlineData("Flags")]
    [InlineData("Name")]
    [InlineData("Link")]
    [InlineData("Info")]
    [InlineData("Layout")]
    [InlineData("Create")]
    [InlineData("IsReadOnly")]
    [InlineData("value")]
    [InlineData("map")]
    [InlineData("offset")]
    [InlineData("view")]
    [InlineData("record")]
    [InlineData("source")]
    [InlineData("destination")]
    [InlineData("bytes")]
    [InlineData("position")]
    [InlineData("item")]
    [InlineData("i")]
    [InlineData("_")]
    public void AFieldMayTakeTheName(string name)
    {
        CSharpCompilation compilation = Compiler.Create($$"""
            using Overlay;
            using Overlay.Layouts;
            namespace Game;
            [MappedLayout]
            public partial struct Inner { public int A; public long {{name}}; }
            [MappedLayout]
            public partial struct Outer
            {
                public int {{name}};
                public Inner Nested;
                [FixedArray(2)] public Inner[] Many;
                [FixedString(4)] public string Text;
                [FixedArray(2)] public short[] Values;
            }
            public static class Use
            {
                public static long Read(Outer.View view) => view.{{name}} + view.Nested.{{name}} + view.Many[1].{{name}};
                public static int Size => Layout<Outer>.SizeInBytes;
            }
            """);
        Assert.Empty(Compiler.Analyze(compilation));
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(compilation);
        Assert.Contains("Game.Outer.g.cs", sources.Keys);
        Assert.Empty(Compiler.Problems(output));
    }

    [Fact]
    public void LayoutInfoShowsTypeNamesAsPeopleWriteThem()
    {
        CSharpCompilation compilation = Compiler.Create("""
            using Overlay.Layouts;
            [MappedLayout]
            public partial struct Vec3 { public float X; public float Y; public float Z; }
            namespace Game
            {
                public enum Kind : byte { A }
                [MappedLayout]
                public partial struct Body { public Vec3 Position; public Kind Kind; public System.Guid Id; [FixedArray(2)] public Vec3[] Path; public int Count; }
            }
            """);
        (Dictionary<string, string> sources, Compilation output) = Compiler.Generate(compilation);
        Assert.Empty(Compiler.Problems(output));
        string body = sources["Game.Body.g.cs"];
        Assert.Contains("new(\"Position\", 0, 12, global::Overlay.Layouts.LayoutFieldKind.Layout, \"Vec3\", false, 0,", body);
        Assert.Contains("global::Overlay.Layouts.LayoutFieldKind.Enum, \"Game.Kind\"", body);
        Assert.Contains("global::Overlay.Layouts.LayoutFieldKind.Guid, \"System.Guid\"", body);
        Assert.Contains("global::Overlay.Layouts.LayoutFieldKind.LayoutArray, \"Vec3\"", body);
        Assert.Contains("global::Overlay.Layouts.LayoutFieldKind.Primitive, \"int\"", body);
        Assert.All(body.Split('\n').Where(line => line.Contains("LayoutFieldKind.", StringComparison.Ordinal)), line => Assert.DoesNotContain("\"global::", line, StringComparison.Ordinal));
    }

    private static void AssertSame(EveryTakenName expected, EveryTakenName actual)
    {
        Assert.Equal((expected.Map, expected.Offset, expected.Load, expected.Store, expected.Validate, expected.AsReadOnly), (actual.Map, actual.Offset, actual.Load, actual.Store, actual.Validate, actual.AsReadOnly));
        Assert.Equal((expected.SizeInBytes, expected.LayoutFingerprint, expected.LayoutInfo, expected.Length, expected.Count, expected.Version, expected.Type), (actual.SizeInBytes, actual.LayoutFingerprint, actual.LayoutInfo, actual.Length, actual.Count, actual.Version, actual.Type));
        Assert.Equal(expected.Offsets, actual.Offsets);
        Assert.Equal((expected.Section.Offset, expected.Section.Size), (actual.Section.Offset, actual.Section.Size));
        Assert.Equal(expected.More.Select(m => (m.Offset, m.Size)), actual.More.Select(m => (m.Offset, m.Size)));
    }
}
