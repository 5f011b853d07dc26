using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Tool.Records;

/// <summary>
/// Decodes a record's bytes by an embedded schema alone: kinds, offsets, sizes, byte order and
/// enums' underlying integers, never the code that wrote the file. The schema was checked by the
/// runtime's decoder (every field inside its record), and every slice here is taken from a span
/// of exactly one record, so a hostile file cannot make it read elsewhere.
/// </summary>
internal sealed class RecordDecoder
{
    private readonly LayoutInfo _layout;
    private readonly Func<HeapRef, bool, string>? _resolveHeap;

    /// <param name="layout">The record's schema.</param>
    /// <param name="resolveHeap">Turns a heap reference (and whether it holds text) into what to show, or null to show the reference itself.</param>
    public RecordDecoder(LayoutInfo layout, Func<HeapRef, bool, string>? resolveHeap = null)
    {
        _layout = layout;
        _resolveHeap = resolveHeap;
    }

    public RecordValue Decode(long index, ReadOnlySpan<byte> record) => DecodeLayout(_layout, index, record);

    private RecordValue DecodeLayout(LayoutInfo layout, long index, ReadOnlySpan<byte> record)
    {
        var fields = new List<KeyValuePair<string, object?>>(layout.Fields.Count);
        foreach (LayoutField field in layout.Fields)
        {
            fields.Add(new(field.Name, DecodeField(field, record.Slice(field.Offset, field.SizeInBytes))));
        }

        return new RecordValue(index, fields);
    }

    private object? DecodeField(LayoutField field, ReadOnlySpan<byte> bytes)
    {
        switch (field.Kind)
        {
            case LayoutFieldKind.Primitive:
                return DecodeNumber(field.TypeName, bytes, field.IsBigEndian);
            case LayoutFieldKind.Enum:
                return DecodeNumber(field.UnderlyingType ?? "int", bytes, field.IsBigEndian);
            case LayoutFieldKind.Guid:
                // A Guid is stored in .NET's own byte order, or its RFC 4122 order when big-endian.
                return new Guid(bytes, field.IsBigEndian).ToString();
            case LayoutFieldKind.Utf8String:
            case LayoutFieldKind.AsciiString:
                int end = bytes.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
            case LayoutFieldKind.ValueArray:
            {
                string element = field.UnderlyingType ?? field.TypeName;
                int width = field.Length == 0 ? 0 : field.SizeInBytes / field.Length;
                var list = new List<object?>(field.Length);
                for (int i = 0; i < field.Length; i++)
                {
                    list.Add(DecodeNumber(element, bytes.Slice(i * width, width), field.IsBigEndian));
                }

                return list;
            }

            case LayoutFieldKind.LayoutArray:
            {
                int width = field.Length == 0 ? 0 : field.SizeInBytes / field.Length;
                var list = new List<object?>(field.Length);
                for (int i = 0; i < field.Length; i++)
                {
                    list.Add(DecodeLayout(field.Layout!, -1, bytes.Slice(i * width, width)));
                }

                return list;
            }

            case LayoutFieldKind.Layout:
                return DecodeLayout(field.Layout!, -1, bytes);
            case LayoutFieldKind.VarString:
            case LayoutFieldKind.VarBytes:
            {
                HeapRef reference = HeapRef.Read(bytes);
                if (reference.IsNull)
                {
                    return null;
                }

                return _resolveHeap is null ? $"heap[{reference.Offset}, {reference.Length}]" : _resolveHeap(reference, field.Kind == LayoutFieldKind.VarString);
            }

            case LayoutFieldKind.VarList:
            {
                // The reference only: the elements are heap bytes, decoded by the layout's code.
                HeapRef reference = HeapRef.Read(bytes);
                return reference.IsNull ? null : $"list heap[{reference.Offset}, {reference.Length}]";
            }

            default:
                // A kind this tool does not know (a newer runtime's): its bytes, not a guess.
                return Convert.ToHexString(bytes);
        }
    }

    private static object DecodeNumber(string keyword, ReadOnlySpan<byte> b, bool bigEndian)
    {
        switch (keyword)
        {
            case "bool": return b[0] != 0;
            case "byte": return (long)b[0];
            case "sbyte": return (long)(sbyte)b[0];
            case "short": return (long)(bigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b));
            case "ushort": return (long)(bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b));
            case "char": return ((char)(bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b))).ToString();
            case "int": return (long)(bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b));
            case "uint": return (long)(bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b));
            case "long": return bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b);
            case "ulong": return bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
            case "float": return (double)(bigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b));
            case "double": return bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b);
            case "System.Half": return (double)(bigEndian ? BinaryPrimitives.ReadHalfBigEndian(b) : BinaryPrimitives.ReadHalfLittleEndian(b));
            default: return Convert.ToHexString(b);
        }
    }
}
