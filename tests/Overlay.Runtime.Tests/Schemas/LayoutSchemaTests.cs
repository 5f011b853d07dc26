using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Overlay.Layouts;
using Overlay.Schemas;
using Xunit;

namespace Overlay.Tests.Schemas;

public class LayoutSchemaTests
{
    [Fact]
    public void EveryKindSurvivesEncodeAndDecode()
    {
        LayoutInfo info = Everything.LayoutInfo;
        LayoutInfo back = LayoutSchema.Decode(LayoutSchema.Encode(info));

        Assert.True(SchemaComparison.Compare(back, info).IsIdentical);
        Assert.Equal(info.Name, back.Name);
        Assert.Equal(info.SizeInBytes, back.SizeInBytes);
        Assert.Equal(info.Fingerprint, back.Fingerprint);
        Assert.Equal(info.Fields.Select(f => (f.Name, f.Offset, f.SizeInBytes, f.Kind, f.TypeName, f.IsBigEndian, f.Length, f.UnderlyingType)),
            back.Fields.Select(f => (f.Name, f.Offset, f.SizeInBytes, f.Kind, f.TypeName, f.IsBigEndian, f.Length, f.UnderlyingType)));
        Assert.Equal("byte", back.Fields.Single(f => f.Name == "Rank").UnderlyingType);
        Assert.Equal("short", back.Fields.Single(f => f.Name == "Delta").UnderlyingType);
        Assert.Equal("byte", back.Fields.Single(f => f.Name == "Ranks").UnderlyingType);
        Assert.Null(back.Fields.Single(f => f.Name == "Slots").UnderlyingType);
        Assert.Equal("Overlay.Tests.Schemas.Vec2", back.Fields.Single(f => f.Name == "Path").Layout!.Name);
        Assert.Equal(LayoutSchema.Encode(info), LayoutSchema.Encode(back));
    }

