using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Overlay.Layouts;

namespace Overlay.Schemas;

/// <summary>Writes a <see cref="LayoutInfo"/> in the binary schema format (<c>docs/formats.md</c>, Schemas).</summary>
internal static class SchemaEncoder
{
    public static byte[] Encode(LayoutInfo root)
    {
        List<LayoutInfo> layouts = Order(root);
        if (layouts.Count > SchemaFormat.MaximumLayouts)
        {
            throw new ArgumentException($"{root.Name} nests {layouts.Count} layouts; a schema holds at most {SchemaFormat.MaximumLayouts}.", nameof(root));
        }

        var index = new Dictionary<LayoutInfo, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < layouts.Count; i++)
        {
            index[layouts[i]] = i;
        }

        var output = new ArrayBufferWriter<byte>(256);
        Span<byte> header = output.GetSpan(SchemaFormat.HeaderSize)[..SchemaFormat.HeaderSize];
        header.Clear();
        output.Advance(SchemaFormat.HeaderSize);
        foreach (LayoutInfo layout in layouts)
        {
            if (layout.Fields.Count > SchemaFormat.MaximumFields)
            {
                throw new ArgumentException($"{layout.Name} has {layout.Fields.Count} fields; a schema layout holds at most {SchemaFormat.MaximumFields}.", nameof(root));
            }

            WriteString(output, layout.Name);
            WriteU32(output, (uint)layout.SizeInBytes);
            WriteU64(output, layout.Fingerprint);
            WriteU32(output, (uint)layout.Version);
            WriteU16(output, (ushort)layout.Fields.Count);
            foreach (LayoutField field in layout.Fields)
            {
                WriteField(output, field, index);
            }
        }

        byte[] bytes = output.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, SchemaFormat.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), SchemaFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)bytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(12), (ushort)layouts.Count);
        return bytes;
    }

    private static void WriteField(ArrayBufferWriter<byte> output, LayoutField field, Dictionary<LayoutInfo, int> index)
    {
        bool enumElements = field.Kind is LayoutFieldKind.ValueArray or LayoutFieldKind.VarList && field.UnderlyingType is not null;
        string? valueKeyword = field.Kind switch
        {
            LayoutFieldKind.Primitive => field.TypeName,
            LayoutFieldKind.Enum => field.UnderlyingType
                ?? throw new ArgumentException($"Field {field.Name} is an enum whose underlying type LayoutField.UnderlyingType does not say (a layout generated before it existed?): a schema stores enums by value and needs it.", nameof(field)),
            LayoutFieldKind.ValueArray => enumElements ? field.UnderlyingType : field.TypeName,
            LayoutFieldKind.VarList when field.Layout is null => enumElements ? field.UnderlyingType : field.TypeName,
            _ => null,
        };

        int valueType = SchemaPrimitives.Code(valueKeyword);
        if (valueKeyword is not null && valueType == 0)
        {
            throw new ArgumentException($"Field {field.Name}: '{valueKeyword}' is not a type a schema can describe.", nameof(field));
        }

        byte flags = (byte)((field.IsBigEndian ? SchemaFormat.FlagBigEndian : 0) | (enumElements ? SchemaFormat.FlagEnumElements : 0));
        WriteString(output, field.Name);
        Span<byte> fixedPart = output.GetSpan(18)[..18];
        fixedPart[0] = SchemaFormat.KindCode(field.Kind);
        fixedPart[1] = (byte)valueType;
        fixedPart[2] = flags;
        fixedPart[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart[4..], (uint)field.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart[8..], (uint)field.SizeInBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart[12..], (uint)field.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(fixedPart[16..], (ushort)(field.Layout is null ? 0 : index[field.Layout]));
        output.Advance(18);
        WriteString(output, field.TypeName);
    }

    /// <summary>
    /// The root first, then every nested layout after each layout that nests it (a reverse
    /// post-order): a reader can then refuse any reference that does not point forward, which
    /// makes cycles impossible to encode. Equal layouts (name and fingerprint) are stored once.
    /// </summary>
    private static List<LayoutInfo> Order(LayoutInfo root)
    {
        var post = new List<LayoutInfo>();
        var byKey = new Dictionary<(string, ulong), LayoutInfo>();
        var onPath = new HashSet<(string, ulong)>();
        Visit(root);
        post.Reverse();
        return post;

        LayoutInfo Visit(LayoutInfo layout)
        {
            var key = (layout.Name, layout.Fingerprint);
            if (byKey.TryGetValue(key, out LayoutInfo? seen))
            {
                return seen;
            }

            if (!onPath.Add(key))
            {
                throw new ArgumentException($"Layout {layout.Name} nests itself.", nameof(root));
            }

            var fields = new List<LayoutField>(layout.Fields.Count);
            foreach (LayoutField field in layout.Fields)
            {
                fields.Add(field.Layout is null ? field : field with { Layout = Visit(field.Layout) });
            }

            onPath.Remove(key);
            LayoutInfo canonical = layout with { Fields = fields };
            byKey[key] = canonical;
            post.Add(canonical);
            return canonical;
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string text)
    {
        int count = Encoding.UTF8.GetByteCount(text);
        if (count > SchemaFormat.MaximumNameBytes)
        {
            throw new ArgumentException($"'{text[..Math.Min(text.Length, 40)]}…' is {count} UTF-8 bytes; a schema name has at most {SchemaFormat.MaximumNameBytes}.");
        }

        WriteU16(output, (ushort)count);
        Span<byte> span = output.GetSpan(count);
        Encoding.UTF8.GetBytes(text, span);
        output.Advance(count);
    }

    private static void WriteU16(ArrayBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteU32(ArrayBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteU64(ArrayBufferWriter<byte> output, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }
}
