using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Overlay.Layouts;

namespace Overlay.Schemas;

/// <summary>
/// Reads the binary schema format into <see cref="LayoutInfo"/>s, trusting nothing
/// (<c>docs/formats.md</c>, Schemas: every check is listed there).
/// </summary>
internal ref struct SchemaDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    private SchemaDecoder(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _position = 0;
    }

    public static LayoutInfo Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < SchemaFormat.HeaderSize)
        {
            throw Invalid($"it is {bytes.Length} bytes long, shorter than the {SchemaFormat.HeaderSize}-byte header");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != SchemaFormat.Magic)
        {
            throw Invalid("its magic is not OVSC");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != SchemaFormat.Version)
        {
            throw Invalid($"it is in schema format version {version}; this library reads version {SchemaFormat.Version}");
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]) != 0 || BinaryPrimitives.ReadUInt16LittleEndian(bytes[14..]) != 0)
        {
            throw Invalid("its header flags or reserved bytes are not zero");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (length != (uint)bytes.Length)
        {
            throw Invalid($"its header says {length} bytes but it has {bytes.Length}");
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[12..]);
        if (count is 0 or > SchemaFormat.MaximumLayouts)
        {
            throw Invalid($"it holds {count} layouts; 1 to {SchemaFormat.MaximumLayouts} are valid");
        }

        var decoder = new SchemaDecoder(bytes) { _position = SchemaFormat.HeaderSize };
        var raw = new List<RawLayout>(count);
        for (int i = 0; i < count; i++)
        {
            raw.Add(decoder.ReadLayout(i, count));
        }

        if (decoder._position != bytes.Length)
        {
            throw Invalid($"{bytes.Length - decoder._position} bytes follow the last layout");
        }

        // Nested references only point forward (checked per field), so building from the last
        // layout to the first finds every nested layout already built: no recursion, no cycle.
        var built = new LayoutInfo[count];
        for (int i = count - 1; i >= 0; i--)
        {
            built[i] = raw[i].Build(built);
        }

        return built[0];
    }

    internal static InvalidDataException Invalid(string reason) => new($"The embedded layout schema is invalid: {reason}.");

    private RawLayout ReadLayout(int index, int count)
    {
        string name = ReadName("a layout");
        uint size = ReadU32();
        ulong fingerprint = ReadU64();
        uint version = ReadU32();
        int fieldCount = ReadU16();
        if (size is 0 or > SchemaFormat.MaximumRecordSize)
        {
            throw Invalid($"layout {name} is {size} bytes; 1 to {SchemaFormat.MaximumRecordSize} are valid");
        }

        if (version > int.MaxValue)
        {
            throw Invalid($"layout {name} has version {version}");
        }

        if (fieldCount > SchemaFormat.MaximumFields)
        {
            throw Invalid($"layout {name} has {fieldCount} fields; at most {SchemaFormat.MaximumFields} are valid");
        }

        var fields = new List<RawField>(fieldCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        long previousEnd = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            RawField field = ReadField(name, index, count);
            if (!names.Add(field.Name))
            {
                throw Invalid($"layout {name} has two fields named {field.Name}");
            }

            if (field.Offset > size || field.Size > size - field.Offset)
            {
                throw Invalid($"field {name}.{field.Name} ([{field.Offset}, {(long)field.Offset + field.Size})) lies past the {size}-byte record");
            }

            if (field.Offset < previousEnd)
            {
                throw Invalid($"field {name}.{field.Name} at {field.Offset} overlaps the field before it or is out of offset order");
            }

            previousEnd = (long)field.Offset + field.Size;
            fields.Add(field);
        }

        return new RawLayout(name, (int)size, fingerprint, (int)version, fields);
    }

    private RawField ReadField(string layout, int index, int count)
    {
        string name = ReadName($"a field of {layout}");
        ReadOnlySpan<byte> fixedPart = Take(18, $"field {layout}.{name}");
        byte kind = fixedPart[0];
        byte valueType = fixedPart[1];
        byte flags = fixedPart[2];
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[4..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[8..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[12..]);
        int nested = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[16..]);
        string typeName = ReadName($"the type of {layout}.{name}");
        string where = $"field {layout}.{name}";

        if (kind is > SchemaFormat.VarListKind and <= SchemaFormat.LastVariableLengthKind)
        {
            throw Invalid($"{where} is of variable-length kind {kind}, which this version does not read");
        }

        if (kind is 0 or (> (byte)LayoutFieldKind.Layout + 1 and < SchemaFormat.FirstVariableLengthKind) or > SchemaFormat.LastVariableLengthKind)
        {
            throw Invalid($"{where} has unknown kind {kind}");
        }

        if (fixedPart[3] != 0 || (flags & ~SchemaFormat.KnownFieldFlags) != 0)
        {
            throw Invalid($"{where} has unknown flags 0x{flags:X2} or a non-zero reserved byte");
        }

        if (offset > SchemaFormat.MaximumRecordSize || size is 0 or > SchemaFormat.MaximumRecordSize || length > SchemaFormat.MaximumRecordSize)
        {
            throw Invalid($"{where} has offset {offset}, size {size}, length {length}: out of range");
        }

        var fieldKind = kind switch
        {
            SchemaFormat.VarStringKind => LayoutFieldKind.VarString,
            SchemaFormat.VarBytesKind => LayoutFieldKind.VarBytes,
            SchemaFormat.VarListKind => LayoutFieldKind.VarList,
            _ => (LayoutFieldKind)(kind - 1),
        };
        bool bigEndian = (flags & SchemaFormat.FlagBigEndian) != 0;
        bool enumElements = (flags & SchemaFormat.FlagEnumElements) != 0;
        // A list holds either values (a value type code) or records (a nested layout), never both nor neither.
        bool listOfLayouts = fieldKind == LayoutFieldKind.VarList && valueType == 0;
        bool listOfValues = fieldKind == LayoutFieldKind.VarList && !listOfLayouts;
        bool wantsValueType = fieldKind is LayoutFieldKind.Primitive or LayoutFieldKind.Enum or LayoutFieldKind.ValueArray || listOfValues;
        bool wantsNested = fieldKind is LayoutFieldKind.Layout or LayoutFieldKind.LayoutArray || listOfLayouts;
        bool wantsLength = fieldKind is LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString or LayoutFieldKind.ValueArray or LayoutFieldKind.LayoutArray;
        if (wantsValueType != SchemaPrimitives.IsValid(valueType) || (!wantsValueType && valueType != 0))
        {
            throw Invalid($"{where} ({fieldKind}) has value type code {valueType}");
        }

        if ((fieldKind == LayoutFieldKind.Enum || enumElements) && !SchemaPrimitives.IsInteger(valueType))
        {
            throw Invalid($"{where} is an enum over value type code {valueType}, not an integer");
        }

        if (enumElements && fieldKind != LayoutFieldKind.ValueArray && !listOfValues)
        {
            throw Invalid($"{where} ({fieldKind}) has the enum-elements flag");
        }

        if (bigEndian && fieldKind is not (LayoutFieldKind.Primitive or LayoutFieldKind.Enum or LayoutFieldKind.ValueArray or LayoutFieldKind.Guid) && !listOfValues)
        {
            throw Invalid($"{where} ({fieldKind}) is flagged big-endian");
        }

        if (wantsNested != (nested != 0))
        {
            throw Invalid($"{where} ({fieldKind}) has nested layout reference {nested}");
        }

        if (wantsNested && (nested <= index || nested >= count))
        {
            // Forward only: a reference to itself or an earlier layout could close a cycle.
            throw Invalid($"{where} nests layout {nested}, which is not after layout {index} among the {count} (a cycle, or past the end)");
        }

        if (wantsLength != (length != 0))
        {
            throw Invalid($"{where} ({fieldKind}) has length {length}");
        }

        long expected = fieldKind switch
        {
            LayoutFieldKind.Primitive or LayoutFieldKind.Enum => SchemaPrimitives.Width(valueType),
            LayoutFieldKind.Guid => 16,
            LayoutFieldKind.VarString or LayoutFieldKind.VarBytes or LayoutFieldKind.VarList => SchemaFormat.HeapReferenceSize,
            LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString => length,
            LayoutFieldKind.ValueArray => (long)length * SchemaPrimitives.Width(valueType),
            _ => -1, // nested layouts: checked against the nested layout's size when built
        };

        if (expected >= 0 && expected != size)
        {
            throw Invalid($"{where} ({fieldKind}) is {size} bytes; its type and length make {expected}");
        }

        string? underlying = fieldKind == LayoutFieldKind.Enum || enumElements ? SchemaPrimitives.Keyword(valueType) : null;
        return new RawField(name, fieldKind, (int)offset, (int)size, (int)length, bigEndian, nested, fieldKind == LayoutFieldKind.Primitive || ((fieldKind == LayoutFieldKind.ValueArray || listOfValues) && !enumElements) ? SchemaPrimitives.Keyword(valueType) : typeName, underlying);
    }

    private string ReadName(string what)
    {
        int count = ReadU16();
        if (count is 0 or > SchemaFormat.MaximumNameBytes)
        {
            throw Invalid($"the name of {what} is {count} bytes; 1 to {SchemaFormat.MaximumNameBytes} are valid");
        }

        ReadOnlySpan<byte> bytes = Take(count, $"the name of {what}");
        if (bytes.Contains((byte)0))
        {
            throw Invalid($"the name of {what} has a NUL byte");
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"the name of {what} is not valid UTF-8");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > _bytes.Length - _position)
        {
            throw Invalid($"it ends inside {what} (at byte {_position} of {_bytes.Length})");
        }

        ReadOnlySpan<byte> span = _bytes.Slice(_position, count);
        _position += count;
        return span;
    }

    private ushort ReadU16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "a number"));

    private uint ReadU32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a number"));

    private ulong ReadU64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "a number"));

    private sealed record RawField(string Name, LayoutFieldKind Kind, int Offset, int Size, int Length, bool BigEndian, int Nested, string TypeName, string? Underlying);

    private sealed record RawLayout(string Name, int Size, ulong Fingerprint, int Version, List<RawField> Fields)
    {
        public LayoutInfo Build(LayoutInfo[] built)
        {
            var fields = new LayoutField[Fields.Count];
            for (int i = 0; i < fields.Length; i++)
            {
                RawField raw = Fields[i];
                LayoutInfo? nested = raw.Nested == 0 ? null : built[raw.Nested];
                if (nested is not null && raw.Kind != LayoutFieldKind.VarList)
                {
                    long expected = raw.Kind == LayoutFieldKind.Layout ? nested.SizeInBytes : (long)raw.Length * nested.SizeInBytes;
                    if (expected != raw.Size)
                    {
                        throw Invalid($"field {Name}.{raw.Name} ({raw.Kind} of {nested.Name}) is {raw.Size} bytes; the nested layout makes {expected}");
                    }
                }

                fields[i] = new LayoutField(raw.Name, raw.Offset, raw.Size, raw.Kind, raw.TypeName, raw.BigEndian, raw.Length, nested) { UnderlyingType = raw.Underlying };
            }

            return new LayoutInfo(Name, Size, Fingerprint, fields) { Version = Version };
        }
    }
}