    [Fact]
    public void ANestedLayoutUsedTwiceIsStoredOnce()
    {
        byte[] bytes = LayoutSchema.Encode(Everything.LayoutInfo);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(12))); // Everything and Vec2
        LayoutInfo back = LayoutSchema.Decode(bytes);
        Assert.Same(back.Fields.Single(f => f.Name == "Position").Layout, back.Fields.Single(f => f.Name == "Path").Layout);
    }

    [Fact]
    public void EncodeRefusesALayoutThatNestsItselfOrAnEnumWithoutItsUnderlyingType()
    {
        var fields = new LayoutField[1];
        var loop = new LayoutInfo("Loop", 4, 1, fields);
        fields[0] = new LayoutField("Self", 0, 4, LayoutFieldKind.Layout, "global::Loop", false, 0, loop);
        Assert.Throws<ArgumentException>(() => LayoutSchema.Encode(loop));

        var noUnderlying = new LayoutInfo("E", 4, 2, new[] { new LayoutField("E", 0, 4, LayoutFieldKind.Enum, "global::E", false) });
        Assert.Contains("underlying", Assert.Throws<ArgumentException>(() => LayoutSchema.Encode(noUnderlying)).Message, StringComparison.Ordinal);

        var overlapping = new LayoutInfo("O", 4, 3, new[]
        {
            new LayoutField("A", 0, 4, LayoutFieldKind.Primitive, "int", false),
            new LayoutField("B", 2, 2, LayoutFieldKind.Primitive, "short", false),
        });
        Assert.Contains("overlaps", Assert.Throws<ArgumentException>(() => LayoutSchema.Encode(overlapping)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTruncationIsInvalidData()
    {
        byte[] bytes = LayoutSchema.Encode(Everything.LayoutInfo);
        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] cut = bytes[..length];
            if (length >= 12)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(8), (uint)length); // past the length check, into the body
            }

            Assert.Throws<InvalidDataException>(() => LayoutSchema.Decode(cut));
        }
    }

    [Fact]
    public void RandomDamageIsInvalidDataOrAValidSchemaNeverAnotherException()
    {
        byte[] bytes = LayoutSchema.Encode(Everything.LayoutInfo);
        var random = new Random(9);
        int refused = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] damaged = (byte[])bytes.Clone();
            for (int j = random.Next(1, 4); j > 0; j--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            try
            {
                LayoutInfo decoded = LayoutSchema.Decode(damaged);
                Assert.All(decoded.Fields, f => Assert.InRange((long)f.Offset + f.SizeInBytes, 0, decoded.SizeInBytes));
            }
            catch (InvalidDataException)
            {
                refused++;
            }
        }

        Assert.True(refused > 1000, $"only {refused} of 3000 damaged schemas were refused");
    }

    [Theory]
    [InlineData("magic")]
    [InlineData("version")]
    [InlineData("length")]
    [InlineData("no layouts")]
    [InlineData("unknown kind")]
    [InlineData("variable-length kind")]
    [InlineData("cycle")]
    [InlineData("absurd size")]
    [InlineData("offset past the record")]
    [InlineData("trailing bytes")]
    [InlineData("size against type")]
    public void HostileSchemasAreInvalidData(string damage)
    {
        byte[] bytes = LayoutSchema.Encode(PointPair());
        int layout0 = SchemaFormat.HeaderSize;
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(layout0));
        int layoutSize = layout0 + 2 + nameLength;            // u32 size
        int fieldCount = layoutSize + 4 + 8 + 4;              // u16 count
        int field0 = fieldCount + 2;
        int field0Fixed = field0 + 2 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(field0)); // kind, type, flags, reserved, offset, size, length, nested
        switch (damage)
        {
            case "magic": bytes[0] ^= 1; break;
            case "version": bytes[4] = 2; break;
            case "length": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 1000); break;
            case "no layouts": bytes[12] = 0; break;
            case "unknown kind": bytes[field0Fixed] = 9; break;
            case "variable-length kind": bytes[field0Fixed] = 16; break;
            case "cycle": BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(field0Fixed + 16), 0); bytes[field0Fixed] = (byte)LayoutFieldKind.Layout + 1; break;
            case "absurd size": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(layoutSize), uint.MaxValue); break;
            case "offset past the record": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(field0Fixed + 4), 0x7FFF_FFF0); break;
            case "trailing bytes":
                Array.Resize(ref bytes, bytes.Length + 1);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)bytes.Length);
                break;
            case "size against type": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(field0Fixed + 8), 3); break;
        }

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => LayoutSchema.Decode(bytes));
        Assert.StartsWith("The embedded layout schema is invalid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayoutThatNestsItselfOrAnEarlierOneIsRefused()
    {
        // Outer (layout 0) nests Inner (1), which nests Vec2 (2); point Inner's field at Inner itself.
        var inner = new LayoutInfo("Inner", 8, 5, new[] { new LayoutField("V", 0, 8, LayoutFieldKind.Layout, "global::Overlay.Tests.Schemas.Vec2", false, 0, Vec2.LayoutInfo) });
        var outer = new LayoutInfo("Outer", 12, 6, new[]
        {
            new LayoutField("Id", 0, 4, LayoutFieldKind.Primitive, "int", false),
            new LayoutField("In", 4, 8, LayoutFieldKind.Layout, "global::Inner", false, 0, inner),
        });
        byte[] bytes = LayoutSchema.Encode(outer);
        int reference = FindNestedReference(bytes, "V");
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(reference)));
        foreach (ushort target in new ushort[] { 1 })
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(reference), target);
            string message = Assert.Throws<InvalidDataException>(() => LayoutSchema.Decode(bytes)).Message;
            Assert.True(message.Contains($"nests layout {target}, which is not after layout 1", StringComparison.Ordinal), message);
        }
    }

    [Fact]
    public void ListsKeepTheirElementsThroughTheSchema()
    {
        LayoutInfo decoded = LayoutSchema.Decode(LayoutSchema.Encode(Lists()));
        Assert.True(SchemaComparison.Compare(decoded, Lists()).IsIdentical);
        Assert.Equal((LayoutFieldKind.VarList, "ushort", true, (LayoutInfo?)null), (decoded.Fields[0].Kind, decoded.Fields[0].TypeName, decoded.Fields[0].IsBigEndian, decoded.Fields[0].Layout));
        Assert.Equal((LayoutFieldKind.VarList, 8), (decoded.Fields[1].Kind, decoded.Fields[1].Layout!.SizeInBytes));
        Assert.Equal("int", decoded.Fields[2].UnderlyingType);

        // Kind 18, value type 5 (ushort), big-endian; kind 18 with nested layout 1 and no value type.
        byte[] bytes = LayoutSchema.Encode(Lists());
        int values = FindNestedReference(bytes, "Ports") - 16;
        int layouts = FindNestedReference(bytes, "Quests") - 16;
        Assert.Equal(new byte[] { 18, 5, 1, 0 }, bytes.AsSpan(values, 4).ToArray());
        Assert.Equal(new byte[] { 18, 0, 0, 0 }, bytes.AsSpan(layouts, 4).ToArray());
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(layouts + 16)));
    }

    [Theory]
    [InlineData("values and a layout")]
    [InlineData("neither values nor a layout")]
    [InlineData("a length")]
    [InlineData("a size other than 12")]
    [InlineData("big-endian records")]
    [InlineData("an unknown value type")]
    [InlineData("kind 19")]
    public void HostileListsAreInvalidData(string damage)
    {
        byte[] bytes = LayoutSchema.Encode(Lists());
        int values = FindNestedReference(bytes, "Ports") - 16;
        int layouts = FindNestedReference(bytes, "Quests") - 16;
        switch (damage)
        {
            case "values and a layout": bytes[layouts + 1] = 7; break;
            case "neither values nor a layout": bytes[values + 1] = 0; break;
            case "a length": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(values + 12), 3); break;
            case "a size other than 12": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(layouts + 8), 8); break;
            case "big-endian records": bytes[layouts + 2] = 1; break;
            case "an unknown value type": bytes[values + 1] = 200; break;
            case "kind 19": bytes[values] = 19; break;
        }

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => LayoutSchema.Decode(bytes));
        Assert.StartsWith("The embedded layout schema is invalid", e.Message, StringComparison.Ordinal);
    }

    // Lists of big-endian ushorts, of Vec2 records, and of an int enum.
    private static LayoutInfo Lists() => new("Lists", 36, 9, new[]
    {
        new LayoutField("Ports", 0, 12, LayoutFieldKind.VarList, "ushort", true),
        new LayoutField("Quests", 12, 12, LayoutFieldKind.VarList, "Overlay.Tests.Schemas.Vec2", false, 0, Vec2.LayoutInfo),
        new LayoutField("Moods", 24, 12, LayoutFieldKind.VarList, "Game.Mood", false) { UnderlyingType = "int" },
    });

    // An int, then a Vec2: the second field's nested reference is 1.
    private static LayoutInfo PointPair() => new("Pair", 12, 7, new[]
    {
        new LayoutField("Id", 0, 4, LayoutFieldKind.Primitive, "int", false),
        new LayoutField("At", 4, 8, LayoutFieldKind.Layout, "global::Overlay.Tests.Schemas.Vec2", false, 0, Vec2.LayoutInfo),
    });

    private static int FindNestedReference(byte[] bytes, string field)
    {
        // A field: u16 name length, the name, then 18 fixed bytes whose last two are the reference.
        byte[] name = System.Text.Encoding.UTF8.GetBytes(field);
        for (int i = SchemaFormat.HeaderSize; i + 2 + name.Length < bytes.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i)) == name.Length && bytes.AsSpan(i + 2, name.Length).SequenceEqual(name))
            {
                return i + 2 + name.Length + 16;
            }
        }

        throw new InvalidOperationException($"field {field} not found");
    }
}
